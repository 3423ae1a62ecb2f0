"""Plain-text reference lists in APA or Harvard style, one reference per paragraph.

    Braun, V., & Clarke, V. (2006). Using thematic analysis in psychology. Qualitative Research
    in Psychology, 3(2), 77–101. https://doi.org/10.1191/1478088706qp063oa
    Smith, J. and Jones, B. (2018) Title. Journal, 54(5), pp. 715–718.
    Smith, J. and Jones, B., 2018. Title. Journal, 54(5), pp.715-718.

A paragraph is a block between blank lines (lines of a block are joined); a list without any
blank line has one reference per line. A paragraph without authors, a year or a title is
reported with its line, never guessed.
"""

from __future__ import annotations

import re
from pathlib import Path

from qualcode.domain.references import ReferenceRecord, Unparsed, find_doi
from qualcode.io.references.common import read_text_file

_YEAR = r"(?:1[5-9]\d\d|20\d\d)[a-z]?|n\.\s?d\."
_HEAD = re.compile(
    rf"^(?P<authors>.+?)\s*(?:\((?P<year1>{_YEAR})\)\.?|,\s*(?P<year2>{_YEAR})\.)(?:\s+(?P<rest>.+))?$"
)
# A title ends at . ? ! followed by the next part (a capital, a digit, a bracket) or the end, so
# "the U.S. adult population" or "e.g. in care" stay whole.
_TITLE = re.compile(r"^(?P<title>.+?[.?!])(?:\s+(?=[A-Z0-9(\[\"“])(?P<rest>.*))?$")
_SOURCE = re.compile(
    r"^(?P<source>[^,]+?),\s*(?:vol\.\s*)?(?P<volume>\d+)\s*(?:\((?P<issue>[^)]+)\))?"
    r"(?:,\s*(?:pp?\.\s*)?(?P<pages>[A-Za-z]?\d+(?:\s*[–—-]\s*[A-Za-z]?\d+)?))?"
)
_URL = re.compile(r"https?://\S+")
_INITIALS = re.compile(r"([^,]+?),\s*((?:[A-Z][A-Za-z]?\.\s*-?\s*)+)")


def parse_authors(text: str) -> tuple[str, ...]:
    """'Smith, J. A., & Jones, B.' -> ('Smith, J. A.', 'Jones, B.'); an organisation stays whole."""
    text = re.sub(r",?\s*et al\.?", "", text.strip())
    flat = re.sub(r"\s*(?:&|\band\b)\s*", ", ", text).strip(" ,")
    found = [(family.strip(" ,"), initials.strip()) for family, initials in _INITIALS.findall(flat + " ")]
    if found:
        return tuple(f"{family}, {initials}" for family, initials in found if family)
    organisation = text.strip(" .,")
    return (organisation,) if organisation else ()


def parse_reference(text: str, line: int) -> ReferenceRecord | Unparsed:
    """One APA/Harvard reference, or why it cannot be read."""
    text = " ".join(text.split())
    head = _HEAD.match(text)
    if head is None:
        return Unparsed(line, text, "no year after the authors: expected 'Authors (2018). Title.' (APA) "
                                    "or 'Authors (2018) Title.' / 'Authors, 2018. Title.' (Harvard).")
    authors = parse_authors(head.group("authors"))
    if not authors:
        return Unparsed(line, text, "no authors before the year.")
    year_text = head.group("year1") or head.group("year2")
    title_match = _TITLE.match(head.group("rest") or "")
    if title_match is None or len(title_match.group("title").strip(" .")) < 3:
        return Unparsed(line, text, "no title after the year (a title ends with a full stop).")
    title = title_match.group("title").rstrip(".").strip()
    rest = (title_match.group("rest") or "").strip()
    doi = find_doi(rest)
    urls = [u.rstrip(".,;") for u in _URL.findall(rest)]
    source_text = _URL.sub("", re.sub(r"\bdoi:\s*\S+", "", rest, flags=re.IGNORECASE)).strip(" .")
    source = _SOURCE.match(source_text)
    year = int(year_text[:4]) if year_text[:4].isdigit() else None
    return ReferenceRecord(
        title=title,
        authors=authors,
        year=year,
        source=(source.group("source") if source else source_text.split(".")[0]).strip(" .,"),
        volume=source.group("volume") if source else "",
        issue=(source.group("issue") or "") if source else "",
        pages=re.sub(r"\s*[—-]\s*", "–", source.group("pages") or "") if source else "",
        doi=doi,
        url=next((u for u in urls if "doi.org" not in u), ""),
        type="article" if source else "other",
        line=line,
    )


def paragraphs(text: str) -> list[tuple[int, str]]:
    """(first line number, text) of each reference: blocks between blank lines, or lines."""
    lines = text.split("\n")
    blocks: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(lines, start=1):
        if line.strip():
            if not current:
                start = number
            current.append(line.strip())
        elif current:
            blocks.append((start, " ".join(current)))
            current = []
    if current:
        blocks.append((start, " ".join(current)))
    if len(blocks) == 1 and sum(1 for line in lines if line.strip()) > 1:
        return [(n, line.strip()) for n, line in enumerate(lines, start=1) if line.strip()]
    return blocks


def read_reference_list(path: Path) -> tuple[list[ReferenceRecord], list[Unparsed]]:
    records: list[ReferenceRecord] = []
    unparsed: list[Unparsed] = []
    for line, paragraph in paragraphs(read_text_file(path)):
        paragraph = re.sub(r"^(?:\d+[.)]|[-*•])\s+", "", paragraph)  # a numbered or bulleted list
        parsed = parse_reference(paragraph, line)
        (records if isinstance(parsed, ReferenceRecord) else unparsed).append(parsed)  # type: ignore[arg-type]
    return records, unparsed
