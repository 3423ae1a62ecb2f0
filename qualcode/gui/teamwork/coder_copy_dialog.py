"""Export a coder copy: the open project for one named coder, optionally blind."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qualcode.domain.errors import QualCodeError
from qualcode.gui.contributions import Workbench
from qualcode.gui.style import ERROR, tone_name
from qualcode.gui.teamwork.check_list import CheckList
from qualcode.gui.widgets.accessible import named
from qualcode.services.coders import list_coders
from qualcode.services.documents import list_documents
from qualcode.services.teamwork.distribute import CoderCopy, export_coder_copy


class CoderCopyDialog(QDialog):
    """Choose the coder and the file; the copy is written as a job."""

    def __init__(self, workbench: Workbench, parent: QWidget | None = None) -> None:
        super().__init__(parent or workbench.main_window())
        self.workbench = workbench
        self.setObjectName("coderCopyDialog")
        self.setWindowTitle("Export a coder copy")
        self.result_copy: CoderCopy | None = None
        self.coder = QComboBox(self)
        self.coder.setEditable(True)
        self.coder.addItems([c.name for c in workbench.read(list_coders)])
        self.coder.setCurrentText("")
        self.coder.lineEdit().setPlaceholderText("Name of the coder")
        self.blind = QCheckBox("Blind: leave out the other coders' codings, memos and journals", self)
        self.blind.setChecked(True)
        self.documents = CheckList(self)
        self.documents.setObjectName("coderCopyDocuments")
        documents = workbench.read(list_documents)
        self.documents.fill([(d.id, d.name) for d in documents], checked=[d.id for d in documents])
        self.documents.setMaximumHeight(120)
        self.documents.setToolTip("The documents this coder is asked to code. The choice is recorded, so "
                                  "agreement counts the others as missing for this coder, not as not coded.")
        self.path = named(QLineEdit(self), "Save as", "The file the coder's copy is written to")
        browse = QPushButton("Browse…", self)
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(browse)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Coder", self.coder)
        form.addRow("", self.blind)
        form.addRow("Assigned documents", self.documents)
        form.addRow("Save as", where)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.export_button = self.buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.export)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("The copy keeps the documents, cases and codebook with their identities, so it "
                                "merges back cleanly.", self))
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.coder.currentTextChanged.connect(self._suggest)
        self.resize(560, 340)

    def _suggest(self, name: str) -> None:
        project = self.workbench.project
        if project is not None and name.strip():
            slug = "-".join(name.split()).lower()
            self.path.setText(str(project.path.with_name(f"{project.path.stem}-{slug}.qualcode")))

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save coder copy", self.path.text(),
                                              "QualCode projects (*.qualcode)")
        if path:
            self.path.setText(path)

    def export(self) -> None:
        project = self.workbench.project
        if project is None:
            return
        name, target, blind = self.coder.currentText(), Path(self.path.text().strip()), self.blind.isChecked()
        chosen = self.documents.checked_ids()
        documents = None if len(chosen) == self.documents.count() else chosen
        if not self.path.text().strip():
            self.status.setText(f"<span style='color:{tone_name(*ERROR)}'>Choose where to save the copy.</span>")
            return

        def job(progress: Any) -> CoderCopy | QualCodeError:
            try:
                return export_coder_copy(project.path, target, coder_name=name, blind=blind, documents=documents,
                                         progress=progress)
            except QualCodeError as exc:
                return exc

        self.workbench.run_job("Exporting a coder copy", job, self._done)

    def _done(self, outcome: CoderCopy | QualCodeError) -> None:
        if isinstance(outcome, QualCodeError):
            self.status.setText(f"<span style='color:{tone_name(*ERROR)}'>{html.escape(str(outcome))}</span>")
            return
        self.result_copy = outcome
        self.accept()
