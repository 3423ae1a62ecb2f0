"""Opening, creating and closing projects in the main window: checks with clear messages,
the current coder, recent projects, the demo, the last document read."""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QTimer

from qualcode.domain.errors import ProjectDamagedError, ProjectLockedError, QualCodeError
from qualcode.domain.location import is_team_url
from qualcode.gui.settings import STATE_VERSION
from qualcode.gui.worker import QuietJob, ReadAhead, run_in_background
from qualcode.services import coders as coder_service
from qualcode.services import documents as document_service
from qualcode.services import project as project_service
from qualcode.services._common import collector_paused
from qualcode.services.coding import coding_stats, coding_units
from qualcode.store.project import Project
from qualcode.store.sqlite_files import read_only_reason

PREPARE_WHEN_IDLE_MS = 2000  # the sentence splitter loads once the project is left alone this long
# The full integrity check and the rotating backup start this long after a project opens: begun
# at once, they took the second core from the counts read ahead and the first paint.
CHECK_AFTER_MS = 400

if TYPE_CHECKING:
    from PySide6.QtCore import QByteArray, QSettings, SignalInstance

    from qualcode.gui.window_api import WindowApi
    from qualcode.gui.workbench.start_page import StartPage
    from qualcode.gui.workbench.window_actions import WindowActions
    from qualcode.gui.workbench.workbench_panels import WorkbenchPanels

    class _Window(WindowApi, Protocol):
        """The rest of the main window this mixin works with."""

        _project: Project | None
        _backup_job: QuietJob | None
        _backup_due: QTimer | None
        _opening: ReadAhead[coding_stats.OpeningCounts] | None
        _put_off: list[Callable[[], None]] | None
        _preparing: QTimer | None
        changed: SignalInstance
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


def _prepare_language_tools() -> None:
    coding_units.prepare()
    # The pipeline lives as long as the process: kept out of the collector's sight like what
    # the open made, it no longer makes each full collection long.
    gc.freeze()


