"""A small stand-in for the main window's Workbench, to exercise contributions on their own.

It offers what the Workbench protocol promises: menus on a real QMainWindow, `execute`
with an undo stack, `read`, and `run_job` (run at once here, with a recording progress).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMainWindow, QMenu

from qualcode.domain.errors import QualCodeError
from qualcode.domain.progress import RecordingProgress
from qualcode.services.commands import Change, UndoStack
from qualcode.store.project import Project

T = TypeVar("T")


class _Signals(QObject):
    changed = Signal(object)


class StandInWorkbench:
    def __init__(self, project: Project | None, coder_id: int | None = None) -> None:
        self.window = QMainWindow()
        self._signals = _Signals()
        self._project = project
        self._coder_id = coder_id
        self.stack = UndoStack()
        self.jobs: list[str] = []
        self.errors: list[str] = []
        self.opened: list[Path] = []

    @property
    def project(self) -> Project | None:
        return self._project

    @property
    def coder_id(self) -> int | None:
        return self._coder_id

    @property
    def changed(self) -> Any:
        return self._signals.changed

    def set_project(self, project: Project | None, coder_id: int | None = None) -> None:
        self._project, self._coder_id = project, coder_id
        self.changed.emit(None)

    def execute(self, action: Callable[[Any], Change]) -> Change | None:
        assert self._project is not None
        try:
            with self._project.session() as session:
                change = action(session)
        except QualCodeError as exc:
            self.errors.append(str(exc))
            return None
        self.stack.push(change)
        self.changed.emit(change)
        return change

    def read(self, query: Callable[[Any], T]) -> T:
        assert self._project is not None
        with self._project.session() as session:
            return query(session)

    def run_job(self, title: str, job: Callable[[Any], T], on_done: Callable[[T], None]) -> None:
        self.jobs.append(title)
        try:
            result = job(RecordingProgress())
        except QualCodeError as exc:
            self.errors.append(str(exc))
            return
        on_done(result)

    def open_project(self, path: Path) -> None:
        self.opened.append(path)

    def menu(self, title: str) -> QMenu:
        for action in self.window.menuBar().actions():
            if action.menu() is not None and action.text() == title:
                return action.menu()  # type: ignore[return-value]
        return self.window.menuBar().addMenu(title)

    def main_window(self) -> QMainWindow:
        return self.window
