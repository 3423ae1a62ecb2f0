"""The main window: the workbench researchers spend their days in, and the `Workbench` that
feature panels plug into (see qualcode.gui.contributions).

Every mutation runs as one transaction through `execute`, lands on the QUndoStack and is
announced by `changed`, which each panel uses to refresh only what the change touched.
"""

from __future__ import annotations

import re
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import import_module
from typing import Any, TypeVar

from PySide6.QtCore import QByteArray, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QUndoStack
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QMenu, QSizePolicy, QStackedWidget, QToolButton, QWidget

from qualcode.domain.errors import ConflictError, ProjectError, QualCodeError
from qualcode.domain.progress import Progress
from qualcode.gui import contributions
from qualcode.gui.contributions import PassageSource, SpanMark, TextSelection
from qualcode.gui.messages import Messenger
from qualcode.gui.settings import STATE_VERSION, RecentProjects, app_settings
from qualcode.gui.style import ERROR, tone_name
from qualcode.gui.undo import REFUSED, Refused, ServiceUndoCommand, keep_refused_step, merge_changes
from qualcode.gui.widgets.elided_label import ElidedLabel
from qualcode.gui.widgets.scrolling_panel import ScrollingPanel
from qualcode.gui.workbench.project_lifecycle import ProjectLifecycle
from qualcode.gui.workbench.start_page import StartPage
from qualcode.gui.workbench.workbench_panels import WorkbenchPanels
from qualcode.gui.worker import JobRunner, QuietJob, ReadAhead
from qualcode.services.coding.coding_stats import OpeningCounts
from qualcode.services.commands import Change, Command
from qualcode.store import project as project_store
from qualcode.store.project import Project

T = TypeVar("T")


