"""Fixtures for REFI-QDA exchange tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.store.project import Project
from tests.exchange.refi_fixtures import QdpxBuilder, build_rich_project


@pytest.fixture
def rich_project(project: Project) -> Project:
    build_rich_project(project)
    return project


@pytest.fixture
def qdpx(tmp_path: Path) -> QdpxBuilder:
    return QdpxBuilder(tmp_path)
