"""A stand-in for the main window's Workbench, to test feature panels on their own.

It implements the protocol of qualcode.gui.contributions over a real project (real sessions,
real services, a real undo stack) on a plain QMainWindow for menus and docks. Jobs run at
once on the calling thread with a recording progress, so tests need no waiting, and what the
window would show (errors, status messages, jumps, opened projects) is recorded to check.
Test harness only.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QWidget

from qualcode.domain.errors import QualCodeError
from qualcode.domain.progress import RecordingProgress
from qualcode.gui.contributions import PassageSource, SpanMark, TextSelection
from qualcode.services.commands import Change, UndoStack
from qualcode.store.project import Project

T = TypeVar("T")


class StandInWorkbench(QMainWindow):
    changed = Signal(object)

    def __init__(self, project: Project | None, coder_id: int | None = None) -> None:
        super().__init__()
        self._project = project
        self._coder_id = coder_id
        self.stack = UndoStack()
        self.current_selection: TextSelection | None = None
        self.errors: list[str] = []
        self.messages: list[str] = []
        self.infos: list[str] = []  # what was told in a box
        self.jobs: list[str] = []
        self.jumps: list[tuple[int, int, int]] = []
        self.opened: list[Path] = []
        self.layers: dict[str, Callable[[Any, int], list[SpanMark]]] = {}
        self.docks: dict[str, QDockWidget] = {}
        self.passages: list[PassageSource] = []  # what was listed in "Coded passages"
        self.coding_actions: list[tuple[str, Callable[[int], None]]] = []
        self.resize(1100, 800)

    @property
    def project(self) -> Project | None:
        return self._project

    @property
    def coder_id(self) -> int | None:
        return self._coder_id

    def set_project(self, project: Project | None, coder_id: int | None = None) -> None:
        self._project, self._coder_id = project, coder_id
        self.changed.emit(None)

    def _session(self) -> Any:
        assert self._project is not None, "no project is open"
        return self._project.session()

    def _record(self, change: Change) -> None:
        self.stack.push(change)
        self.changed.emit(change)

    def execute(self, action: Callable[[Any], Change]) -> Change | None:
        try:
            with self._session() as session:
                change = action(session)
        except QualCodeError as exc:
            self.errors.append(str(exc))
            return None
        self._record(change)
        return change

    def undo(self) -> Change:
        with self._session() as session:
            change = self.stack.undo(session)
        self.changed.emit(change)
        return change

    def redo(self) -> Change:
        with self._session() as session:
            change = self.stack.redo(session)
        self.changed.emit(change)
        return change

    def read(self, query: Callable[[Any], T]) -> T:
        with self._session() as session:
            return query(session)

    def run_job(self, title: str, job: Callable[[Any], T], on_done: Callable[[T], None]) -> None:
        self.jobs.append(title)
        try:
            result = job(RecordingProgress())
        except QualCodeError as exc:
            self.errors.append(str(exc))
            return
        if isinstance(result, Change) and result.command is not None:
            self._record(result)
        on_done(result)

    def selection(self) -> TextSelection | None:
        return self.current_selection

    def show_span(self, document_id: int, start: int, end: int) -> None:
        self.jumps.append((document_id, start, end))

    def open_project(self, path: Path) -> None:
        self.opened.append(path)

    def menu(self, title: str) -> QMenu:
        for action in self.menuBar().actions():
            menu = action.menu()
            if isinstance(menu, QMenu) and action.text().replace("&", "") == title.replace("&", ""):
                return menu
        return self.menuBar().addMenu(title)

    def add_dock(self, widget: QWidget, title: str, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        self.docks[title] = dock
        return dock

    def add_viewer_layer(self, name: str, provider: Callable[[Any, int], list[SpanMark]], *,
                         redraw_after: Callable[[Any], bool] | None = None) -> None:
        self.layers[name] = provider

    def show_passages(self, source: PassageSource) -> None:
        self.passages.append(source)

    def add_coding_action(self, text: str, handler: Callable[[int], None]) -> None:
        self.coding_actions.append((text, handler))

    def main_window(self) -> QWidget:
        return self

    def status_message(self, text: str, msecs: int = 6000) -> None:
        self.messages.append(text)

    def show_error(self, text: str, title: str = "QualCode") -> None:
        self.errors.append(text)

    def show_info(self, text: str, title: str = "QualCode") -> None:
        self.infos.append(text)