class MainWindow(ProjectLifecycle, QMainWindow):
    changed = Signal(object)  # Change, or None when a project is opened or closed
    coder_changed = Signal(object)  # coder id

    def __init__(self, *, coder_name: str | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("QualCode")
        self.resize(initial_size(self))
        self.setDockNestingEnabled(True)
        self._project: Project | None = None
        self._backup_job: QuietJob | None = None
        self._backup_due: QTimer | None = None  # the check and backup of a project just opened
        self._opening: ReadAhead[OpeningCounts] | None = None  # counts read while a project opens
        self._put_off: list[Callable[[], None]] | None = None  # panels' reading put off while it opens
        self._preparing: QTimer | None = None  # the language tools load when the project is left alone
        self._coder_id: int | None = None
        self._coder_name = coder_name
        self._macro: list[Command] | None = None
        self._layers: dict[str, Callable[[Any, int], list[SpanMark]]] = {}
        self._layer_redraws: dict[str, Callable[[Change], bool]] = {}
        self.coding_actions: list[tuple[str, Callable[[int], None]]] = []  # features' actions on a coding
        self.dock_list: list[QDockWidget] = []
        self.dock_areas: dict[QDockWidget, Qt.DockWidgetArea] = {}
        self.hidden_by_default: set[QDockWidget] = set()
        self.hidden_layers: set[str] = set()
        self.settings = app_settings()
        self.recent = RecentProjects(self.settings)
        self.messenger = Messenger(self)
        self.undo_stack = QUndoStack(self)
        self.jobs = JobRunner(self)
        from qualcode.gui.workbench.live_refresh import LiveRefresh

        self.live = LiveRefresh(self)
        self.jobs.job_failed.connect(self.show_error)
        self.jobs.job_cancelled.connect(self.status_message)

        self.start_page = StartPage()
        self.panels = WorkbenchPanels(self)
        self.central = QStackedWidget()
        self.central.addWidget(self.start_page)
        self.central.addWidget(self.panels.viewer)
        self.setCentralWidget(self.central)
        self.start_page.new_requested.connect(self.new_project_dialog)
        self.start_page.open_requested.connect(self.open_project_dialog)
        self.start_page.demo_requested.connect(self.open_demo)
        self.start_page.recent_chosen.connect(self.open_recent)

        from qualcode.gui.importing.actions import ImportActions
        from qualcode.gui.workbench.window_actions import WindowActions

        self.import_actions = ImportActions(self)
        self.window_actions = WindowActions(self, self.panels, self.import_actions)
        self._build_status_bar()
        self._load_contributions()
        from qualcode.gui.workbench.panel_keys import PanelKeys

        self.panel_keys = PanelKeys(self, self.window_actions)
        self._restore_layout()
        self._show_start_page()
        # While the start page is read, get ready for the first project.
        QTimer.singleShot(150, project_store.prepare)

    # -- Workbench protocol ------------------------------------------------------------------
    @property
    def project(self) -> Project | None:
        return self._project

    @property
    def coder_id(self) -> int | None:
        return self._coder_id

    @property
    def read_only(self) -> bool:
        """The open project can be looked at, searched and exported, never changed."""
        return self._project is not None and self._project.read_only

    def execute(self, action: Callable[[Any], Change]) -> Change | None:
        if self._project is None:
            self.status_message("Open a project first.")
            return None
        if self._project.read_only:
            self.show_error(f"'{self._project.path.name}' is open read-only: nothing was changed.")
            return None
        try:
            with self._project.session() as session:
                change = action(session)
        except QualCodeError as exc:
            self.show_error(str(exc))
            return None
        except Exception as exc:  # a bug: keep the window usable and say what happened
            traceback.print_exc()
            self.show_error(f"Something went wrong and nothing was changed: {exc}")
            return None
        if change.command is not None:
            if self._macro is not None:
                self._macro.append(change.command)
            else:
                self.undo_stack.push(ServiceUndoCommand([change.command], self._replay))
        self.changed.emit(change)
        return change

    def read(self, query: Callable[[Any], T]) -> T:
        if self._project is None:
            raise ProjectError("No project is open.")
        with self._project.session() as session:
            return query(session)

    def run_job(self, title: str, job: Callable[[Progress], T], on_done: Callable[[T], None]) -> None:
        def done(result: T) -> None:
            if isinstance(result, Change) and result.command is not None and self._project is not None:
                self.undo_stack.push(ServiceUndoCommand([result.command], self._replay))
                self.changed.emit(result)
            on_done(result)

        self.jobs.start(title, job, done)

    def record_changes(self, title: str, changes: list[Change]) -> Change | None:
        """Put changes a job already made (an import, an anonymisation) on the undo stack as one
        step and announce them together."""
        commands = [c.command for c in changes if c.command is not None]
        if not commands or self._project is None:
            return None
        self.undo_stack.push(ServiceUndoCommand(commands, self._replay, title))
        merged = merge_changes(title, changes)
        self.changed.emit(merged)
        return merged

    def selection(self) -> TextSelection | None:
        return self.panels.viewer.selection()

    def show_span(self, document_id: int, start: int, end: int) -> None:
        if self.panels.viewer.document_id != document_id:
            self.open_document(document_id)
        self.panels.viewer.select(start, end)

    def menu(self, title: str) -> QMenu:
        wanted = title.replace("&", "").strip().lower()
        for action in self.menuBar().actions():
            menu = action.menu()
            if isinstance(menu, QMenu) and action.text().replace("&", "").strip().lower() == wanted:
                return menu
        menu = QMenu(title, self)
        self.menuBar().insertMenu(self.window_actions.help_menu.menuAction(), menu)
        return menu

    def add_dock(self, widget: QWidget, title: str, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title.replace("&", "&&"), self)
        dock.setObjectName("dock_" + re.sub(r"\W+", "_", title.lower()).strip("_"))
        scrolling = ScrollingPanel(widget)  # scrolls rather than outgrowing a small screen
        scrolling.setAccessibleName(title.replace("&", ""))
        dock.setWidget(scrolling)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(area, dock)
        self.dock_list.append(dock)
        self.dock_areas[dock] = area
        if hasattr(self, "window_actions"):  # a feature's dock: a tab beside the workbench's own
            self.window_actions.panels_menu.addAction(dock.toggleViewAction())
            self.panels.place_feature_dock(dock, area)
        return dock

    def add_viewer_layer(self, name: str, provider: Callable[[Any, int], list[SpanMark]], *,
                         redraw_after: Callable[[Change], bool] | None = None) -> None:
        self._layers[name] = provider
        if redraw_after is not None:
            self._layer_redraws[name] = redraw_after
        if hasattr(self, "window_actions"):
            self.window_actions.add_layer_toggle(name)
        self.panels.viewer.refresh_layers([name])

    @property
    def viewer_layers(self) -> dict[str, Callable[[Any, int], list[SpanMark]]]:
        return {name: p for name, p in self._layers.items() if name not in self.hidden_layers}

    def layer_redraw_needed(self, name: str, change: Change) -> bool:
        """Whether a change can alter what a viewer layer marks (without a test of its own: yes)."""
        test = self._layer_redraws.get(name)
        return test is None or test(change)

    def set_layer_visible(self, name: str, visible: bool) -> None:
        (self.hidden_layers.discard if visible else self.hidden_layers.add)(name)
        self.panels.viewer.refresh_layers()
        self.panels.retrieval.layers_changed()

    def show_passages(self, source: PassageSource) -> None:
        self.panels.retrieval.show_passages(source)
        dock = self.panels.retrieval_dock
        dock.show()
        dock.raise_()

    def add_coding_action(self, text: str, handler: Callable[[int], None]) -> None:
        self.coding_actions.append((text, handler))

    def main_window(self) -> QWidget:
        return self

    # -- undo --------------------------------------------------------------------------------
    def _replay(self, step: Callable[[Any], Change]) -> Change | Refused | None:
        if self._project is None:
            return None
        try:
            with self._project.session() as session:
                change = step(session)
        except ConflictError as exc:  # a team project: someone changed the same thing since
            self.show_error(f"{exc} The step stays in the undo history.")
            # Qt has already moved the stack's index: put it back once this undo has returned.
            QTimer.singleShot(0, lambda: keep_refused_step(self.undo_stack))
            return REFUSED
        except Exception as exc:
            self.show_error(f"This step could not be undone or redone ({exc}). The undo history was cleared; "
                            "the project itself is intact.")
            QTimer.singleShot(0, self.undo_stack.clear)
            return None
        self.changed.emit(change)
        return change

    @contextmanager
    def macro(self, title: str) -> Iterator[None]:
        """Group the commands executed inside into one undo step."""
        if self._macro is not None:
            yield
            return
        self._macro = []
        try:
            yield
        finally:
            commands, self._macro = self._macro, None
            if commands:
                self.undo_stack.push(ServiceUndoCommand(commands, self._replay, title))

    # -- messages ----------------------------------------------------------------------------
    def show_error(self, text: str, title: str = "QualCode") -> None:
        self.messenger.error(text, title)

    def show_info(self, text: str, title: str = "QualCode") -> None:
        self.messenger.info(text, title)

    def status_message(self, text: str, msecs: int = 6000) -> None:
        self.statusBar().showMessage(text, msecs)

    # -- status bar --------------------------------------------------------------------------
    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        bar.setSizeGripEnabled(False)
        self.coder_button = QToolButton(objectName="panelButton")
        self.coder_button.setToolTip("The coder your codings are recorded as. Click to switch.")
        self.coder_button.clicked.connect(self.window_actions.switch_coder_dialog)
        self.path_label = ElidedLabel("")
        self.members_label = QLabel("", objectName="membersLabel")
        self.members_label.setVisible(False)
        bar.addPermanentWidget(self.members_label)
        self.live.changes_arrived.connect(self.show_live_change)
        self.live.members_changed.connect(self.show_members)
        self.saved_label = QLabel("✓ All changes are saved automatically", objectName="savedLabel")
        bar.addPermanentWidget(self.path_label)
        bar.addPermanentWidget(self.coder_button)
        bar.addPermanentWidget(self.saved_label)
        self._update_status()

    def _update_status(self) -> None:
        project = self._project
        self.path_label.setText(str(getattr(project, "location", project.path)) if project else "")
        self.path_label.setToolTip(str(project.path) if project else "")
        self.coder_button.setVisible(project is not None)
        self.saved_label.setVisible(project is not None)
        self.saved_label.setText("Read-only: nothing can be changed" if self.read_only
                                 else "✓ All changes are saved automatically")
        self.saved_label.setObjectName("readOnlyLabel" if self.read_only else "savedLabel")
        self.saved_label.setStyleSheet(f"color: {tone_name(*ERROR)}; font-weight: 600;" if self.read_only else "")
        self.coder_button.setText(f"Coder: {self._coder_name or '—'}")

    # -- contributions and layout ------------------------------------------------------------
    def _load_contributions(self) -> None:
        for name in contributions.CONTRIBUTORS:
            try:
                import_module(name).contribute(self)
            except Exception as exc:  # one broken feature must not stop the workbench
                traceback.print_exc()
                self.messenger.warning(f"The '{name}' feature could not load: {exc}")
        # A feature that hid its dock wants it closed until the user opens it (View › Panels).
        self.hidden_by_default = {dock for dock in self.dock_list if dock.isHidden()}

    def _restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = self.settings.value("window/state")
        self._dock_state: QByteArray | None = state if isinstance(state, QByteArray) else None

    def reset_layout(self) -> None:
        self.panels.default_layout()
        self._dock_state = self.saveState(STATE_VERSION)

    def save_layout(self) -> None:
        if self._project is not None:
            self._dock_state = self.saveState(STATE_VERSION)
        self.settings.setValue("window/geometry", self.saveGeometry())
        if self._dock_state is not None:
            self.settings.setValue("window/state", self._dock_state)
        self.settings.sync()

    def _docks(self) -> list[QDockWidget]:
        return list(self.dock_list)

    def _show_start_page(self) -> None:
        if any(d.isVisible() for d in self._docks()):
            self._dock_state = self.saveState(STATE_VERSION)
        for dock in self._docks():
            dock.hide()
        self.window_actions.set_project_actions_enabled(False)
        self.window_actions.toolbar.hide()
        self.start_page.set_recent(self.recent.entries())
        self._size_start_page(shown=True)
        self.central.setCurrentWidget(self.start_page)

    def _size_start_page(self, *, shown: bool) -> None:
        """The start page's minimum height counts only while it is shown: behind the transcript
        it would keep the bottom docks (a case sheet, coded passages) low on a 720-pixel screen."""
        policy = QSizePolicy.Policy.Preferred if shown else QSizePolicy.Policy.Ignored
        self.start_page.setSizePolicy(policy, policy)

    def _show_workbench(self) -> None:
        self._size_start_page(shown=False)
        # Switching from one open project to another keeps the docks as they are: restoring the
        # saved layout over visible docks leaves their old tab bars behind (on the start page).
        switching = self.central.currentWidget() is self.panels.viewer and any(d.isVisible() for d in self._docks())
        self.central.setCurrentWidget(self.panels.viewer)
        restored = switching or (self._dock_state is not None and self.restoreState(self._dock_state, STATE_VERSION))
        if not restored or not any(d.isVisible() for d in self._docks()):
            self.panels.default_layout()
        self.window_actions.set_project_actions_enabled(True, read_only=self.read_only)
        self.panels.set_read_only(self.read_only)
        self.window_actions.toolbar.show()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.panels.flush()
        self.save_layout()
        self.close_project(show_start=False)
        self.jobs.wait(5000)
        super().closeEvent(event)


def initial_size(window: QWidget) -> QSize:
    """1440×900, or less on a smaller screen: the window never opens larger than the room there is."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    room = screen.availableGeometry().size() if screen is not None else QSize(1440, 900)
    return QSize(min(1440, room.width()), min(900, room.height()))


def excepthook(exc_type: type[BaseException], exc: BaseException, tb: Any) -> None:
    """Bugs in slots are printed, never fatal; user errors never reach here."""
    traceback.print_exception(exc_type, exc, tb, file=sys.stderr)
