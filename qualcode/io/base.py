"""What every importer returns, the user errors they raise, and size limits.

An importer turns a file into text with paragraph breaks as '\\n', normalised to NFC, plus
any speaker turns it found. Offsets in `TurnMark` index that final text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from qualcode.domain.errors import QualCodeError
from qualcode.domain.text import normalise_text

MB = 1024 * 1024
# Plain-text formats: a 12,000-word transcript is ~70 KB, a long book ~2 MB.
MAX_TEXT_FILE_BYTES = 20 * MB
# Packaged formats (Word, OpenDocument, PDF) may carry images; their text is what counts.
MAX_PACKAGE_FILE_BYTES = 300 * MB
MAX_TEXT_CHARACTERS = 10_000_000

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n", "\x1c": "\n", "\x1d": "\n", "\x1e": "\n",
                         "\x85": "\n", "\u2028": "\n", "\u2029": "\n"})
_TRAILING_SPACE = re.compile(r"[ \t]+\n")


class UnreadableFileError(QualCodeError):
    """A file that cannot be imported; the message names the file and the problem."""


def file_error(path: Path, problem: str) -> UnreadableFileError:
    return UnreadableFileError(f"'{path.name}': {problem}")


@dataclass(frozen=True, slots=True)
class TurnMark:
    """A speaker turn: `text[start:end]` (the words, without the speaker label)."""

    start: int
    end: int
    speaker: str
    timestamp: float | None = None


@dataclass(frozen=True)
class ReadDocument:
    """A file read into QualCode's text form."""

    text: str
    turns: tuple[TurnMark, ...]
    format: str  # "txt", "docx", "odt", "rtf", "pdf", "md", "html", "vtt", "srt"
    encoding: str | None = None  # the character encoding found, for plain-text formats
    notes: tuple[str, ...] = ()  # what the format's library said while reading (for the import report)

    @property
    def speakers(self) -> tuple[str, ...]:
        """Distinct speakers in order of first appearance."""
        return tuple(dict.fromkeys(turn.speaker for turn in self.turns if turn.speaker))


def tidy_text(text: str) -> str:
    """QualCode's text form: NFC, '\\n' line ends, no invisible control characters,
    no spaces before a line end, no blank lines at either end."""
    text = normalise_text(text).translate(_BREAKS)
    text = _CONTROL.sub("", text)
    text = _TRAILING_SPACE.sub("\n", text + "\n")
    return text.strip("\n").rstrip()


def collapse_blank_lines(text: str) -> str:
    """At most one empty line between paragraphs (for formats that pad with many)."""
    return re.sub(r"\n{3,}", "\n\n", text)


def check_size(path: Path, limit: int, what: str) -> int:
    """The file's size, after checking it exists, is a file, is not empty and not too big."""
    if not path.exists():
        raise file_error(path, "the file does not exist.")
    if path.is_dir():
        raise file_error(path, "is a folder, not a file.")
    size = path.stat().st_size
    if size == 0:
        raise file_error(path, "the file is empty.")
    if size > limit:
        raise file_error(
            path, f"the file is {size / MB:.1f} MB; QualCode imports {what} up to {limit // MB} MB. "
            "Split it into smaller files first."
        )
    return size


def check_text(path: Path, text: str) -> str:
    """Refuse text that is empty or too long once extracted."""
    if not text.strip():
        raise file_error(path, "the file contains no text.")
    if len(text) > MAX_TEXT_CHARACTERS:
        raise file_error(
            path, f"the text is {len(text):,} characters long; QualCode imports documents of up to "
            f"{MAX_TEXT_CHARACTERS:,} characters. Split it into smaller files first."
        )
    return text
