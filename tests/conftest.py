"""Shared fixtures: a real project file in a temporary folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qualcode.store.project import Project


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    """A new, empty project file, closed after the test."""
    proj = Project.create(tmp_path / "study.qualcode", title="Study")
    yield proj
    proj.close()
