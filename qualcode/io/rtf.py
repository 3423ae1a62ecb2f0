"""Rich Text Format (.rtf): the text, through striprtf, with paragraph breaks kept."""

from __future__ import annotations

from pathlib import Path

from qualcode.io.base import MAX_TEXT_FILE_BYTES, file_error
from qualcode.io.text import read_bytes


def read_rtf(path: Path) -> str:
    data = read_bytes(path, MAX_TEXT_FILE_BYTES)
    if not data.lstrip().startswith(b"{\\rtf"):
        raise file_error(path, "is not an RTF document (it does not start with '{\\rtf').")
    if not _balanced(data):
        raise file_error(path, "the RTF document is incomplete or damaged (its braces do not balance).")
    from striprtf.striprtf import rtf_to_text

    # RTF is 7-bit: other characters arrive as \'hh (code page) or \uN escapes.
    source = data.decode("latin-1")
    codepage = _codepage(source)
    try:
        text = str(rtf_to_text(source, encoding=codepage, errors="strict"))  # type: ignore[no-untyped-call]
    except (UnicodeDecodeError, LookupError, ValueError, IndexError) as exc:
        raise file_error(path, f"the RTF document is damaged ({type(exc).__name__}).") from None
    # Characters beyond the BMP arrive as two \\uN surrogate halves: pair them up again.
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _codepage(source: str) -> str:
    """The ANSI code page an RTF header declares (\\ansicpgNNNN), cp1252 by default."""
    import re

    match = re.search(r"\\ansicpg(\d+)", source[:2000])
    return f"cp{match.group(1)}" if match else "cp1252"


def _balanced(data: bytes) -> bool:
    """Whether every '{' group is closed (escaped braces and \\'hh bytes aside)."""
    depth = 0
    escaped = False
    for byte in data:
        if escaped:
            escaped = False
        elif byte == 0x5C:  # backslash
            escaped = True
        elif byte == 0x7B:
            depth += 1
        elif byte == 0x7D:
            depth -= 1
            if depth < 0:
                return False
    return depth == 0
