"""File > Export / Import REFI-QDA: menu items that run the exchange as background jobs.

Exports and imports run off the UI thread (`workbench.run_job`); an import into the open
project is one undoable step, and Cancel while it writes rolls it back.
Each ends with the report dialog listing every deviation.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from qualcode.domain.progress import Progress
from qualcode.gui.contributions import Workbench

if TYPE_CHECKING:
    from qualcode.gui.exchange.report_dialog import ExchangeReportDialog
    from qualcode.services.exchange import refi as exchange

QDPX_FILTER = "REFI-QDA projects (*.qdpx)"
QDC_FILTER = "REFI-QDA codebooks (*.qdc)"
PROJECT_FILTER = "QualCode projects (*.qualcode)"


FILE_MENU = "&File"


def _exchange() -> Any:
    """The REFI-QDA exchange services, imported when first used (not at start-up)."""
    from qualcode.services.exchange import refi

    return refi


def submenu(menu: QMenu, title: str) -> QMenu:
    """The sub-menu `title` of `menu`, shared by every contributor: created if missing, in
    the menu's first group (before its first separator) so Close and Quit stay last."""
    for action in menu.actions():
        if action.menu() is not None and action.text().replace("&", "") == title.replace("&", ""):
            return action.menu()  # type: ignore[return-value]
    created = QMenu(title, menu)
    separator = next((a for a in menu.actions() if a.isSeparator()), None)
    if separator is None:
        menu.addMenu(created)
    else:
        menu.insertMenu(separator, created)
    return created


