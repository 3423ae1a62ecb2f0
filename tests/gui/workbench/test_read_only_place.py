"""A project where nothing can be written: the window opens it read-only and says why, instead
of reporting a lost change nobody made or calling the project damaged."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from qualcode.domain.errors import ProjectReadOnlyError
from qualcode.gui.workbench.main_window import MainWindow
from qualcode.store.project import Project
from tests.gui.conftest import make_window


@contextmanager
def unwritable(path: Path) -> Iterator[None]:
    """Make `path` (a file or folder) unwritable for this process: root ignores permissions,
    so for root the file system's immutable flag is used."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
        pytest.skip("cannot make a file unwritable for root here")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


@pytest.fixture
def start(qtbot, styled_app) -> MainWindow:  # type: ignore[no-untyped-def]
    return make_window(qtbot)


@pytest.mark.parametrize("locked", ["file", "folder"])
def test_an_unwritable_project_is_refused_naming_the_real_cause(start: MainWindow, tmp_path: Path,
                                                               locked: str) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    path = folder / "study.qualcode"
    Project.create(path).close()
    with unwritable(path if locked == "file" else folder):
        # The window opens it read-only and says why; it is not called damaged.
        assert start.open_project(path)
        assert start.project is not None and start.project.read_only
        assert start.windowTitle().endswith("(read-only)")
        shown = start.statusBar().currentMessage()
        expected = "the file itself is read-only" if locked == "file" else "permission to write in its folder"
        assert shown.startswith("Opened study.qualcode read-only: ") and expected in shown
        assert "damaged" not in shown and start.messenger.last is None
        start.close_project()
        # Asked to open it for writing, the store refuses and names the real cause.
        with pytest.raises(ProjectReadOnlyError, match="cannot be changed here: .*" + expected):
            Project.open(path)
    assert start.open_project(path)
    assert start.project is not None and not start.project.read_only
