"""Import wizard, step 3: what to do with files already in the project, and the interviewer."""

from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup, QCheckBox, QGroupBox, QLabel, QRadioButton, QVBoxLayout, QWizardPage

from qualcode.domain.text import plural
from qualcode.gui.importing.speakers_page import SpeakerCasesPage
from qualcode.gui.importing.state import ImportState
from qualcode.services.importing.importing import DuplicatePolicy


class ImportOptionsPage(QWizardPage):
    def __init__(self, state: ImportState, speakers: SpeakerCasesPage) -> None:
        super().__init__()
        self.state = state
        self.speakers = speakers
        self.setTitle("Options")
        self.setSubTitle("A file that fails is reported and the others still arrive; undo takes back the lot.")
        duplicates = QGroupBox("A file whose text is already in the project")
        self.skip = QRadioButton("Skip it and say which document already has that text")
        self.copy = QRadioButton("Import it again as a separate copy")
        self.skip.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.skip)
        group.addButton(self.copy)
        box = QVBoxLayout(duplicates)
        box.addWidget(self.skip)
        box.addWidget(self.copy)
        self.exclude_interviewer = QCheckBox("Mark the interviewer's turns (shown quieter; queries can leave "
                                             "them out)")
        self.exclude_interviewer.setChecked(True)
        self.autocode = QCheckBox("Code each speaker's turns to a code “Speaker: <name>”")
        self.summary = QLabel("", objectName="panelHint")
        self.summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(duplicates)
        layout.addWidget(self.exclude_interviewer)
        layout.addWidget(self.autocode)
        layout.addStretch(1)
        layout.addWidget(self.summary)

    def initializePage(self) -> None:
        files = len(self.state.previews)
        words = sum(p.words for p in self.state.previews.values())
        linked = {case for cases in self.speakers.cases_by_path().values() for case in cases.values()}
        self.summary.setText(f"Ready to import {plural(files, 'file')} ({words:,} words)"
                             + (", linking speakers to cases." if linked else "."))

    def duplicates(self) -> str:
        return DuplicatePolicy.COPY.value if self.copy.isChecked() else DuplicatePolicy.SKIP.value
