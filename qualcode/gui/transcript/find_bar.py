"""Find within the open transcript (Ctrl+F): a bar under the header with the words to find,
"3 of 17", previous and next (Enter / Shift+Enter, F3 / Shift+F3) and every match
highlighted; Esc closes it. The current match is selected, so it can be coded at once."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QKeySequence, QShortcut, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QTextEdit, QToolButton, QWidget

MAX_HIGHLIGHTS = 5000
_MATCH = QColor("#ffe58a")
_CURRENT = QColor("#ffb347")
_ON_MATCH = QColor("#1b2530")


class FindBar(QWidget):
    closed = Signal()

    def __init__(self, editor: QTextEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self.editor = editor
        self.matches: list[tuple[int, int]] = []  # Qt positions
        self.current = -1
        self.field = QLineEdit(objectName="findField")
        self.field.setPlaceholderText("Find in this transcript")
        self.field.setClearButtonEnabled(True)
        self.field.setAccessibleName("Find in transcript")
        self.field.textChanged.connect(self._search)
        self.field.installEventFilter(self)
        self.count = QLabel("", objectName="panelHint")
        self.count.setMinimumWidth(70)
        self.previous_button = QToolButton(objectName="panelButton")
        self.previous_button.setText("↑")
        self.previous_button.setToolTip("Previous match (Shift+Enter, Shift+F3)")
        self.previous_button.setAccessibleName("Previous match")
        self.previous_button.clicked.connect(self.previous)
        self.next_button = QToolButton(objectName="panelButton")
        self.next_button.setText("↓")
        self.next_button.setToolTip("Next match (Enter, F3)")
        self.next_button.setAccessibleName("Next match")
        self.next_button.clicked.connect(self.next)
        self.close_button = QToolButton(objectName="panelButton")
        self.close_button.setText("✕")
        self.close_button.setToolTip("Close (Esc)")
        self.close_button.setAccessibleName("Close find bar")
        self.close_button.clicked.connect(self.close_bar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 4, 12, 4)
        layout.setSpacing(4)
        layout.addWidget(self.field, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.previous_button)
        layout.addWidget(self.next_button)
        layout.addWidget(self.close_button)
        for keys, slot in (("F3", self.next), ("Shift+F3", self.previous)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self.hide()

    # -- opening and closing -------------------------------------------------------------------
    def open_bar(self) -> None:
        """Show the bar with the selected words (if any) to find, ready to type."""
        selected = self.editor.textCursor().selectedText()
        if selected and "\u2029" not in selected and len(selected) <= 100:
            self.field.setText(selected)
        self.show()
        self.field.setFocus()
        self.field.selectAll()
        self._search(self.field.text())

    def close_bar(self) -> None:
        self.hide()
        self.editor.setExtraSelections([])
        self.editor.setFocus()
        self.closed.emit()

    def eventFilter(self, watched: object, event: object) -> bool:
        if watched is self.field and isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress:
            if event.key() == Qt.Key.Key_Escape:
                self.close_bar()
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                    self.previous()
                else:
                    self.next()
                return True
        return super().eventFilter(watched, event)  # type: ignore[arg-type]

    # -- finding -------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Find again (the document changed under the bar)."""
        if self.isVisible():
            self._search(self.field.text())

    def _search(self, text: str) -> None:
        self.matches = []
        self.current = -1
        needle = text.strip()
        if needle:
            document = self.editor.document()
            cursor = QTextCursor(document)
            while True:
                cursor = document.find(needle, cursor)
                if cursor.isNull():
                    break
                self.matches.append((cursor.selectionStart(), cursor.selectionEnd()))
        if self.matches:
            here = self.editor.textCursor().selectionStart()  # typing on refines the match in place
            self.current = next((i for i, (start, _) in enumerate(self.matches) if start >= here), 0)
            self._show_current()
        else:
            self._paint()
        self._update_count(needle)

    def next(self) -> None:
        if self.matches:
            self.current = (self.current + 1) % len(self.matches)
            self._show_current()

    def previous(self) -> None:
        if self.matches:
            self.current = (self.current - 1) % len(self.matches)
            self._show_current()

    def _show_current(self) -> None:
        start, end = self.matches[self.current]
        cursor = QTextCursor(self.editor.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        self.editor.setTextCursor(cursor)
        self.editor.ensureCursorVisible()
        self._paint()
        self._update_count(self.field.text().strip())

    def _paint(self) -> None:
        selections = []
        for i, (start, end) in enumerate(self.matches[:MAX_HIGHLIGHTS]):
            selection = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.editor.document())
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor  # type: ignore[attr-defined]
            char_format = QTextCharFormat()
            char_format.setBackground(_CURRENT if i == self.current else _MATCH)
            char_format.setForeground(_ON_MATCH)  # dark text on the yellow, on either look
            selection.format = char_format  # type: ignore[attr-defined]
            selections.append(selection)
        self.editor.setExtraSelections(selections)

    def _update_count(self, needle: str) -> None:
        if not needle:
            self.count.setText("")
        elif not self.matches:
            self.count.setText("No matches")
        else:
            self.count.setText(f"{self.current + 1:,} of {len(self.matches):,}")
        self.field.setProperty("notFound", bool(needle) and not self.matches)
