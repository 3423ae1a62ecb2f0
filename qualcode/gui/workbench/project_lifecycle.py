"""Opening, creating and closing projects in the main window: checks with clear messages,
the current coder, recent projects, the demo, the last document read."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from qualcode.domain.errors import ProjectLockedError, QualCodeError
from qualcode.gui.settings import STATE_VERSION
from qualcode.gui.worker import run_in_background
from qualcode.services import coders as coder_service
from qualcode.services import documents as document_service
from qualcode.services import project as project_service
from qualcode.services.coding import coding_units
from qualcode.store.project import Project, writable

if TYPE_CHECKING:
    from PySide6.QtCore import QByteArray, QSettings

    from qualcode.gui.window_api import WindowApi
    from qualcode.gui.workbench.start_page import StartPage
    from qualcode.gui.workbench.window_actions import WindowActions
    from qualcode.gui.workbench.workbench_panels import WorkbenchPanels

    class _Window(WindowApi, Protocol):
        """The rest of the main window this mixin works with."""

        _project: Project | None
        _coder_id: int | None
        _coder_name: str
        _dock_state: QByteArray | None
        panels: WorkbenchPanels
        window_actions: WindowActions
        settings: QSettings
        start_page: StartPage

        def _update_status(self) -> None: ...
        def _show_start_page(self) -> None: ...
        def _show_workbench(self) -> None: ...
        def saveState(self, version: int = 0) -> QByteArray: ...
        def setWindowTitle(self, title: str) -> None: ...

    _Base = _Window
else:
    _Base = object


class ProjectLifecycle(_Base):
    """Mixed into MainWindow (kept apart so each module reads in one sitting)."""

    def open_project(self, path: str | Path, *, read_only: bool | None = None) -> bool:
        """Open a project; `read_only` None: read-only when the file or its folder cannot be
        written (a read-only medium or share), and on request when it is open elsewhere."""
        path = Path(path).expanduser().absolute()
        if self._project is not None and self._project.path == path and (
                read_only is None or read_only == self._project.read_only):
            return True
        if read_only is None:
            read_only = path.exists() and not writable(path)
        try:
            project = Project.open(path, read_only=read_only)
        except ProjectLockedError as exc:
            if self.ask_open_read_only(str(exc)):
                return self.open_project(path, read_only=True)
            return False
        except QualCodeError as exc:
            if not path.exists():
                self.recent.remove(path)
                self.start_page.set_recent(self.recent.paths())
            self.show_error(str(exc), "Cannot open project")
            return False
        self.close_project(show_start=False)
        self._project = project
        try:
            name = self._coder_name or str(self.settings.value("coder/name", "") or "") or _login_name()
            with project.session() as session:
                coder = coder_service.find_coder(session, name) if read_only else \
                    coder_service.ensure_coder(session, name)
                title = project_service.summary(session).title
        except QualCodeError as exc:
            self._project = None
            project.close()
            self.show_error(str(exc), "Cannot open project")
            return False
        self._coder_id, self._coder_name = (coder.id, coder.name) if coder else (None, name)
        self.recent.add(path)
        self.undo_stack.clear()
        self.setWindowTitle(f"{title} — QualCode" + (" (read-only)" if read_only else ""))
        self._show_workbench()
        self._update_status()
        self.changed.emit(None)
        self.coder_changed.emit(self._coder_id)
        self._reopen_document()
        self.status_message(f"Opened {path.name}" + (" read-only: nothing can be changed" if read_only else ""))
        run_in_background(coding_units.prepare)
        return True

    def _reopen_document(self) -> None:
        assert self._project is not None
        key = f"documents/{self._project.path}"
        documents = self.read(document_service.list_documents)
        wanted = self.settings.value(key)
        ids = [d.id for d in documents]
        chosen = int(wanted) if wanted is not None and str(wanted).isdigit() and int(wanted) in ids else \
            (ids[0] if ids else None)
        if chosen is not None:
            self.open_document(chosen)

    def open_document(self, document_id: int) -> None:
        self.panels.open_document(document_id)
        if self._project is not None:
            self.settings.setValue(f"documents/{self._project.path}", document_id)

    @property
    def open_document_id(self) -> int | None:
        return self.panels.viewer.document_id

    def close_project(self, *, show_start: bool = True) -> None:
        if self._project is None:
            if show_start:
                self._show_start_page()
            return
        self.panels.flush()
        self._dock_state = self.saveState(STATE_VERSION)
        project, self._project = self._project, None
        self.undo_stack.clear()
        project.close()
        self._coder_id = None
        self.panels.viewer.clear()
        self.setWindowTitle("QualCode")
        self.changed.emit(None)
        self._update_status()
        if show_start:
            self._show_start_page()

    def create_project(self, path: str | Path, title: str = "") -> bool:
        try:
            project = Project.create(path, title=title)
            created = project.path
            project.close()
        except QualCodeError as exc:
            self.show_error(str(exc), "Cannot create project")
            return False
        return self.open_project(created)

    def open_recent(self, path: Path) -> bool:
        if not Path(path).exists():
            self.recent.remove(path)
            self.start_page.set_recent(self.recent.paths())
            self.window_actions.refresh_recent_menu()
            self.show_error(f"The project '{Path(path).name}' is no longer at {Path(path).parent}: it was moved "
                            "or deleted, so it was removed from the recent projects.", "Project not found")
            return False
        return self.open_project(path)

    def new_project_dialog(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getSaveFileName(self, "New project", str(self._dialog_folder() / "Untitled.qualcode"),
                                              "QualCode projects (*.qualcode)")
        if path:
            self.create_project(path, Path(path).stem)

    def ask_open_read_only(self, reason: str) -> bool:
        """Offer to open a project that is open elsewhere read-only (without message boxes, as
        in scripted use, the refusal is only reported)."""
        from PySide6.QtWidgets import QMessageBox

        if not self.messenger.boxes_enabled:
            self.show_error(reason, "Cannot open project")
            return False
        box = QMessageBox(QMessageBox.Icon.Question, "Project already open", reason, parent=self)  # type: ignore[arg-type]
        read_only = box.addButton("Open read-only", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(read_only)
        box.exec()
        return box.clickedButton() is read_only

    def open_read_only_dialog(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(self, "Open project read-only", str(self._dialog_folder()),
                                              "QualCode projects (*.qualcode);;All files (*)")
        if path:
            self.open_project(path, read_only=True)

    def _dialog_folder(self) -> Path:
        """Where file dialogs start: the open project's folder, else the last one used, else home."""
        if self._project is not None:
            return self._project.path.parent
        recent = self.recent.paths()
        return recent[0].parent if recent and recent[0].parent.exists() else Path.home()

    def open_project_dialog(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(self, "Open project", str(self._dialog_folder()),
                                              "QualCode projects (*.qualcode);;All files (*)")
        if path:
            self.open_project(path)

    def open_demo(self) -> None:
        """Open the demo project from the user's data folder, building it the first time."""
        from qualcode.services import demo

        path = demo.demo_path()
        if path.exists():
            self.open_project(path)
            return
        self.run_job("Building the demo project", lambda progress: demo.build_demo(path, progress=progress),
                     lambda built: self.open_project(built))

    def switch_coder(self, name: str) -> bool:
        if self._project is None:
            return False
        try:
            with self._project.session() as session:
                coder = coder_service.ensure_coder(session, name)
        except QualCodeError as exc:
            self.show_error(str(exc))
            return False
        self._coder_id, self._coder_name = coder.id, coder.name
        self.settings.setValue("coder/name", coder.name)
        self._update_status()
        self.coder_changed.emit(coder.id)
        self.status_message(f"Now coding as {coder.name}")
        return True


def _login_name() -> str:
    import getpass

    try:
        return getpass.getuser() or "coder"
    except Exception:
        return "coder"
