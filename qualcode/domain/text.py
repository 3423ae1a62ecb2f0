"""Text normalisation at import: NFC and '\\n' line ends, so offsets stay stable."""

from __future__ import annotations

import hashlib
import unicodedata


def plural(count: int, noun: str, *, joiner: str = " ") -> str:
    """'1 hit', '2 hits', '1,204 passages' (`joiner` "\u00a0" keeps the number with its word
    where a table cell wraps)."""
    return f"{count:,}{joiner}{noun}{'' if count == 1 else 's'}"


def normalise_text(text: str) -> str:
    """NFC-normalise and turn CRLF/CR line ends into LF; drop a leading BOM."""
    text = text.removeprefix("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
