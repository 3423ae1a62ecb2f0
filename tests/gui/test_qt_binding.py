"""The Qt binding keeps Python's reference counts whole. On Python 3.11, where None is not yet
immortal, a binding that hands back None from a Qt call without counting the reference makes
the interpreter abort ("deallocating None") once enough calls have run: opening a dozen long
transcripts was enough with PySide6 6.12."""

from __future__ import annotations

import gc
import sys

import PySide6
import pytest
from PySide6.QtGui import QTextCharFormat, QTextCursor, QTextDocument

from qualcode.gui.transcript.document import build_transcript_document
from qualcode.gui.transcript.text_offsets import OffsetMap
from qualcode.services.documents import TurnInfo

pytestmark = pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12 on")


def test_qt_calls_that_return_nothing_keep_none_counted() -> None:
    document = QTextDocument()
    cursor = QTextCursor(document)
    char_format = QTextCharFormat()
    gc.collect()
    before = sys.getrefcount(None)
    for _ in range(5000):
        char_format.setFontPointSize(9.5)
        cursor.insertText("x", char_format)
    drift = sys.getrefcount(None) - before
    # Objects freed meanwhile elsewhere may let a few hundred go; the fault loses one a call.
    assert drift > -1000, f"PySide6 {PySide6.__version__} loses a reference to None on each Qt call ({drift} in 10000)"


def test_building_a_long_transcript_again_and_again_keeps_none_counted(qapp: object) -> None:
    text = "\n\n".join(f"{'Interviewer' if i % 2 else 'P7'}: " + "we talked about the garden group " * 8
                       for i in range(400))
    turns, position = [], 0
    for block in text.split("\n\n"):
        turns.append(TurnInfo(len(turns) + 1, 1, position, position + len(block), block.split(":")[0], None))
        position += len(block) + 2
    offsets = OffsetMap(text)
    gc.collect()
    before = sys.getrefcount(None)
    for _ in range(5):
        document = build_transcript_document(text, turns, offsets)
        assert document.toPlainText() == text
        del document
    assert sys.getrefcount(None) - before > -2000  # the fault loses thousands a document
