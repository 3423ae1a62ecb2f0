"""Fixtures of the analysis tests: the clinic study (tests/analysis/study.py), built once
and copied for each test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from qualcode.store.project import Project
from tests.analysis.study import CODINGS, TEXTS, Study, build_study

__all__ = ["CODINGS", "TEXTS", "Study"]


@pytest.fixture(scope="session")
def _study_file(tmp_path_factory: pytest.TempPathFactory) -> Study:
    built = build_study(tmp_path_factory.mktemp("template") / "clinic.qualcode")
    built.project.close()
    return built


@pytest.fixture
def study(_study_file: Study, tmp_path: Path) -> Iterator[Study]:
    """A fresh copy of the built study for each test (building it once keeps the tests fast)."""
    path = tmp_path / "clinic.qualcode"
    shutil.copyfile(_study_file.project.path, path)
    project = Project.open(path, backup=False)
    yield replace(_study_file, project=project)
    project.close()