class ProjectLifecycle(_Base):
    """Mixed into MainWindow (kept apart so each module reads in one sitting)."""

    def open_project(self, path: str | Path, *, read_only: bool | None = None) -> bool:
        """Open a project file or a team project URL; `read_only` None: read-only when the file
        or its folder cannot be written (a read-only medium or share), and on request when it is
        open elsewhere."""
        # The models an open builds are tens of thousands of acyclic records: the cycle
        # collector, let run meanwhile, walks everything start-up made again and again and finds
        # nothing. What the open made is frozen at its end.
        with collector_paused():
            return self._open(path, read_only=read_only)

    def _open(self, path: str | Path, *, read_only: bool | None) -> bool:
        if isinstance(path, str) and is_team_url(path):
            return self._open_team(path)
        path = Path(path).expanduser().absolute()
        if self._project is not None and self._project.path == path and (
                read_only is None or read_only == self._project.read_only):
            return True
        why: str | None = None  # why the project opens read-only, when that was not asked for
        if read_only is None:
            why = read_only_reason(path) if path.exists() else None
            read_only = why is not None
        try:
            # The full integrity check and the rotating backup run off the UI thread once the
            # window shows the project (see _start_backup).
            # SQLite's quick check runs here while the counts the panels show are read on a thread
            # of their own; the full check and the backup run off the UI thread once the window
            # shows the project (see _schedule_backup).
            project = Project.open(path, read_only=read_only, backup=False, full_check=False, check_now=False)
        except ProjectLockedError as exc:
            if self.ask_open_read_only(str(exc)):
                return self._open(path, read_only=True)
            return False
        except QualCodeError as exc:
            if not path.exists():
                self.recent.remove(path)
                self.start_page.set_recent(self.recent.entries())
            self.show_error(str(exc), "Cannot open project")
            return False
        opening = ReadAhead(lambda: _read_opening_counts(project))
        damage = project.find_damage(full=False)
        if damage is not None:
            opening.result()  # its connection is back before the file is let go
            project.close()
            self.show_error(str(damage), "Cannot open project")
            return False
        try:
            name = self._coder_name or str(self.settings.value("coder/name", "") or "") or _login_name()
            with project.session() as session:
                coder = coder_service.find_coder(session, name) if read_only else \
                    coder_service.ensure_coder(session, name)
                title = project_service.project_title(session)
        except QualCodeError as exc:
            opening.result()
            project.close()
            self.show_error(str(exc), "Cannot open project")
            return False
        self._take_project(project, coder.id if coder else None, coder.name if coder else name, recent=path,
                           title=f"{title} — QualCode" + (" (read-only)" if read_only else ""),
                           backup=not project.read_only, opening=opening)
        self.status_message(f"Opened {path.name}" + (f" read-only: {why}" if why else
                                                      " read-only: nothing can be changed" if read_only else ""))
        return True

    def _take_project(self, project: Project, coder_id: int | None, coder_name: str, *, recent: Path | str,
                      title: str, backup: bool,
                      opening: ReadAhead[coding_stats.OpeningCounts] | None = None) -> None:
        """Show an opened project (a file or a team project) in the window, in place of the one
        open; `backup`: check it in full and back it up off the UI thread (a file one can write);
        `opening`: its counts, when their reading has already begun."""
        self.close_project(show_start=False)
        self._project = project
        # The counts of codings per node and document take the longest to read: a thread of
        # their own reads them while this one builds the window; the panels collect them.
        self._opening = opening or ReadAhead(lambda: _read_opening_counts(project))
        self._coder_id, self._coder_name = coder_id, coder_name
        self.recent.add(recent)
        self.undo_stack.clear()
        self.setWindowTitle(title)
        self._show_workbench()
        self._update_status()
        if backup:
            self._schedule_backup(project)
        self._put_off = []
        try:
            self.changed.emit(None)
            self.coder_changed.emit(self._coder_id)
            self._reopen_document()
            # Last, the panels that show the counts read ahead: they have had the longest to arrive.
            put_off, self._put_off = self._put_off, None
            for work in put_off:
                work()
        finally:
            self._put_off = None
            opening, self._opening = self._opening, None
            if opening is not None:
                opening.result()  # collected by the panels by now; its connection is back
        # The sentence splitter (spaCy) loads in the background once the project has been left
        # alone for a moment: loading takes the interpreter in turns with the window for over
        # half a second, which would slow each click and keystroke made meanwhile.
        self._prepare_when_idle()
        # What start-up and the open made (modules, the models of a large project) lives until
        # the project closes: kept out of the collector's sight meanwhile, it no longer makes
        # each full collection, which falls in the middle of some click, last a tenth of a second.
        gc.freeze()

    def put_off_while_opening(self, work: Callable[[], None]) -> bool:
        """While a project opens, put off `work` (a panel reading what the counts read ahead
        show) until the rest of the window is built and the transcript is open; True if it was
        put off, False at any other time (then the caller does it now)."""
        if self._put_off is None:
            return False
        if work not in self._put_off:
            self._put_off.append(work)
        return True

    def opening_counts(self) -> coding_stats.OpeningCounts | None:
        """The counts read ahead while the project opens; None at any other time (and when the
        read failed): then a panel reads its counts itself."""
        return self._opening.result() if self._opening is not None else None

    def open_team_project(self, url: str) -> bool:
        """Open a team project on its server; others' changes then show up live."""
        with collector_paused():
            return self._open_team(url)

    def _open_team(self, url: str) -> bool:
        from qualcode.services.teamwork.team import member_coder_id
        from qualcode.store.server import open_project as open_location

        try:
            project = open_location(url)
        except QualCodeError as exc:
            self.show_error(str(exc), "Cannot open team project")
            return False
        try:
            with project.session() as session:
                member = member_coder_id(project)
                coders = {c.id: c.name for c in coder_service.list_coders(session)}
                name = coders.get(member) if member is not None else None
                name = name or self._coder_name or _login_name()
                coder = coder_service.ensure_coder(session, name)
                title = project_service.project_title(session)
        except QualCodeError as exc:
            project.close()
            self.show_error(str(exc), "Cannot open team project")
            return False
        # The recent list keeps the URL without a password: that stays in the keyring or ~/.pgpass.
        # A team project's backups are the server's (pg_dump), not the window's.
        self._take_project(project, coder.id, coder.name, recent=str(getattr(project, "location", url)),
                           title=f"{title} (team) — QualCode", backup=False)
        self.live.start(project, getattr(project.url, "username", None))
        self.status_message(f"Opened the team project {url}")
        return True

    def open_team_project_dialog(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        last = str(self.settings.value("team/last_url", "") or "")
        url, accepted = QInputDialog.getText(
            self, "Open team project", "Team project URL (postgresql://you@server/project; the password comes "
            "from your keyring or ~/.pgpass):", text=last)
        if accepted and url.strip() and self.open_team_project(url.strip()):
            self.settings.setValue("team/last_url", url.strip())

    def show_live_change(self, change: object) -> None:
        """Others' committed work: refresh the views it touched, as after one's own step."""
        self.changed.emit(change)
        self.status_message(getattr(change, "title", "Changes by others"))
        self.live.poll_members()  # whoever changed something is connected now

    def show_members(self, names: list[str]) -> None:
        me = getattr(getattr(self._project, "url", None), "username", None)
        others = [n for n in names if n != me]
        self.members_label.setText(f"Also here: {', '.join(others)}" if others else "Nobody else is working now")
        self.members_label.setVisible(self._project is not None)

    def _schedule_backup(self, project: Project) -> None:
        """Start the full check and backup once the window has shown the project; closing the
        project, or waiting for the backup, starts them at once if they are still due."""
        due = QTimer(self)
        due.setSingleShot(True)
        due.timeout.connect(lambda: self._start_due_backup(project))
        due.start(CHECK_AFTER_MS)
        self._backup_due = due

    def _start_due_backup(self, project: Project) -> None:
        due, self._backup_due = self._backup_due, None
        if due is None:
            return
        due.stop()
        due.deleteLater()
        if self._project is project:
            self._start_backup(project)

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
        """Wait until the backup of the last open has ended (starting it if it is still due);
        True if it has."""
        if self._backup_due is not None and self._project is not None:
            self._start_due_backup(self._project)
        job = self._backup_job
        return job is None or job.wait(seconds)

    def _reopen_document(self) -> None:
        assert self._project is not None
        key = f"documents/{self._project.path}"
        ids = self.read(document_service.document_ids)
        wanted = self.settings.value(key)
        chosen = int(wanted) if wanted is not None and str(wanted).isdigit() and int(wanted) in ids else \
            (ids[0] if ids else None)
        if chosen is not None:
            self.open_document(chosen)

    def _prepare_when_idle(self) -> None:
        """(Re)start the wait before the language tools load: each change and each transcript
        opened puts it off again, until they have loaded once."""
        timer = self._preparing
        if timer is None:
            timer = self._preparing = QTimer(self)  # type: ignore[arg-type]
            timer.setSingleShot(True)
            timer.setInterval(PREPARE_WHEN_IDLE_MS)
            timer.timeout.connect(lambda: run_in_background(_prepare_language_tools))
            self.changed.connect(lambda _change: self._put_off_preparing())
        timer.start()

    def _put_off_preparing(self) -> None:
        timer: QTimer | None = self._preparing
        if timer is not None and timer.isActive():
            timer.start()

    def open_document(self, document_id: int) -> None:
        self._put_off_preparing()
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
        self.live.stop()
        self.members_label.setVisible(False)
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

    def open_recent(self, path: Path | str) -> bool:
        if isinstance(path, str) and is_team_url(path):
            return self.open_team_project(path)  # a server that cannot be reached now stays in the list
        if not Path(path).exists():
            self.recent.remove(path)
            self.start_page.set_recent(self.recent.entries())
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


def _read_opening_counts(project: Project) -> coding_stats.OpeningCounts:
    with project.session() as session:
        return coding_stats.opening_counts(session)


def _login_name() -> str:
    import getpass

    try:
        return getpass.getuser() or "coder"
    except Exception:
        return "coder"
