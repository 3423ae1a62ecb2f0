"""Fixtures for the workbench tests: settings kept in a temporary folder, the demo project
built once per session and copied for each test, and an open main window on it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from qualcode.gui.appearance import apply_style
from qualcode.gui.workbench.main_window import MainWindow
from qualcode.services import demo
from qualcode.store.project import Project

CODER = "Hannah Fielding"


@pytest.fixture(autouse=True)
def private_settings(tmp_path: Path) -> Iterator[Path]:
    """Window layout, recent projects and the coder go to a test folder, never the user's."""
    folder = tmp_path / "settings"
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    yield folder


@pytest.fixture(scope="session")
def styled_app(qapp: QApplication) -> QApplication:
    apply_style(qapp)
    return qapp


@pytest.fixture(scope="session")
def demo_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo.build_demo(tmp_path_factory.mktemp("demo") / "QualCode demo.qualcode")


@pytest.fixture
def demo_file(demo_master: Path, tmp_path: Path) -> Path:
    target = tmp_path / "demo.qualcode"
    shutil.copy(demo_master, target)
    return target


def make_window(qtbot, *, coder: str = CODER) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(coder_name=coder)
    qtbot.addWidget(window)
    window.messenger.boxes_enabled = False
    window.resize(1600, 1000)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def window(qtbot, styled_app: QApplication, demo_file: Path) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    win = make_window(qtbot)
    assert win.open_project(demo_file), win.messenger.history
    qtbot.wait(1)
    yield win
    win.close()


def db(window: MainWindow) -> Project:
    assert window.project is not None
    return window.project
