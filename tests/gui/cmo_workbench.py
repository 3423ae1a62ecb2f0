"""A small Workbench for testing feature panels on their own: it implements the protocol of
qualcode.gui.contributions over a real project (real sessions, real services, a real undo
stack), with a plain QMainWindow for menus and docks. Test harness only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QWidget

from qualcode.domain.errors import QualCodeError
from qualcode.domain.progress import NullProgress
from qualcode.gui.contributions import SpanMark, TextSelection
from qualcode.services.commands import Change, UndoStack
from qualcode.store.project import Project

T = TypeVar("T")


class StandaloneWorkbench(QObject):
    changed = Signal(object)

    def __init__(self, project: Project, coder_id: int) -> None:
        super().__init__()
        self._project = project
        self._coder_id = coder_id
        self.window = QMainWindow()
        self.window.resize(1100, 800)
        self.stack = UndoStack()
        self.current_selection: TextSelection | None = None
        self.jumps: list[tuple[int, int, int]] = []
        self.errors: list[str] = []
        self.messages: list[str] = []
        self.layers: dict[str, Callable[[Any, int], list[SpanMark]]] = {}
        self.docks: dict[str, QDockWidget] = {}

    @property
    def project(self) -> Project | None:
        return self._project

    @property
    def coder_id(self) -> int | None:
        return self._coder_id

    def execute(self, action: Callable[[Any], Change]) -> Change | None:
        try:
            with self._project.session() as session:
                change = action(session)
        except QualCodeError as exc:
            self.errors.append(str(exc))
            return None
        self.stack.push(change)
        self.changed.emit(change)
        return change

    def undo(self) -> None:
        with self._project.session() as session:
            change = self.stack.undo(session)
        self.changed.emit(change)

    def redo(self) -> None:
        with self._project.session() as session:
            change = self.stack.redo(session)
        self.changed.emit(change)

    def read(self, query: Callable[[Any], T]) -> T:
        with self._project.session() as session:
            return query(session)

    def run_job(self, title: str, job: Callable[[Any], T], on_done: Callable[[T], None]) -> None:
        on_done(job(NullProgress()))

    def selection(self) -> TextSelection | None:
        return self.current_selection

    def show_span(self, document_id: int, start: int, end: int) -> None:
        self.jumps.append((document_id, start, end))

    def menu(self, title: str) -> QMenu:
        for action in self.window.menuBar().actions():
            if action.text() == title and action.menu() is not None:
                return action.menu()
        return self.window.menuBar().addMenu(title)

    def add_dock(self, widget: QWidget, title: str, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self.window)
        dock.setWidget(widget)
        self.window.addDockWidget(area, dock)
        self.docks[title] = dock
        return dock

    def add_viewer_layer(self, name: str, provider: Callable[[Any, int], list[SpanMark]]) -> None:
        self.layers[name] = provider

    def main_window(self) -> QWidget:
        return self.window

    def status_message(self, text: str, msecs: int = 6000) -> None:
        self.messages.append(text)
