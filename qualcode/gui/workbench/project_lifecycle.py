"""Opening, creating and closing projects in the main window: checks with clear messages,
the current coder, recent projects, the demo, the last document read."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from qualcode.domain.errors import ProjectDamagedError, QualCodeError
from qualcode.gui.settings import STATE_VERSION
from qualcode.gui.worker import QuietJob, run_in_background
from qualcode.services import coders as coder_service
from qualcode.services import documents as document_service
from qualcode.services import project as project_service
from qualcode.services.coding import coding_units
from qualcode.store.project import Project

if TYPE_CHECKING:
    from PySide6.QtCore import QByteArray, QSettings

    from qualcode.gui.window_api import WindowApi
    from qualcode.gui.workbench.start_page import StartPage
    from qualcode.gui.workbench.window_actions import WindowActions
    from qualcode.gui.workbench.workbench_panels import WorkbenchPanels

    class _Window(WindowApi, Protocol):
        """The rest of the main window this mixin works with."""

        _project: Project | None
        _backup_job: QuietJob | None
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

    def open_project(self, path: str | Path) -> bool:
        path = Path(path).expanduser().absolute()
        if self._project is not None and self._project.path == path:
            return True
        try:
            # The full integrity check and the rotating backup run off the UI thread once the
            # window shows the project (see _start_backup).
            project = Project.open(path, backup=False, full_check=False)
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
                coder = coder_service.ensure_coder(session, name)
                title = project_service.summary(session).title
        except QualCodeError as exc:
            self._project = None
            project.close()
            self.show_error(str(exc), "Cannot open project")
            return False
        self._coder_id, self._coder_name = coder.id, coder.name
        self.recent.add(path)
        self.undo_stack.clear()
        self.setWindowTitle(f"{title} — QualCode")
        self._show_workbench()
        self._update_status()
        if not project.read_only:
            self._start_backup(project)
        self.changed.emit(None)
        self.coder_changed.emit(self._coder_id)
        self._reopen_document()
        self.status_message(f"Opened {path.name}")
        run_in_background(coding_units.prepare)
        # What start-up and the open made (modules, the models of a large project) lives until
        # the project closes: kept out of the collector's sight meanwhile, it no longer makes
        # each full collection, which falls in the middle of some click, last a tenth of a second.
        gc.freeze()
        return True

    def _start_backup(self, project: Project) -> None:
        """Keep the promises of opening without making the window wait: the full integrity
        check and a fresh rotating backup run on a pool thread (the open itself ran SQLite's
        quick check). A damaged project is closed with the same message an open gives, and
        no backup is written, so the good backups are not rotated away."""

        def check_and_back_up() -> ProjectDamagedError | Path:
            return project.find_damage() or project.back_up()

        self._backup_job = QuietJob(
            check_and_back_up,
            on_done=lambda outcome: self._backup_ended(project, outcome),
            on_failed=lambda exc: self._backup_failed(project, exc),
            parent=self,
        )

    def _backup_ended(self, project: Project, outcome: ProjectDamagedError | Path) -> None:
        if isinstance(outcome, Path):
            self.status_message(f"Backed up to {outcome.parent.name}/{outcome.name}")
            return
        if self._project is project:
            self.close_project()
        self.show_error(str(outcome), "Project is damaged")

    def _backup_failed(self, project: Project, exc: BaseException) -> None:
        detail = str(exc) if isinstance(exc, QualCodeError) else f"Could not back up '{project.path.name}': {exc}."
        self.messenger.warning(f"{detail} The project is open without a fresh backup: your work is saved "
                               "as usual, but copy the project file somewhere safe.", "No fresh backup")

    def wait_for_backup(self, seconds: float | None = 60) -> bool:
        """Wait until the backup started at the last open has ended; True if it has."""
        job = self._backup_job
        return job is None or job.wait(seconds)

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
        # The backup reads the file through its own connection: let it end before closing,
        # so closing can fold the log into the file and the lock is not let go under it.
        self.wait_for_backup()
        project, self._project = self._project, None
        self.undo_stack.clear()
        project.close()
        gc.unfreeze()  # what belonged to the project can be collected again
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

        path, _ = QFileDialog.getSaveFileName(self, "New project", str(Path.home() / "Untitled.qualcode"),
                                              "QualCode projects (*.qualcode)")
        if path:
            self.create_project(path, Path(path).stem)

    def open_project_dialog(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(self, "Open project", str(Path.home()),
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
