"""Small helpers the reference readers share: reading the file, years, page ranges, types."""

from __future__ import annotations

import re
from pathlib import Path

from qualcode.io.base import MAX_TEXT_FILE_BYTES, check_size
from qualcode.io.text import read_text_file as read_text_file_of

_YEAR = re.compile(r"(1[5-9]\d\d|20\d\d)")

# QualCode's reference types and how each format names them.
TYPES = ("article", "book", "chapter", "conference", "report", "thesis", "web", "other")
RIS_TYPES = {"JOUR": "article", "JFULL": "article", "MGZN": "article", "NEWS": "article", "BOOK": "book",
             "EBOOK": "book", "CHAP": "chapter", "ECHAP": "chapter", "CONF": "conference", "CPAPER": "conference",
             "RPRT": "report", "GOVDOC": "report", "THES": "thesis", "ELEC": "web", "WEB": "web"}
BIBTEX_TYPES = {"article": "article", "book": "book", "inbook": "chapter", "incollection": "chapter",
                "inproceedings": "conference", "conference": "conference", "proceedings": "conference",
                "techreport": "report", "report": "report", "phdthesis": "thesis", "mastersthesis": "thesis",
                "thesis": "thesis", "online": "web", "electronic": "web", "misc": "other"}
CSL_TYPES = {"article-journal": "article", "article": "article", "article-magazine": "article",
             "article-newspaper": "article", "book": "book", "chapter": "chapter", "paper-conference": "conference",
             "report": "report", "thesis": "thesis", "webpage": "web", "post-weblog": "web"}
ENDNOTE_TYPES = {"journal article": "article", "book": "book", "book section": "chapter",
                 "conference paper": "conference", "conference proceedings": "conference", "report": "report",
                 "thesis": "thesis", "web page": "web", "electronic article": "article"}


def year_of(value: object) -> int | None:
    found = _YEAR.search(str(value or ""))
    return int(found.group(1)) if found else None


def page_range(start: object, end: object = "") -> str:
    first, last = str(start or "").strip(), str(end or "").strip()
    return f"{first}–{last}" if first and last else first or last


def clean(value: object) -> str:
    return " ".join(str(value or "").split())


def read_text_file(path: Path) -> str:
    """A reference list's text, decoded as every text QualCode reads (BOMs, UTF-16/32, legacy
    encodings), with line ends made '\\n'."""
    check_size(path, MAX_TEXT_FILE_BYTES, "reference lists")
    text, _encoding = read_text_file_of(path)
    return text.replace("\r\n", "\n").replace("\r", "\n")
