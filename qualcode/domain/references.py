"""Bibliographic records for literature reviews: the parsed form every reference reader
returns, the keys used to find duplicates, and author–year citation labels.

Pure Python: readers (qualcode.io.references) build `ReferenceRecord`s, services store them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum

_DOI = re.compile(r"10\.\d{4,9}/[^\s\"'<>]+", re.IGNORECASE)
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


class ScreeningStage(StrEnum):
    TITLE_ABSTRACT = "title_abstract"
    FULL_TEXT = "full_text"


STAGE_LABELS = {"title_abstract": "title/abstract", "full_text": "full text"}


def stage_label(stage: str) -> str:
    """'title/abstract' or 'full text', as people write the stage."""
    return STAGE_LABELS.get(str(stage), str(stage))


class ScreeningDecisionValue(StrEnum):
    INCLUDE = "include"
    EXCLUDE = "exclude"


@dataclass(frozen=True)
class ReferenceRecord:
    """One reference as read from a file: authors as 'Family, Given' strings."""

    title: str
    authors: tuple[str, ...] = ()
    year: int | None = None
    source: str = ""  # journal, book or proceedings title
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    url: str = ""
    type: str = "article"
    abstract: str = ""
    keywords: tuple[str, ...] = ()
    key: str = ""  # citation key from the file (BibTeX key, RIS ID), if any
    line: int = 0  # where the record starts in its file (1-based), for reports
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Unparsed:
    """A stretch of a reference file that could not be read as a reference, and why."""

    line: int
    text: str
    problem: str


def normalise_doi(value: str) -> str:
    """A DOI in its canonical lower-case form without resolver prefix ('' when none)."""
    value = _DOI_PREFIX.sub("", value.strip())
    found = _DOI.search(value)
    return found.group(0).rstrip(".,;)").lower() if found else ""


def find_doi(text: str) -> str:
    """The first DOI written in a text (a PDF's first page, a file name), normalised."""
    found = _DOI.search(text)
    return normalise_doi(found.group(0)) if found else ""


def title_key(title: str) -> str:
    """A title reduced to lower-case letters and digits (accents, case, punctuation ignored)."""
    decomposed = unicodedata.normalize("NFKD", title.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


def family_name(author: str) -> str:
    """'Braun, V.' -> 'Braun'; 'Virginia Braun' -> 'Braun'."""
    author = author.strip()
    if "," in author:
        return author.split(",", 1)[0].strip()
    parts = author.split()
    return parts[-1] if parts else ""


def cite_label(authors: tuple[str, ...] | list[str], year: int | None) -> str:
    """'Braun & Clarke 2006', 'Smith et al. 2018', 'Anon. n.d.' — the author–year label."""
    names = [family_name(a) for a in authors if a.strip()]
    if not names:
        who = "Anon."
    elif len(names) == 1:
        who = names[0]
    elif len(names) == 2:
        who = f"{names[0]} & {names[1]}"
    else:
        who = f"{names[0]} et al."
    return f"{who} {year if year is not None else 'n.d.'}"


def sort_key(authors: tuple[str, ...] | list[str], year: int | None, title: str) -> tuple[str, int, str]:
    """Author–year order: first author's family name, then year, then title."""
    first = family_name(authors[0]).casefold() if authors else "~"
    return (title_key(first) or "~", year if year is not None else 9999, title.casefold())


def pages_cited(pages: list[tuple[str, int, int]], start: int, end: int) -> str:
    """'p. 4' or 'pp. 4–5' for the passage [start, end) given (label, start, end) of each
    page in text order; '' when the document has no pages."""
    covering = [label for label, page_start, page_end in pages if page_start < max(end, start + 1) and page_end > start]
    if not covering:
        covering = [label for label, page_start, _ in pages if page_start <= start][-1:]
    if not covering:
        return ""
    first, last = covering[0], covering[-1]
    return f"p. {first}" if first == last else f"pp. {first}–{last}"