class ExchangeActions:
    """The REFI-QDA menu actions, bound to a workbench."""

    def __init__(self, workbench: Workbench) -> None:
        self.workbench = workbench
        self.reports: list[ExchangeReportDialog] = []  # the dialogs shown, newest last
        file_menu = workbench.menu(FILE_MENU)
        export_menu = submenu(file_menu, "&Export")
        import_menu = submenu(file_menu, "&Import")
        for menu in (export_menu, import_menu):
            if menu.actions():  # other features' items come first: keep ours as a group
                menu.addSeparator()
        self.export_project = self._action(export_menu, "REFI-QDA project (.qdpx)…", self.ask_export_qdpx,
                                           "The whole project, for NVivo, ATLAS.ti, MAXQDA, QualCoder …")
        self.export_codebook = self._action(export_menu, "REFI-QDA codebook (.qdc)…", self.ask_export_qdc,
                                            "The codes and themes with their levels, criteria and colours")
        self.import_project = self._action(import_menu, "REFI-QDA project into this project…", self.ask_import_qdpx,
                                           "Add what a .qdpx holds to the open project (one undoable step)")
        self.import_new = self._action(import_menu, "REFI-QDA project as a new project…", self.ask_import_new,
                                       "Create a new QualCode project from a .qdpx", needs_project=False)
        self.import_codebook = self._action(import_menu, "REFI-QDA codebook (.qdc)…", self.ask_import_qdc,
                                            "Add the codes of a .qdc to the open project")
        workbench.changed.connect(self._refresh)
        self._refresh()

    def _action(self, menu: QMenu, text: str, slot: Callable[[], None], tip: str, *,
                needs_project: bool = True) -> QAction:
        action = menu.addAction(text)
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.setProperty("needs_project", needs_project)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _refresh(self, _change: object = None) -> None:
        has_project = self.workbench.project is not None
        for action in (self.export_project, self.export_codebook, self.import_project, self.import_codebook):
            action.setEnabled(has_project)

    @property
    def _parent(self) -> Any:
        return self.workbench.main_window()

    def _folder(self) -> str:
        project = self.workbench.project
        return str(project.path.parent) if project is not None else str(Path.home())

    def _show(self, report: exchange.ExchangeReport, title: str) -> ExchangeReportDialog:
        from qualcode.gui.exchange.report_dialog import ExchangeReportDialog

        dialog = ExchangeReportDialog(report, title=title, parent=self._parent)
        self.reports.append(dialog)
        dialog.open()
        return dialog

    # -- export --------------------------------------------------------------------------------

    def ask_export_qdpx(self) -> None:
        project = self.workbench.project
        default = str(Path(self._folder()) / f"{project.path.stem if project else 'project'}.qdpx")
        name, _ = QFileDialog.getSaveFileName(self._parent, "Export REFI-QDA project", default, QDPX_FILTER)
        if name:
            self.export_qdpx(Path(name))

    def export_qdpx(self, path: Path) -> None:
        project = self.workbench.project
        if project is None:
            return

        def job(progress: Progress) -> exchange.ExchangeReport:
            with project.session() as session:
                return _exchange().export_qdpx(session, path=path, progress=progress)

        self.workbench.run_job("Exporting a REFI-QDA project", job, lambda r: self._show(r, "Export"))

    def ask_export_qdc(self) -> None:
        project = self.workbench.project
        default = str(Path(self._folder()) / f"{project.path.stem if project else 'codebook'}.qdc")
        name, _ = QFileDialog.getSaveFileName(self._parent, "Export REFI-QDA codebook", default, QDC_FILTER)
        if name:
            self.export_qdc(Path(name))

    def export_qdc(self, path: Path) -> None:
        project = self.workbench.project
        if project is None:
            return

        def job(_progress: Progress) -> exchange.ExchangeReport:
            with project.session() as session:
                return _exchange().export_qdc(session, path=path)

        self.workbench.run_job("Exporting a REFI-QDA codebook", job, lambda r: self._show(r, "Export"))

    # -- import --------------------------------------------------------------------------------

    def ask_import_qdpx(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self._parent, "Import a REFI-QDA project", self._folder(), QDPX_FILTER)
        if name:
            self.import_qdpx(Path(name))

    def import_qdpx(self, path: Path) -> None:
        """Read the file and write it into the project off the UI thread, as one undoable
        command (Cancel rolls the writing back)."""
        project, coder_id = self.workbench.project, self.workbench.coder_id
        reports: list[exchange.ExchangeReport] = []

        def job(progress: Progress) -> Any:
            prepared = _exchange().read_qdpx_file(path, progress=progress)
            with project.session() as session:
                change, report = _exchange().apply_import(session, prepared=prepared, coder_id=coder_id,
                                                       progress=progress)
            reports.append(report)
            return change

        self.workbench.run_job(f"Importing {path.name}", job,
                               lambda _change: self._show(reports[0], "Import") if reports else None)

    def ask_import_new(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self._parent, "Import a REFI-QDA project as a new project",
                                              self._folder(), QDPX_FILTER)
        if not name:
            return
        default = str(Path(name).with_suffix(".qualcode"))
        target, _ = QFileDialog.getSaveFileName(self._parent, "New QualCode project", default, PROJECT_FILTER)
        if target:
            self.import_new_project(Path(name), Path(target))

    def import_new_project(self, path: Path, target: Path) -> None:
        coder = self._coder_name()

        def job(progress: Progress) -> exchange.ExchangeReport:
            return _exchange().import_qdpx_as_new_project(path, target, coder_name=coder, progress=progress)

        def done(report: exchange.ExchangeReport) -> None:
            self._show(report, "Import")
            opener = getattr(self.workbench, "open_project", None)
            if callable(opener):
                opener(report.path)
            else:
                QMessageBox.information(self._parent, "Project created",
                                        f"Created {report.path.name}. Open it with File > Open.")

        self.workbench.run_job(f"Importing {path.name}", job, done)

    def _coder_name(self) -> str:
        import getpass

        coder_id = self.workbench.coder_id
        if coder_id is not None and self.workbench.project is not None:
            from qualcode.services.coders import get_coder

            return self.workbench.read(lambda session: get_coder(session, coder_id).name)
        return getpass.getuser() or "coder"

    def ask_import_qdc(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self._parent, "Import a REFI-QDA codebook", self._folder(), QDC_FILTER)
        if name:
            self.import_qdc(Path(name))

    def import_qdc(self, path: Path) -> None:
        reports: list[exchange.ExchangeReport] = []

        def action(session: Any) -> Any:
            change, report = _exchange().import_qdc(session, path=path, coder_id=self.workbench.coder_id)
            reports.append(report)
            return change

        if self.workbench.execute(action) is not None and reports:
            self._show(reports[0], "Import")


def contribute(workbench: Workbench) -> ExchangeActions:
    """Add File > Export and File > Import items for REFI-QDA projects and codebooks."""
    actions = ExchangeActions(workbench)
    workbench.main_window().qualcode_exchange_actions = actions  # lives as long as the window
    return actions
