"""The selected theme's exemplar quotes in the order a themes table prints them: drag a quote
to a new place, or move it with Alt+Up / Alt+Down. Each reorder is one undoable step."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem

from qualcode.services.themes.exemplars import Exemplar
from qualcode.services.themes.quotes import shorten_quote

CODING_ROLE = Qt.ItemDataRole.UserRole


class ExemplarOrderList(QListWidget):
    """Exemplar quotes, one per row, reordered by drag and drop or Alt+Up / Alt+Down."""

    order_changed = Signal(list)  # the coding ids in their new order

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("exemplarOrder")
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setWordWrap(True)
        self.setToolTip("The order these exemplar quotes print in a themes table: drag to reorder "
                        "(or Alt+Up / Alt+Down)")
        self.model().rowsMoved.connect(self._moved)
        self._filling = False

    def show_exemplars(self, exemplars: list[Exemplar]) -> None:
        self._filling = True
        self.clear()
        for number, exemplar in enumerate(exemplars, start=1):
            quote = exemplar.quote
            text = shorten_quote(quote.text, 160)
            item = QListWidgetItem(f"{number}. {quote.participant}: {text}" if quote.participant else
                                   f"{number}. {text}")
            item.setData(CODING_ROLE, exemplar.coding_id)
            self.addItem(item)
        self._filling = False

    def coding_ids(self) -> list[int]:
        return [int(self.item(i).data(CODING_ROLE)) for i in range(self.count())]

    def _moved(self, *_args: Any) -> None:
        if not self._filling:
            self.order_changed.emit(self.coding_ids())

    def keyPressEvent(self, event: Any) -> None:
        step = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1}.get(Qt.Key(event.key()))
        row = self.currentRow()
        if step and event.modifiers() & Qt.KeyboardModifier.AltModifier and 0 <= row + step < self.count() \
                and row >= 0:
            ids = self.coding_ids()
            ids.insert(row + step, ids.pop(row))
            self.order_changed.emit(ids)
            return
        super().keyPressEvent(event)
