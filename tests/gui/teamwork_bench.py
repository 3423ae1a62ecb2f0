"""A minimal real Workbench for testing the teamwork widgets on their own.

It runs jobs on the calling thread (so tests need no waiting), opens one session per action
as the main window does, keeps an undo list of the commands it executed, and records the
errors it would have shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QWidget

from qualcode.domain.errors import QualCodeError
from qualcode.domain.progress import RecordingProgress
from qualcode.gui.contributions import SpanMark, TextSelection
from qualcode.services.commands import Change, Command
from qualcode.store.project import Project

T = TypeVar("T")


class TeamworkBench(QMainWindow):
    changed = Signal(object)

    def __init__(self, project: Project, coder_id: int | None = None) -> None:
        super().__init__()
        self._project = project
        self._coder_id = coder_id
        self.done: list[Command] = []
        self.errors: list[str] = []
        self.jobs: list[str] = []
        self.shown_spans: list[tuple[int, int, int]] = []
        self.docks: dict[str, QDockWidget] = {}
        self.layers: dict[str, Callable[[Any, int], list[SpanMark]]] = {}
        self.resize(1100, 700)

    @property
    def project(self) -> Project | None:
        return self._project

    @property
    def coder_id(self) -> int | None:
        return self._coder_id

    def _record(self, change: Change) -> None:
        if change.command is not None:
            self.done.append(change.command)
        self.changed.emit(change)

    def execute(self, action: Callable[[Any], Change]) -> Change | None:
        try:
            with self._project.session() as session:
                change = action(session)
        except QualCodeError as exc:
            self.errors.append(str(exc))
            return None
        self._record(change)
        return change

    def read(self, query: Callable[[Any], T]) -> T:
        with self._project.session() as session:
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

    def undo(self) -> Change:
        command = self.done.pop()
        with self._project.session() as session:
            change = command.revert(session)
        self.changed.emit(change)
        return change

    def selection(self) -> TextSelection | None:
        return None

    def show_span(self, document_id: int, start: int, end: int) -> None:
        self.shown_spans.append((document_id, start, end))

    def menu(self, title: str) -> QMenu:
        for action in self.menuBar().actions():
            if action.text().replace("&", "") == title.replace("&", ""):
                menu = action.menu()
                assert isinstance(menu, QMenu)
                return menu
        return self.menuBar().addMenu(title)

    def add_dock(self, widget: QWidget, title: str, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        self.docks[title] = dock
        return dock

    def add_viewer_layer(self, name: str, provider: Callable[[Any, int], list[SpanMark]]) -> None:
        self.layers[name] = provider

    def main_window(self) -> QWidget:
        return self
