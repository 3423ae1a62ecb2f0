"""Import wizard, step 2: which speaker is the interviewer and which case (participant) each
other speaker is. "{id}" stands for the first word of each file's name."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWizardPage

from qualcode.gui.importing.state import ImportState
from qualcode.gui.widgets.accessible import named
from qualcode.services.importing.importing import file_id, resolve_case_name

SPEAKER, TURNS, FILES, INTERVIEWER, CASE = range(5)


class SpeakerCasesPage(QWizardPage):
    def __init__(self, state: ImportState) -> None:
        super().__init__()
        self.state = state
        self.setTitle("Speakers and participants")
        self.setSubTitle("Tick the interviewer; give every other speaker the case (participant) they are.")
        self.table = named(QTableWidget(0, 5), "Speakers", "Tick the interviewer; give every other speaker "
                           "the case (participant) they are")
        self.table.setObjectName("speakerTable")
        self.table.setTabKeyNavigation(False)  # Tab moves on; the arrow keys move between cells
        self.table.setHorizontalHeaderLabels(["Speaker", "Turns", "Files", "Interviewer", "Case"])
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(SPEAKER, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(FILES, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(CASE, QHeaderView.ResizeMode.Stretch)
        self.table.itemChanged.connect(self._edited)
        hint = QLabel("Each document is linked to the cases of its speakers. In a case name, {id} stands for "
                      "the first word of the file name: P03 for P03_interview.docx.", objectName="panelHint")
        hint.setWordWrap(True)
        self.hint = hint
        self.none_found = QLabel("No speaker labels were found in these files. Documents can be linked to "
                                 "cases later, in the Documents & cases panel.", objectName="panelHint")
        self.none_found.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)
        layout.addWidget(self.none_found)
        self._speakers: list[str] = []
        self._files: dict[str, list[Path]] = {}

    def initializePage(self) -> None:
        turns: dict[str, int] = {}
        interviewer: dict[str, bool] = {}
        self._files = {}
        for path, preview in self.state.previews.items():
            for speaker in preview.speakers:
                turns[speaker.speaker] = turns.get(speaker.speaker, 0) + speaker.turns
                interviewer[speaker.speaker] = interviewer.get(speaker.speaker, False) or speaker.interviewer
                self._files.setdefault(speaker.speaker, []).append(path)
        self._speakers = list(turns)
        self.table.blockSignals(True)
        self.table.setRowCount(len(self._speakers))
        for row, speaker in enumerate(self._speakers):
            files = self._files[speaker]
            self._set(row, SPEAKER, speaker, editable=False)
            self._set(row, TURNS, str(turns[speaker]), editable=False)
            self._set(row, FILES, ", ".join(file_id(p) for p in files), editable=False)
            check = QTableWidgetItem()
            check.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            check.setCheckState(Qt.CheckState.Checked if interviewer[speaker] else Qt.CheckState.Unchecked)
            self.table.setItem(row, INTERVIEWER, check)
            self._set(row, CASE, "" if interviewer[speaker] else "{id}", editable=True)
            self._show_resolved(row)
        self.table.blockSignals(False)
        self.none_found.setVisible(not self._speakers)
        self.table.setVisible(bool(self._speakers))
        self.hint.setVisible(bool(self._speakers))

    def _set(self, row: int, column: int, text: str, *, editable: bool) -> None:
        item = QTableWidgetItem(text)
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        item.setFlags(flags | Qt.ItemFlag.ItemIsEditable if editable else flags)
        self.table.setItem(row, column, item)

    def _edited(self, item: QTableWidgetItem) -> None:
        if item.column() == INTERVIEWER and item.checkState() == Qt.CheckState.Checked:
            self.table.blockSignals(True)
            self.table.item(item.row(), CASE).setText("")
            self.table.blockSignals(False)
        if item.column() in (INTERVIEWER, CASE):
            self._show_resolved(item.row())

    def _show_resolved(self, row: int) -> None:
        case = self.table.item(row, CASE)
        names = sorted({resolve_case_name(case.text(), p) for p in self._files[self._speakers[row]]}) \
            if case.text().strip() else []
        case.setToolTip("Linked to " + ", ".join(names) if names else "Not linked to a case")

    # -- what the import needs ---------------------------------------------------------------
    def set_case(self, speaker: str, case: str) -> None:
        self.table.item(self._speakers.index(speaker), CASE).setText(case)

    def set_interviewer(self, speaker: str, interviewer: bool) -> None:
        state = Qt.CheckState.Checked if interviewer else Qt.CheckState.Unchecked
        self.table.item(self._speakers.index(speaker), INTERVIEWER).setCheckState(state)

    def interviewers(self) -> tuple[str, ...]:
        return tuple(s for row, s in enumerate(self._speakers)
                     if self.table.item(row, INTERVIEWER).checkState() == Qt.CheckState.Checked)

    def cases_by_path(self) -> dict[Path, dict[str, str]]:
        mapping: dict[Path, dict[str, str]] = {path: {} for path in self.state.previews}
        for row, speaker in enumerate(self._speakers):
            case = " ".join(self.table.item(row, CASE).text().split())
            if case:
                for path in self._files[speaker]:
                    mapping[path][speaker] = case
        return mapping
