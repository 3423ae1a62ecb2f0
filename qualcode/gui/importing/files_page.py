"""Import wizard, step 1: the files to import and what kind of documents they are."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWizardPage,
)

from qualcode.domain.enums import DocumentKind
from qualcode.domain.errors import QualCodeError
from qualcode.domain.text import plural
from qualcode.gui.importing.state import ImportState
from qualcode.gui.style import ERROR, tone
from qualcode.gui.widgets.accessible import named
from qualcode.io.documents import supported_suffixes
from qualcode.services.importing import importing

PATH_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_LABELS = {DocumentKind.INTERVIEW: "Interviews", DocumentKind.FOLLOW_UP: "Follow-up interviews",
               DocumentKind.OBSERVATION: "Observations", DocumentKind.FIELD_NOTE: "Field notes",
               DocumentKind.LITERATURE: "Literature"}


class ImportFilesPage(QWizardPage):
    def __init__(self, state: ImportState) -> None:
        super().__init__()
        self.state = state
        self.setTitle("Choose the files")
        self.setSubTitle("Text, Word, OpenDocument, RTF, PDF, Markdown, HTML or subtitles (WebVTT, SRT).")
        self.files = named(QListWidget(), "Files to import", "Each file with its format, words and speakers, "
                           "or why it cannot be read")
        self.files.setObjectName("importFiles")
        self.add_button = QPushButton("Add files…")
        self.add_button.clicked.connect(self.choose_files)
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self.remove_selected)
        self.kind = QComboBox()
        for kind, label in KIND_LABELS.items():
            self.kind.addItem(label, kind.value)
        self.summary = QLabel("", objectName="panelHint")
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        form = QFormLayout()
        form.addRow("The files are", self.kind)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.files, 1)
        layout.addWidget(self.summary)
        layout.addLayout(form)

    def choose_files(self) -> None:
        patterns = " ".join(f"*{suffix}" for suffix in supported_suffixes())
        paths, _ = QFileDialog.getOpenFileNames(self, "Import transcripts", str(Path.home()),
                                                f"Transcripts ({patterns});;All files (*)")
        self.add_paths(Path(p) for p in paths)

    def add_paths(self, paths: Iterable[Path]) -> None:
        """Read each new file now, so a file that cannot be imported says why straight away."""
        for path in paths:
            path = Path(path).absolute()
            if path in self.state.previews or path in self.state.errors:
                continue
            try:
                preview = importing.preview_file(path)
            except QualCodeError as exc:
                self.state.errors[path] = str(exc)
                item = QListWidgetItem(f"{path.name} — {exc}")
                item.setForeground(tone(*ERROR))
            else:
                self.state.previews[path] = preview
                speakers = ", ".join(s.speaker for s in preview.speakers) or "no speaker labels"
                item = QListWidgetItem(f"{path.name}  ·  {preview.format}  ·  {preview.words:,} words  ·  {speakers}")
            item.setData(PATH_ROLE, str(path))
            item.setToolTip(str(path))
            self.files.addItem(item)
        self._update()

    def remove_selected(self) -> None:
        for item in self.files.selectedItems():
            path = Path(str(item.data(PATH_ROLE)))
            self.state.previews.pop(path, None)
            self.state.errors.pop(path, None)
            self.files.takeItem(self.files.row(item))
        self._update()

    def _update(self) -> None:
        good, bad = len(self.state.previews), len(self.state.errors)
        text = f"{plural(good, 'file')} ready to import"
        if bad:
            text += f"; {bad} cannot be read and will be left out"
        self.summary.setText(text + ".")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.state.previews)

    def chosen_kind(self) -> str:
        return str(self.kind.currentData())
