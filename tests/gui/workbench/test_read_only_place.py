"""A project where nothing can be written: the window says why, instead of reporting a lost
change nobody made or calling the project damaged."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

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
        assert not start.open_project(path)
        message = start.messenger.last
        assert message is not None and message.title == "Cannot open project"
        assert message.text.startswith("'study.qualcode' cannot be changed here: ")
        expected = "the file itself is read-only" if locked == "file" else "permission to write in its folder"
        assert expected in message.text
        assert "not saved" not in message.text and "damaged" not in message.text
        assert start.project is None
        # Reading it is still possible.
        with Project.open(path, read_only=True) as project:
            assert project.read_only
    assert start.open_project(path)
