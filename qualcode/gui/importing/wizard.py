"""The import wizard: files, speakers to cases, options. Finishing hands the plan to the
window, which imports in the background with a progress dialog and Cancel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget, QWizard

from qualcode.gui.importing.files_page import ImportFilesPage
from qualcode.gui.importing.options_page import ImportOptionsPage
from qualcode.gui.importing.speakers_page import SpeakerCasesPage
from qualcode.gui.importing.state import ImportState
from qualcode.services.importing.importing import FilePreview, ImportOptions


class ImportWizard(QWizard):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("importWizard")
        self.setWindowTitle("Import documents")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setMinimumSize(720, 520)
        self.state = ImportState()
        self.previews: dict[Path, FilePreview] = self.state.previews
        self.errors: dict[Path, str] = self.state.errors
        self.files_page = ImportFilesPage(self.state)
        self.speakers_page = SpeakerCasesPage(self.state)
        self.options_page = ImportOptionsPage(self.state, self.speakers_page)
        for page in (self.files_page, self.speakers_page, self.options_page):
            self.addPage(page)
        self.setButtonText(QWizard.WizardButton.FinishButton, "Import")

    def paths(self) -> list[Path]:
        return list(self.previews)

    def options(self, coder_id: int | None) -> ImportOptions:
        interviewers = self.speakers_page.interviewers()
        return ImportOptions(
            kind=self.files_page.chosen_kind(),
            duplicates=self.options_page.duplicates(),
            interviewer_speakers=interviewers,
            exclude_interviewer=self.options_page.exclude_interviewer.isChecked() and bool(interviewers),
            autocode_speakers=self.options_page.autocode.isChecked(),
            coder_id=coder_id,
        )

    def cases_by_path(self) -> dict[Path, dict[str, str]]:
        return self.speakers_page.cases_by_path()
