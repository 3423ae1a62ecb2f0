"""PDF documents: the text layer (pypdf), lines re-flowed into paragraphs.

PDF stores lines, not paragraphs. A line that runs (nearly) to the right margin continues
on the next line; a shorter line ends its paragraph; runs of spaces (justified text) become
one; a line that opens with a speaker
label always starts a new one. Pages are joined the same way, so a paragraph that runs
over a page break stays whole.
"""

from __future__ import annotations

import re
from pathlib import Path

from qualcode.io.base import MAX_PACKAGE_FILE_BYTES, check_size, file_error

_SPEAKER_START = re.compile(r"[\[(]?\d{1,2}:\d{2}|[^\W\d_][\w .'’()-]{0,39}:\s")


def read_pdf(path: Path) -> str:
    check_size(path, MAX_PACKAGE_FILE_BYTES, "documents")
    with path.open("rb") as handle:
        head = handle.read(1024)
        handle.seek(max(0, path.stat().st_size - 2048))
        tail = handle.read()
    if b"%PDF-" not in head:
        raise file_error(path, "is not a PDF (the content does not start with '%PDF').")
    if b"%%EOF" not in tail:
        raise file_error(path, "the PDF is incomplete (it ends before the PDF end marker; "
                         "was it cut short while downloading or copying?).")
    import pypdf

    try:
        reader = pypdf.PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise file_error(path, "the PDF is password-protected; remove the password and import it again.")
        pages = [page.extract_text() or "" for page in reader.pages]
    except pypdf.errors.FileNotDecryptedError:
        raise file_error(path, "the PDF is password-protected; remove the password and import it again.") from None
    except (pypdf.errors.PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise file_error(path, f"the PDF is damaged and cannot be read ({type(exc).__name__}).") from None
    if not any(page.strip() for page in pages):
        raise file_error(path, "the PDF has no text layer (it is a scan or an image); "
                         "OCR it first (e.g. with OCRmyPDF) and import the result.")
    # Justified lines come out with widened gaps: spacing in a PDF is layout, not text.
    return reflow([" ".join(line.split()) for page in pages for line in page.split("\n")])


def reflow(lines: list[str]) -> str:
    """Join wrapped lines back into paragraphs (one per output line)."""
    lengths = sorted(len(line) for line in lines if line.strip())
    if not lengths:
        return ""
    full = 0.75 * lengths[int(0.9 * (len(lengths) - 1))]
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        stripped = line.strip()
        if not stripped:
            if current:
                paragraphs.append(current)
                current = ""
            continue
        if current and _SPEAKER_START.match(stripped):
            paragraphs.append(current)
            current = ""
        if not current:
            current = stripped
        elif current.endswith("-") and stripped[:1].islower():
            current += stripped
        else:
            current += " " + stripped
        if len(line) < full:
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return "\n".join(paragraphs)
