"""Builds the viewer's QTextDocument from a transcript: generous line spacing (room for the
stacked coding underlines), a gap before each speaker turn, speaker labels in bold and the
interviewer's words in a quieter colour. The plain text stays exactly the document's text."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QColor, QFont, QTextBlockFormat, QTextCharFormat, QTextCursor, QTextDocument

from qualcode.gui.text_offsets import OffsetMap
from qualcode.services.documents import TurnInfo

LINE_HEIGHT_PERCENT = 165
TURN_GAP = 9.0
BLANK_LINE_PERCENT = 70
INTERVIEWER_LABELS = frozenset({"interviewer", "int", "i", "q", "moderator", "facilitator", "researcher", "r"})
SPEAKER_COLORS = ("#1f5c99", "#8a3b12", "#2d6a4f", "#6a3d9a", "#9c2f5b", "#4d5b16")


def is_interviewer(speaker: str) -> bool:
    return speaker.strip().lower().rstrip(":") in INTERVIEWER_LABELS or speaker.lower().startswith("interviewer")


def viewer_font() -> QFont:
    font = QFont("DejaVu Serif")
    font.setStyleHint(QFont.StyleHint.Serif)
    font.setPointSizeF(10.5)
    return font


def build_transcript_document(text: str, turns: Sequence[TurnInfo], offsets: OffsetMap) -> QTextDocument:
    document = QTextDocument()
    document.setUndoRedoEnabled(False)
    document.setDefaultFont(viewer_font())
    document.setDocumentMargin(18)
    block_format = QTextBlockFormat()
    block_format.setLineHeight(LINE_HEIGHT_PERCENT, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
    plain = QTextCharFormat()
    quiet = QTextCharFormat()
    quiet.setForeground(QColor("#4f5b67"))

    # Formatting runs in model offsets: (start, end, format), non-overlapping and ordered.
    runs: list[tuple[int, int, QTextCharFormat]] = []
    colors: dict[str, str] = {}
    turn_starts: list[int] = []
    for turn in sorted(turns, key=lambda t: t.start):
        speaker = turn.speaker.strip()
        turn_starts.append(turn.start)
        label_end = turn.start
        if speaker and text.startswith(speaker, turn.start):
            label_end = turn.start + len(speaker)
            if text.startswith(":", label_end):
                label_end += 1
            label = QTextCharFormat()
            label.setFontWeight(QFont.Weight.Bold)
            label.setFontFamilies(["DejaVu Sans"])
            label.setFontPointSize(9.5)
            color = colors.setdefault(speaker.lower(), "#5f6b78" if is_interviewer(speaker)
                                      else SPEAKER_COLORS[len([c for c in colors if not is_interviewer(c)])
                                                          % len(SPEAKER_COLORS)])
            label.setForeground(QColor(color))
            runs.append((turn.start, label_end, label))
        if speaker and is_interviewer(speaker) and turn.end > label_end:
            runs.append((label_end, turn.end, quiet))

    cursor = QTextCursor(document)
    cursor.beginEditBlock()
    cursor.setBlockFormat(block_format)
    position = 0
    for start, end, fmt in runs:
        if start < position:
            continue
        if start > position:
            cursor.insertText(text[position:start], plain)
        cursor.insertText(text[start:end], fmt)
        position = end
    if position < len(text):
        cursor.insertText(text[position:], plain)
    gap = QTextBlockFormat(block_format)
    gap.setTopMargin(TURN_GAP)
    for start in turn_starts:
        block = document.findBlock(offsets.to_qt(start))
        previous = block.previous()
        if block.isValid() and block.position() == offsets.to_qt(start) and previous.isValid() and previous.text():
            QTextCursor(block).setBlockFormat(gap)
    blank = QTextBlockFormat(block_format)
    blank.setLineHeight(BLANK_LINE_PERCENT, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
    block = document.firstBlock()
    while block.isValid():
        if not block.text():
            QTextCursor(block).setBlockFormat(blank)
        block = block.next()
    cursor.endEditBlock()
    return document
