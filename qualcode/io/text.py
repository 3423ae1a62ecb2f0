"""Plain text files: the character encoding is detected, never assumed.

Order of evidence: a byte-order mark (UTF-8, UTF-16, UTF-32); valid UTF-8; Windows
Western (cp1252, a superset of Latin-1 for real text) when the result reads as Western
European text; otherwise charset-normalizer's best guess (cp1250, cp1251, Shift-JIS ...).
A caller may name the encoding instead; a wrong one is an error, never mojibake.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from qualcode.io.base import MAX_TEXT_FILE_BYTES, check_size, file_error

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_WESTERN_MARKS = set("“”‘’„‚–—…€£¥¢°©®™·«»§¶±×÷¼½¾¹²³ªº¿¡•† ")
_SIGNATURES = {
    b"PK\x03\x04": "a zip package (a Word, OpenDocument or Excel file?)",
    b"%PDF": "a PDF",
    b"{\\rtf": "an RTF document",
    b"\xd0\xcf\x11\xe0": "an old Office file (.doc/.xls)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
}


def read_bytes(path: Path, limit: int = MAX_TEXT_FILE_BYTES) -> bytes:
    check_size(path, limit, "text files")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise file_error(path, f"cannot be read: {exc.strerror or exc}.") from None


def refuse_other_formats(path: Path, data: bytes, expected: str) -> None:
    """A file whose content is clearly another format (a .docx renamed .txt)."""
    for signature, what in _SIGNATURES.items():
        if data.startswith(signature):
            raise file_error(path, f"this is {what}, not {expected}; import the original file instead.")


def decode(path: Path, data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """The text of `data` and the encoding used. `encoding` overrides detection."""
    if encoding:
        return _decode_as(path, data, encoding), encoding
    for bom, name in _BOMS:
        if data.startswith(bom):
            return _decode_as(path, data, name), name.removesuffix("-sig")
    wide = _wide_without_bom(data)
    if wide is not None:
        return _decode_as(path, data, wide), wide
    try:
        return _check_textual(path, data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" not in data:
        western = _as_western(data)
        if western is not None:
            return _check_textual(path, western), "cp1252"
    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    if best is None or (b"\x00" in data and not best.encoding.startswith("utf")):
        raise file_error(path, "does not look like text (it may be a binary file with the wrong extension).")
    return _check_textual(path, str(best)), best.encoding


def _wide_without_bom(data: bytes) -> str | None:
    """UTF-16 or UTF-32 without a byte-order mark, told by where the zero bytes fall: text
    that is mostly Latin script has a zero in the high byte of nearly every character."""
    if len(data) < 4 or b"\x00" not in data[:4096]:
        return None
    sample = data[: 1 << 16]
    if len(sample) % 4 == 0:
        quarter = len(sample) // 4
        zeros = [sample[i::4].count(0) for i in range(4)]
        if min(zeros[:3]) > 0.6 * quarter and zeros[3] < 0.05 * quarter:
            return "utf-32-be"
        if min(zeros[1:]) > 0.6 * quarter and zeros[0] < 0.05 * quarter:
            return "utf-32-le"
    if len(sample) % 2:
        sample = sample[:-1]
    half = len(sample) // 2
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    return None


def _decode_as(path: Path, data: bytes, encoding: str) -> str:
    try:
        codec = codecs.lookup(encoding)
    except LookupError:
        raise file_error(path, f"'{encoding}' is not a character encoding QualCode knows.") from None
    try:
        return _check_textual(path, data.decode(codec.name))
    except UnicodeDecodeError as exc:
        byte = data[exc.start : exc.start + 1].hex().upper()
        raise file_error(
            path, f"is not valid {encoding} text (byte 0x{byte} at position {exc.start}). "
            "Choose another encoding, or let QualCode detect it."
        ) from None


def _as_western(data: bytes) -> str | None:
    """`data` as cp1252 when that reads as Western European text (few, ordinary accents)."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    letters = non_ascii = 0
    for char in text:
        if char.isalpha():
            letters += 1
            non_ascii += ord(char) > 127
        elif ord(char) > 127 and char not in _WESTERN_MARKS:
            return None
    return text if letters and non_ascii <= 0.3 * letters else None


def _check_textual(path: Path, text: str) -> str:
    controls = sum(1 for char in text if ord(char) < 32 and char not in "\t\n\r\f")
    if controls > max(2, len(text) // 200):
        raise file_error(path, "does not look like text (it may be a binary file with the wrong extension).")
    return text


def read_text_file(path: Path, *, encoding: str | None = None) -> tuple[str, str]:
    """A .txt file's text and the encoding it was read with."""
    data = read_bytes(path)
    if not encoding:
        refuse_other_formats(path, data, "plain text")
    return decode(path, data, encoding)
