"""Builds the viewer's QTextDocument from a transcript: generous line spacing (room for the
stacked coding underlines), a gap before each speaker turn, speaker labels in bold and the
interviewer's words in a quieter colour, all in colours that read well on the light or the
dark look. The plain text stays exactly the document's text."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from PySide6.QtGui import QFont, QTextBlockFormat, QTextCharFormat, QTextCursor, QTextDocument

from qualcode.gui.style import tone
from qualcode.gui.transcript.text_offsets import OffsetMap
from qualcode.services.documents import TurnInfo

LINE_HEIGHT_PERCENT = 165
TURN_GAP = 9.0
BLANK_LINE_PERCENT = 70
INTERVIEWER_LABELS = frozenset({"interviewer", "int", "i", "q", "moderator", "facilitator", "researcher", "r"})
# (on the light look, on the dark one): every label and the interviewer's quieter words stay
# well readable on either background.
INTERVIEWER_COLOR = ("#5f6b78", "#a3adb8")
QUIET_COLOR = ("#4f5b67", "#b4bdc7")
SPEAKER_COLORS = (("#1f5c99", "#82b4ec"), ("#8a3b12", "#eb9d70"), ("#2d6a4f", "#7fc7a0"),
                  ("#6a3d9a", "#bb9fe3"), ("#9c2f5b", "#e88db3"), ("#4d5b16", "#b8c76c"))


def is_interviewer(speaker: str) -> bool:
    return speaker.strip().lower().rstrip(":") in INTERVIEWER_LABELS or speaker.lower().startswith("interviewer")


def viewer_font(zoom: float = 1.0) -> QFont:
    font = QFont("DejaVu Serif")
    font.setStyleHint(QFont.StyleHint.Serif)
    font.setPointSizeF(10.5 * zoom)
    return font


_LABEL = re.compile(r"(\[[0-9:.,]+\]\s*)?[^\n:\[\]]{1,40}:")


def build_transcript_document(text: str, turns: Sequence[TurnInfo], offsets: OffsetMap,
                              interviewers: Collection[str] = (), zoom: float = 1.0) -> QTextDocument:
    """The document for the viewer. `interviewers` are the speakers marked as interviewer
    (labels that conventionally mark one are recognised as well); `zoom` scales the text and
    the speaker labels alike."""
    document = QTextDocument()
    document.setUndoRedoEnabled(False)
    document.setDefaultFont(viewer_font(zoom))
    document.setDocumentMargin(18)
    block_format = QTextBlockFormat()
    block_format.setLineHeight(LINE_HEIGHT_PERCENT, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
    plain = QTextCharFormat()
    quiet = QTextCharFormat()
    quiet.setForeground(tone(*QUIET_COLOR))

    # Formatting runs in model offsets: (start, end, format), non-overlapping and ordered.
    runs: list[tuple[int, int, QTextCharFormat]] = []
    colors: dict[str, tuple[str, str]] = {}
    turn_starts: list[int] = []
    for turn in sorted(turns, key=lambda t: t.start):
        speaker = turn.speaker.strip()
        interviewer = speaker in interviewers or is_interviewer(speaker)
        turn_starts.append(turn.start)
        label_start = label_end = turn.start
        line_start = text.rfind("\n", 0, turn.start) + 1
        before = _LABEL.fullmatch(text[line_start:turn.start].rstrip()) if turn.start - line_start <= 60 else None
        match = _LABEL.match(text, turn.start, min(turn.end, turn.start + 60))
        if before:
            label_start, label_end = line_start, line_start + before.end()
        elif match:
            label_end = match.end()
        if speaker and label_end > label_start:
            label = QTextCharFormat()
            label.setFontWeight(QFont.Weight.Bold)
            label.setFontFamilies(["DejaVu Sans"])
            label.setFontPointSize(9.5 * zoom)
            others = sum(1 for value in colors.values() if value != INTERVIEWER_COLOR)
            color = colors.setdefault(speaker.lower(), INTERVIEWER_COLOR if interviewer
                                      else SPEAKER_COLORS[others % len(SPEAKER_COLORS)])
            label.setForeground(tone(*color))
            runs.append((label_start, label_end, label))
        if speaker and interviewer and turn.end > max(label_end, turn.start):
            runs.append((max(label_end, turn.start), turn.end, quiet))

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
        if block.isValid() and previous.isValid() and previous.text():
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
