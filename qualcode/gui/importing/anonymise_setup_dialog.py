"""Anonymise, step 1: which documents, which kinds of identifier, and the user's own list."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from qualcode.gui.widgets.accessible import named
from qualcode.nlp.anonymise import CATEGORIES
from qualcode.services.documents import DocumentInfo


class AnonymiseSetupDialog(QDialog):
    def __init__(self, parent: QWidget, documents: Sequence[DocumentInfo], open_document: int | None) -> None:
        super().__init__(parent)
        self.setObjectName("anonymiseSetup")
        self.setWindowTitle("Anonymise documents")
        self.setMinimumWidth(520)
        self._documents = list(documents)
        self._open_document = open_document
        intro = QLabel("QualCode looks for names, places, organisations, dates, phone numbers, e-mail addresses "
                       "and postcodes and proposes a pseudonym for each. Nothing changes until you have "
                       "reviewed the list and applied it.")
        intro.setWordWrap(True)
        scope = QGroupBox("Documents")
        self.all_documents = QRadioButton(f"All {len(self._documents)} documents")
        self.open_only = QRadioButton("Only the open document")
        self.open_only.setEnabled(open_document is not None)
        self.all_documents.setChecked(True)
        scope_layout = QVBoxLayout(scope)
        scope_layout.addWidget(self.all_documents)
        scope_layout.addWidget(self.open_only)
        kinds = QGroupBox("Look for")
        grid = QGridLayout(kinds)
        self.category_boxes: dict[str, QCheckBox] = {}
        for i, category in enumerate(CATEGORIES):
            box = QCheckBox(category.capitalize() + ("s" if not category.endswith("s") else ""))
            box.setChecked(True)
            self.category_boxes[category] = box
            grid.addWidget(box, i // 3, i % 3)
        terms = QGroupBox("Your own list (optional)")
        self.terms = named(QLineEdit(), "Your own list of names and places", "A .csv or .xlsx file: term, "
                           "category, replacement")
        self.terms.setPlaceholderText("A .csv or .xlsx of names and places: term, category, replacement")
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._choose_terms)
        terms_layout = QHBoxLayout(terms)
        terms_layout.addWidget(self.terms, 1)
        terms_layout.addWidget(browse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Find identifiers")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scope)
        layout.addWidget(kinds)
        layout.addWidget(terms)
        layout.addWidget(buttons)

    def _choose_terms(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Names and places", str(Path.home()),
                                              "Spreadsheets (*.csv *.xlsx);;All files (*)")
        if path:
            self.terms.setText(path)

    def document_ids(self) -> list[int]:
        if self.open_only.isChecked() and self._open_document is not None:
            return [self._open_document]
        return [d.id for d in self._documents]

    def categories(self) -> list[str]:
        return [category for category, box in self.category_boxes.items() if box.isChecked()]

    def terms_path(self) -> Path | None:
        text = self.terms.text().strip()
        return Path(text) if text else None
