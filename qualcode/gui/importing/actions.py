"""Bringing material in: the import wizard run as a background job, participant sheets, and
anonymisation (search, review, apply). Each ends as one undoable step."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QFileDialog

from qualcode.domain.errors import QualCodeError
from qualcode.domain.text import plural
from qualcode.gui.dialogs import open_dialog
from qualcode.gui.importing.anonymise_review_dialog import AnonymiseReviewDialog
from qualcode.gui.importing.anonymise_setup_dialog import AnonymiseSetupDialog
from qualcode.gui.importing.wizard import ImportWizard
from qualcode.services import documents as document_service
from qualcode.services.cases import case_sheets
from qualcode.services.importing import anonymisation, importing
from qualcode.services.importing.anonymisation import AnonymisationPlan
from qualcode.services.importing.importing import ImportReport, ImportStatus

if TYPE_CHECKING:
    from qualcode.gui.window_api import WindowApi


class ImportActions(QObject):
    def __init__(self, window: WindowApi) -> None:
        super().__init__(window.main_window())
        self.window = window
        self.dialog: QDialog | None = None
        self.last_report: ImportReport | None = None


    # -- transcripts -------------------------------------------------------------------------
    def open_wizard(self, paths: list[Path] | None = None) -> ImportWizard:
        wizard = ImportWizard(self.window)
        if paths:
            wizard.files_page.add_paths(paths)
        open_dialog(self, wizard, lambda: self.start_import(wizard))
        return wizard

    def start_import(self, wizard: ImportWizard) -> None:
        project = self.window.project
        if project is None:
            return
        paths, options, mapping = wizard.paths(), wizard.options(self.window.coder_id), wizard.cases_by_path()
        self.window.run_job(
            f"Importing {plural(len(paths), 'document')}",
            lambda progress: importing.import_files(project, paths=paths, options=options, progress=progress,
                                                    speaker_cases_by_path=mapping),
            self.finish_import)

    def finish_import(self, report: ImportReport) -> None:
        self.last_report = report
        count = len(report.imported)
        self.window.record_changes(f"Import {plural(count, 'document')}", report.changes)
        lines = "".join(f"<li>{escape(o.message)}</li>" for o in report.outcomes
                        if o.status is not ImportStatus.IMPORTED)
        if lines:
            self.window.messenger.info(f"<p>{escape(report.summary())}</p><ul>{lines}</ul>", "Import finished")
        self.window.status_message(f"Import finished: {report.summary()}")
        if report.document_ids:
            self.window.open_document(report.document_ids[0])

    # -- participant sheets ------------------------------------------------------------------
    def case_sheet_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Import participants", str(Path.home()),
                                              "Spreadsheets (*.csv *.xlsx);;All files (*)")
        if path:
            self.import_case_sheet(Path(path))

    def import_case_sheet(self, path: Path) -> None:
        coder = self.window.coder_id
        change = self.window.execute(lambda s: case_sheets.import_case_sheet(
            s, path=path, options=case_sheets.CaseSheetOptions(coder_id=coder)))
        if change is not None:
            self.window.status_message(f"{path.name}: {change.result.summary()}")

    # -- anonymisation -----------------------------------------------------------------------
    def anonymise_dialog(self) -> QDialog | None:
        if self.window.project is None:
            return None
        documents = self.window.read(document_service.list_documents)
        dialog = AnonymiseSetupDialog(self.window, documents, self.window.open_document_id)
        return open_dialog(self, dialog, lambda: self.find_identifiers(dialog.document_ids(), dialog.categories(),
                                                                dialog.terms_path()))

    def find_identifiers(self, document_ids: list[int], categories: list[str], terms_path: Path | None) -> None:
        project = self.window.project
        if project is None:
            return
        try:
            terms = anonymisation.load_terms(terms_path) if terms_path else []
        except QualCodeError as exc:
            self.window.show_error(str(exc))
            return

        def job(progress: Any) -> AnonymisationPlan:
            with project.session() as session:
                return anonymisation.propose_anonymisation(session, document_ids=document_ids, terms=terms,
                                                           categories=categories, progress=progress)

        self.window.run_job("Looking for names and places", job, self.review)

    def review(self, plan: AnonymisationPlan) -> QDialog | None:
        if not plan.proposals:
            self.window.messenger.info("No names, places or other identifiers were found.", "Anonymise")
            return None
        dialog = AnonymiseReviewDialog(self.window, plan)
        return open_dialog(self, dialog, lambda: self.apply(dialog.plan(), dialog.key_path()))

    def apply(self, plan: AnonymisationPlan, key_path: Path | None) -> None:
        project = self.window.project
        if project is None or not plan.accepted:
            return
        coder = self.window.coder_id
        proposals = list(plan.proposals)

        notes: list[str] = []

        def job(progress: Any) -> list[Any]:
            notes.append(anonymisation.keep_original(project)[1])
            with project.session() as session:
                return anonymisation.apply_anonymisation(session, proposals=proposals, coder_id=coder,
                                                         progress=progress)

        def done(changes: list[Any]) -> None:
            count = len(plan.accepted)
            self.window.record_changes(f"Anonymise {plural(count, 'passage')}", changes)
            if key_path is not None:
                try:
                    anonymisation.export_key(plan.key, key_path)
                except QualCodeError as exc:
                    self.window.show_error(str(exc))
            self.window.status_message(f"Replaced {count} identifiers with pseudonyms. {' '.join(notes)}", 30000)

        self.window.run_job("Anonymising", job, done)
