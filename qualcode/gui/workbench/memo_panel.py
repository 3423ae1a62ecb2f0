"""The memo of whatever is in focus — the open document, the chosen node or a coding —
edited in place and saved as you pause typing (each save is one undoable step).

On a team project a save carries the version of the memo's row as it was loaded: when
someone else changed it meanwhile the save is refused, the text typed stays in the editor
(nothing is reloaded over it) and choosing the item again shows their version."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from qualcode.domain.errors import QualCodeError
from qualcode.services import documents as document_service
from qualcode.services.codebook import nodes as node_service
from qualcode.services.coding import codings as coding_service
from qualcode.services.commands import Change

SAVE_DELAY_MS = 700
_TABLES = {"document": "document", "node": "node", "coding": "coding"}


class MemoPanel(QWidget):
    def __init__(self, workbench: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("memoPanel")
        self.workbench = workbench
        self.target: tuple[str, int] | None = None
        self._saved = ""
        self._version: str | None = None  # of the row the memo belongs to, as loaded
        self._refused = False  # a save was refused: keep the typed text until the item is chosen again
        self.heading = QLabel("", objectName="sectionLabel")
        self.heading.setWordWrap(True)
        self.editor = QPlainTextEdit(objectName="memoEditor")
        self.editor.setPlaceholderText("Write a memo: ideas, doubts, decisions. It is saved as you type.")
        self.editor.setMinimumHeight(44)
        self.editor.setTabChangesFocus(True)  # Tab moves on, as in every other field
        self.editor.textChanged.connect(self._edited)
        self.status = QLabel("", objectName="panelHint")
        self.status.setWordWrap(True)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.save)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 6)
        layout.addWidget(self.heading)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.status)
        self.set_target(None)

    def set_target(self, kind: str | None, target_id: int | None = None) -> None:
        """Show the memo of a document, node or coding (saving the one being edited first)."""
        self.save()
        self.target = (kind, target_id) if kind is not None and target_id is not None else None
        self._refused = False
        self._load()

    def _load(self) -> None:
        self.editor.blockSignals(True)
        try:
            if self.target is None or self.workbench.project is None:
                self.heading.setText("Memo")
                self.editor.setPlainText("")
                self.editor.setEnabled(False)
                self.status.setText("Open a document, choose a node or click a coding stripe to write its memo.")
                self._saved = ""
                self._version = None
                return
            kind, target_id = self.target
            try:
                title, memo, self._version = self.workbench.read(lambda s: _read(s, kind, target_id))
            except QualCodeError:
                self.target = None
                self._load()
                return
            self.heading.setText(title)
            if self.editor.toPlainText() != memo:
                self.editor.setPlainText(memo)
            self.editor.setEnabled(True)
            self._saved = memo
            self.status.setText("Read-only project: memos cannot be changed." if self.editor.isReadOnly()
                                else "Saved automatically.")
        finally:
            self.editor.blockSignals(False)

    def _edited(self) -> None:
        self.status.setText("Editing…")
        self._timer.start()

    def save(self) -> None:
        self._timer.stop()
        if self.target is None or self.workbench.project is None:
            return
        text = self.editor.toPlainText()
        if text == self._saved:
            return
        kind, target_id = self.target
        coder, seen = self.workbench.coder_id, self._version
        if kind == "document":
            action = lambda s: document_service.update_document(s, document_id=target_id, memo=text, coder_id=coder,
                                                                expected_version=seen)
        elif kind == "node":
            action = lambda s: node_service.update_node(s, node_id=target_id, memo=text, coder_id=coder,
                                                        expected_version=seen)
        else:
            action = lambda s: coding_service.update_coding(s, coding_id=target_id, memo=text, coder_id=coder,
                                                            expected_version=seen)
        self._saved = text
        if self.workbench.execute(action) is not None:
            self.status.setText("Saved automatically.")
        else:
            self._refused = True
            self.status.setText("Not saved: your text is kept here. Choose the item again to see theirs.")

    def on_change(self, change: Change | None) -> None:
        if change is None:
            self.target = None
            self._load()
            return
        if self.target is None or self._timer.isActive() or self._refused:
            return
        kind, target_id = self.target
        if change.affects(_TABLES[kind]) and (target_id in change.ids(_TABLES[kind]) or not change.ids(_TABLES[kind])):
            self._load()


def _read(session: Any, kind: str, target_id: int) -> tuple[str, str, str]:
    """The heading, the memo and the version of the row it belongs to."""
    if kind == "document":
        document = document_service.get_document(session, target_id)
        return f"Memo on document “{document.name}”", document.memo, document.version
    if kind == "node":
        node = node_service.get_node(session, target_id)
        return f"Memo on {node.level.label.lower()} “{node.name}”", node.memo, node.version
    coding = coding_service.get_coding(session, target_id)
    quote = " ".join(coding.text.split())
    return (f"Memo on coding to “{coding.node_name}” by {coding.coder_name}: "
            f"“{quote[:60]}{'…' if len(quote) > 60 else ''}”", coding.memo,
            coding_service.coding_version(session, target_id))
