"""The viewer layer of a PDF's pages: the first line of every page is marked "p. 4" in the
margin, so a reader of the full text sees where each printed page begins."""

from __future__ import annotations

from typing import Any

from qualcode.gui.contributions import SpanMark
from qualcode.services.commands import Change
from qualcode.services.reviews.fulltexts import document_pages

LAYER_NAME = "PDF pages"
PAGE_COLOR = "#7f8c8d"


def pages_changed(change: Change) -> bool:
    """Only a change to the pages or the text moves a page mark."""
    return change.affects("document_page", "document")


def page_marks(session: Any, document_id: int) -> list[SpanMark]:
    from qualcode.services.documents import document_text

    pages = document_pages(session, document_id)
    if not pages:
        return []
    text = document_text(session, document_id)
    marks = []
    for page in pages:
        if page.end <= page.start:
            continue
        line_end = text.find("\n", page.start, page.end)
        end = line_end if line_end > page.start else page.end
        while end > page.start + 1 and text[end - 1].isspace():
            end -= 1
        marks.append(SpanMark(page.start, end, f"p. {page.label}", PAGE_COLOR,
                              f"Page {page.label} of the PDF (page {page.number} of the file)"))
    return marks
