"""The restrictions a query runs under: document kind, coder, and attribute conditions."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from qualcode.domain.enums import DocumentKind
from qualcode.services.coders import CoderInfo
from qualcode.services.queries.query_scope import QueryScope

_KINDS = (("All kinds", None), ("Interviews", DocumentKind.INTERVIEW), ("Follow-ups", DocumentKind.FOLLOW_UP),
          ("Observations", DocumentKind.OBSERVATION), ("Field notes", DocumentKind.FIELD_NOTE),
          ("Literature", DocumentKind.LITERATURE))


class ScopeBar(QWidget):
    def __init__(self, *, coders: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.with_coders = coders
        self.kind = QComboBox()
        for label, kind in _KINDS:
            self.kind.addItem(label, kind)
        self.coder = QComboBox()
        self.coder.setVisible(coders)
        self.where = QLineEdit()
        self.where.setPlaceholderText('Only where… e.g. site = "Site 2"; age > 40')
        self.where.setAccessibleName("Only where (case attributes)")
        self.kind.setAccessibleName("Document kind")
        self.coder.setAccessibleName("Coder")
        self.where.setToolTip("Conditions on case or document attributes, separated by ';'. Numbers compare "
                              "as numbers (age > 40), dates as YYYY-MM-DD, text with = or !=.")
        self.where.setClearButtonEnabled(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("In:"))
        layout.addWidget(self.kind)
        layout.addWidget(self.coder)
        layout.addWidget(self.where, 1)
        self.set_coders([])

    def set_coders(self, coders: Sequence[CoderInfo]) -> None:
        current = self.coder.currentData()
        self.coder.blockSignals(True)
        self.coder.clear()
        self.coder.addItem("All coders", None)
        for coder in coders:
            self.coder.addItem(coder.name, coder.id)
        index = self.coder.findData(current) if current is not None else 0
        self.coder.setCurrentIndex(max(0, index))
        self.coder.blockSignals(False)

    def scope(self) -> QueryScope:
        kind = self.kind.currentData()
        coder = self.coder.currentData() if self.with_coders else None
        conditions = tuple(part.strip() for part in self.where.text().split(";") if part.strip())
        return QueryScope(kinds=(str(kind),) if kind else (), conditions=conditions,
                          coder_ids=(int(coder),) if coder is not None else None)
