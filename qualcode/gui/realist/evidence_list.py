"""The evidence behind one configuration: each passage with its role, participant, coder
and stance; the words around it in the tooltip; double-click jumps to it in the viewer."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from qualcode.gui.realist.marks import role_color
from qualcode.gui.style import ERROR, for_text, tone
from qualcode.services.realist.evidence import EvidenceInfo

COLUMNS = ("Role", "Passage", "Participant", "Coder", "Stance")
ID_ROLE = Qt.ItemDataRole.UserRole


def context_html(item: EvidenceInfo) -> str:
    """The passage in bold between the words around it."""
    before = escape(" ".join(item.before.split()))
    after = escape(" ".join(item.after.split()))
    return (f"<p><b>{escape(item.configuration_label)}</b> · {escape(item.role)}: {escape(item.statement)}</p>"
            f"<p>…{before} <b>{escape(' '.join(item.text.split()))}</b> {after}…</p>"
            f"<p><i>{escape(item.document_name)}</i></p>")


class CmoEvidenceList(QTreeWidget):
    jump_requested = Signal(int, int, int)  # document id, start, end

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cmoEvidence")
        self.setColumnCount(len(COLUMNS))
        self.setHeaderLabels(COLUMNS)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.header()
        header.setStretchLastSection(False)
        for column, width in enumerate((48, 320, 86, 96, 70)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.itemDoubleClicked.connect(self._jump)
        self.itemActivated.connect(self._jump)
        self._evidence: dict[int, EvidenceInfo] = {}

    def populate(self, evidence: Sequence[EvidenceInfo]) -> None:
        self.clear()
        self._evidence = {item.id: item for item in evidence}
        for item in evidence:
            row = QTreeWidgetItem(self, [
                item.role, " ".join(item.text.split()), ", ".join(item.cases) or item.document_name,
                item.coder_name, item.stance,
            ])
            row.setData(0, ID_ROLE, item.id)
            row.setForeground(0, QBrush(for_text(role_color(item.role))))
            if item.stance != "supports":
                row.setForeground(4, QBrush(tone(*ERROR)))
            tooltip = context_html(item)
            for column in range(len(COLUMNS)):
                row.setToolTip(column, tooltip)

    def evidence(self, evidence_id: int) -> EvidenceInfo | None:
        return self._evidence.get(evidence_id)

    def current_evidence(self) -> EvidenceInfo | None:
        item = self.currentItem()
        return self._evidence.get(int(item.data(0, ID_ROLE))) if item is not None else None

    def _jump(self, row: QTreeWidgetItem, _column: int = 0) -> None:
        item = self._evidence.get(int(row.data(0, ID_ROLE)))
        if item is not None:
            self.jump_requested.emit(item.document_id, item.start, item.end)
