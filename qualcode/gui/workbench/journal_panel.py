"""The current coder's reflexive journal: dated entries, written and saved in place."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from qualcode.services import memos as memo_service
from qualcode.services.commands import Change
from qualcode.services.memos import JournalEntryInfo

SAVE_DELAY_MS = 700


class JournalPanel(QWidget):
    def __init__(self, workbench: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("journalPanel")
        self.workbench = workbench
        self.entries: list[JournalEntryInfo] = []
        self.entry_id: int | None = None
        self._saved = ("", "")
        self.list = QListWidget()
        self.list.currentRowChanged.connect(self._select)
        self.new_button = QToolButton(objectName="panelButton")
        self.new_button.setText("New entry")
        self.new_button.clicked.connect(self.new_entry)
        self.delete_button = QToolButton(objectName="panelButton")
        self.delete_button.setText("Delete")
        self.delete_button.clicked.connect(self.delete_entry)
        self.title = QLineEdit()
        self.title.setPlaceholderText("Title")
        self.text = QPlainTextEdit(objectName="memoEditor")
        self.text.setPlaceholderText("Reflections on your coding: assumptions, reactions, decisions…")
        self.text.setTabChangesFocus(True)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.save)
        self.title.textEdited.connect(lambda _t: self._timer.start())
        self.text.textChanged.connect(self._text_changed)

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.list, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.title)
        right_layout.addWidget(self.text, 1)
        for compact in (self.list, self.text):  # the panel fits a 720-pixel-high screen
            compact.setMinimumHeight(34)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(left)
        split.addWidget(right)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(split)
        self._editing(False)

    def _text_changed(self) -> None:
        if not self.text.signalsBlocked():
            self._timer.start()

    def _editing(self, on: bool) -> None:
        self.title.setEnabled(on)
        self.text.setEnabled(on)
        self.delete_button.setEnabled(on)
        self.new_button.setEnabled(self.workbench.project is not None and self.workbench.coder_id is not None)

    def reload(self) -> None:
        self.save()
        coder = self.workbench.coder_id
        self.entries = [] if self.workbench.project is None or coder is None else \
            list(reversed(self.workbench.read(lambda s: memo_service.journal(s, coder_id=coder))))
        keep = self.entry_id
        self.list.blockSignals(True)
        self.list.clear()
        for entry in self.entries:
            item = QListWidgetItem(f"{entry.created_at:%d %b %Y}  ·  {entry.title or 'Untitled'}")
            item.setData(Qt.ItemDataRole.UserRole, entry.id)
            self.list.addItem(item)
        self.list.blockSignals(False)
        rows = [i for i, e in enumerate(self.entries) if e.id == keep]
        if rows:
            self.list.setCurrentRow(rows[0])
        else:
            self.entry_id = None
            self._show(None)

    def _select(self, row: int) -> None:
        self.save()
        entry = self.entries[row] if 0 <= row < len(self.entries) else None
        self.entry_id = entry.id if entry else None
        self._show(entry)

    def _show(self, entry: JournalEntryInfo | None) -> None:
        self.text.blockSignals(True)
        if self.title.text() != (entry.title if entry else ""):
            self.title.setText(entry.title if entry else "")
        if self.text.toPlainText() != (entry.text if entry else ""):
            self.text.setPlainText(entry.text if entry else "")
        self.text.blockSignals(False)
        self._saved = (entry.title, entry.text) if entry else ("", "")
        self._editing(entry is not None)

    def new_entry(self) -> None:
        coder = self.workbench.coder_id
        if coder is None:
            return
        change = self.workbench.execute(lambda s: memo_service.add_journal_entry(
            s, coder_id=coder, title="", text=""))
        if change is not None:
            self.entry_id = int(change.result)
            self.reload()
            self.title.setFocus()

    def delete_entry(self) -> None:
        entry_id = self.entry_id
        if entry_id is None:
            return
        self._timer.stop()
        self.entry_id = None
        self.workbench.execute(lambda s: memo_service.delete_journal_entry(
            s, entry_id=entry_id, coder_id=self.workbench.coder_id))

    def save(self) -> None:
        self._timer.stop()
        entry_id = self.entry_id
        if entry_id is None or self.workbench.project is None:
            return
        values = (self.title.text(), self.text.toPlainText())
        if values == self._saved:
            return
        self._saved = values
        self.workbench.execute(lambda s: memo_service.update_journal_entry(
            s, entry_id=entry_id, title=values[0], text=values[1], coder_id=self.workbench.coder_id))

    def on_change(self, change: Change | None) -> None:
        if change is None or (change.affects("journal_entry", "coder") and not self._timer.isActive()):
            self.reload()
