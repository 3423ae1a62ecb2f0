"""Anonymise, step 2: review every proposed replacement — keep or reject it, change the
pseudonym — then apply the kept ones (one undoable step)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qualcode.domain.text import plural
from qualcode.gui.widgets.accessible import named
from qualcode.services.importing.anonymisation import AnonymisationPlan, Proposal

KEEP, DOCUMENT, FOUND, CATEGORY, PSEUDONYM, CONTEXT = range(6)
ALL = "All kinds"


class AnonymiseReviewDialog(QDialog):
    def __init__(self, parent: QWidget, plan: AnonymisationPlan) -> None:
        super().__init__(parent)
        self.setObjectName("anonymiseReview")
        self.setWindowTitle("Review anonymisation")
        self.resize(1000, 620)
        self._plan = plan
        self._proposals = list(plan.proposals)
        intro = QLabel("Untick what should stay as it is and edit any pseudonym: the same name keeps the same "
                       "pseudonym everywhere. Codings stay on the same words.")
        intro.setWordWrap(True)
        self.category = named(QComboBox(), "Show identifiers of kind")
        self.category.addItem(ALL)
        self.category.addItems(sorted({p.category for p in self._proposals}))
        self.category.currentTextChanged.connect(self._filter)
        keep_all = QPushButton("Keep all shown")
        keep_all.clicked.connect(lambda: self._set_shown(True))
        reject_all = QPushButton("Reject all shown")
        reject_all.clicked.connect(lambda: self._set_shown(False))
        bar = QHBoxLayout()
        bar.addWidget(self.category)
        bar.addStretch(1)
        bar.addWidget(keep_all)
        bar.addWidget(reject_all)
        self.table = named(QTableWidget(len(self._proposals), 6), "Identifiers found",
                           "Untick Keep to leave one as it is; edit Replace with to change its pseudonym")
        self.table.setObjectName("proposalTable")
        self.table.setTabKeyNavigation(False)  # Tab moves on; the arrow keys move between cells
        self.table.setHorizontalHeaderLabels(["Keep", "Document", "Found", "Kind", "Replace with", "In context"])
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(CONTEXT, QHeaderView.ResizeMode.Stretch)
        for column, width in ((KEEP, 48), (DOCUMENT, 150), (FOUND, 140), (CATEGORY, 90), (PSEUDONYM, 140)):
            header.resizeSection(column, width)
        self.table.blockSignals(True)
        for row, proposal in enumerate(self._proposals):
            keep = QTableWidgetItem()
            keep.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            keep.setCheckState(Qt.CheckState.Checked if proposal.accepted else Qt.CheckState.Unchecked)
            self.table.setItem(row, KEEP, keep)
            for column, text in ((DOCUMENT, proposal.document_name), (FOUND, proposal.original),
                                 (CATEGORY, proposal.category), (CONTEXT, " ".join(proposal.context.split()))):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(row, column, item)
            self.table.setItem(row, PSEUDONYM, QTableWidgetItem(proposal.pseudonym))
        self.table.blockSignals(False)
        self.table.itemChanged.connect(self._changed)
        self.save_key = QCheckBox("Save the key (real names → pseudonyms) to a file I choose")
        self.count = QLabel("", objectName="panelHint")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        self._key_path: Path | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.save_key)
        layout.addWidget(self.count)
        layout.addWidget(self.buttons)
        self._count()

    def _changed(self, item: QTableWidgetItem) -> None:
        if item.column() == PSEUDONYM:  # the same name keeps one pseudonym everywhere
            edited = self._proposals[item.row()]
            self.table.blockSignals(True)
            for row, proposal in enumerate(self._proposals):
                if (proposal.category, proposal.original.lower()) == (edited.category, edited.original.lower()):
                    self.table.item(row, PSEUDONYM).setText(item.text())
            self.table.blockSignals(False)
        self._count()

    def _filter(self, category: str) -> None:
        for row, proposal in enumerate(self._proposals):
            self.table.setRowHidden(row, category != ALL and proposal.category != category)

    def _set_shown(self, keep: bool) -> None:
        state = Qt.CheckState.Checked if keep else Qt.CheckState.Unchecked
        for row in range(self.table.rowCount()):
            if not self.table.isRowHidden(row):
                self.table.item(row, KEEP).setCheckState(state)

    def set_kept(self, proposal_id: int, keep: bool) -> None:
        row = next(i for i, p in enumerate(self._proposals) if p.id == proposal_id)
        self.table.item(row, KEEP).setCheckState(Qt.CheckState.Checked if keep else Qt.CheckState.Unchecked)

    def set_pseudonym(self, proposal_id: int, pseudonym: str) -> None:
        row = next(i for i, p in enumerate(self._proposals) if p.id == proposal_id)
        self.table.item(row, PSEUDONYM).setText(pseudonym)

    def _count(self) -> None:
        kept = sum(1 for p in self.plan().proposals if p.accepted)
        self.count.setText(f"{kept} of {len(self._proposals)} replacements will be applied.")
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(f"Apply {plural(kept, 'replacement')}")
        ok.setEnabled(kept > 0)

    def plan(self) -> AnonymisationPlan:
        """The plan as reviewed: kept/rejected and pseudonyms as edited."""
        proposals: list[Proposal] = []
        for row, proposal in enumerate(self._proposals):
            kept = self.table.item(row, KEEP).checkState() == Qt.CheckState.Checked
            pseudonym = " ".join(self.table.item(row, PSEUDONYM).text().split()) or proposal.pseudonym
            proposals.append(replace(proposal, accepted=kept, pseudonym=pseudonym))
        return AnonymisationPlan(tuple(proposals), self._plan.key)

    def key_path(self) -> Path | None:
        return self._key_path

    def choose_key_path(self, path: Path | None) -> None:
        self._key_path = path

    def _accept(self) -> None:
        if self.save_key.isChecked() and self._key_path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Save the anonymisation key", "anonymisation-key.csv",
                                                  "CSV files (*.csv)")
            if not path:
                return
            self._key_path = Path(path)
        self.accept()
