"""PDF documents: the text layer (pypdf), lines re-flowed into paragraphs.

PDF stores lines, not paragraphs. A line that runs (nearly) to the right margin continues
on the next line; a shorter line ends its paragraph; runs of spaces (justified text) become
one; a line that opens with a speaker
label always starts a new one. Pages are joined the same way, so a paragraph that runs
over a page break stays whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from qualcode.io.base import MAX_PACKAGE_FILE_BYTES, check_size, file_error, tidy_text

_SPEAKER_START = re.compile(r"[\[(]?\d{1,2}:\d{2}|[^\W\d_][\w .'’()-]{0,39}:\s")


_PAGE_MARK = "\ue000"  # a private-use character: marks where a page starts while the text is tidied


@dataclass(frozen=True)
class PagedText:
    """A PDF's text in QualCode's form, with where each page starts (offsets into `text`)."""

    text: str
    page_starts: tuple[int, ...]
    labels: tuple[str, ...]  # the printed page numbers ("715"), or "1", "2" … without labels

    def pages(self) -> list[tuple[str, int, int]]:
        """(label, start, end) of every page."""
        ends = (*self.page_starts[1:], len(self.text))
        return list(zip(self.labels, self.page_starts, ends, strict=True))


def read_pdf(path: Path) -> str:
    pages, _labels = _read_pages(path)
    # Justified lines come out with widened gaps: spacing in a PDF is layout, not text.
    return reflow([" ".join(line.split()) for page in pages for line in page.split("\n")])


def read_pdf_pages(path: Path) -> PagedText:
    """The text as `read_pdf` gives it, plus the page boundaries, so passages know their page.

    A paragraph that runs over a page break stays whole; the page starts inside it."""
    pages, labels = _read_pages(path)
    lines: list[str] = []
    for page in pages:
        page_lines = [" ".join(line.split()) for line in page.split("\n")]
        first = next((i for i, line in enumerate(page_lines) if line), None)
        if first is None:
            page_lines = [_PAGE_MARK]
        else:
            page_lines[first] = _PAGE_MARK + page_lines[first]
        lines.extend(page_lines)
    marked = tidy_text(reflow(lines))
    starts: list[int] = []
    pieces = marked.split(_PAGE_MARK)
    text = pieces[0]
    for piece in pieces[1:]:
        starts.append(len(text))
        text += piece
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    starts = starts[: len(labels)] + [len(text)] * (len(labels) - len(starts))
    return PagedText(text, tuple(starts), tuple(labels))


def _read_pages(path: Path) -> tuple[list[str], list[str]]:
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
        try:
            labels = [str(label) for label in reader.page_labels]
        except (pypdf.errors.PyPdfError, ValueError, KeyError, TypeError, AttributeError):
            labels = []
        if len(labels) != len(pages):
            labels = [str(number) for number in range(1, len(pages) + 1)]
    except pypdf.errors.FileNotDecryptedError:
        raise file_error(path, "the PDF is password-protected; remove the password and import it again.") from None
    except (pypdf.errors.PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise file_error(path, f"the PDF is damaged and cannot be read ({type(exc).__name__}).") from None
    if not any(page.strip() for page in pages):
        raise file_error(path, "the PDF has no text layer (it is a scan or an image); "
                         "OCR it first (e.g. with OCRmyPDF) and import the result.")
    return pages, labels


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
        probe = stripped.lstrip(_PAGE_MARK)  # a page mark (read_pdf_pages) is not text
        if current and _SPEAKER_START.match(probe):
            paragraphs.append(current)
            current = ""
        if not current:
            current = stripped
        elif current.endswith("-") and probe[:1].islower():
            current += stripped
        else:
            current += " " + stripped
        if len(line) < full:
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return "\n".join(paragraphs)
