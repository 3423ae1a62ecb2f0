"""EndNote XML exports (File ▸ Export ▸ XML): <records><record> elements."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from qualcode.domain.references import ReferenceRecord, Unparsed, normalise_doi
from qualcode.io.base import MAX_TEXT_FILE_BYTES, check_size, file_error
from qualcode.io.references.common import ENDNOTE_TYPES, clean, year_of


def _text(element: Any, path: str) -> str:
    found = element.find(path)
    return clean("".join(found.itertext())) if found is not None else ""


def read_endnote_xml(path: Path) -> tuple[list[ReferenceRecord], list[Unparsed]]:
    from xml.etree.ElementTree import ParseError

    from defusedxml import ElementTree

    check_size(path, MAX_TEXT_FILE_BYTES, "reference lists")
    try:
        root = ElementTree.parse(str(path)).getroot()
    except ParseError as exc:
        raise file_error(path, f"is not well-formed XML ({exc}).") from None
    records_found = root.findall(".//record")
    if not records_found:
        raise file_error(path, "is not an EndNote XML export (no <record> elements).")
    records: list[ReferenceRecord] = []
    unparsed: list[Unparsed] = []
    for index, record in enumerate(records_found, start=1):
        title = _text(record, "titles/title")
        if not title:
            unparsed.append(Unparsed(index, _text(record, "rec-number"), f"record {index} has no title."))
            continue
        ref_type = record.find("ref-type")
        type_name = (ref_type.get("name", "") if ref_type is not None else "").lower()
        authors = tuple(a for a in (clean("".join(e.itertext())) for e in
                                    record.findall("contributors/authors/author")) if a)
        records.append(ReferenceRecord(
            title=title,
            authors=authors,
            year=year_of(_text(record, "dates/year")),
            source=_text(record, "titles/secondary-title") or _text(record, "periodical/full-title"),
            volume=_text(record, "volume"),
            issue=_text(record, "number"),
            pages=_text(record, "pages").replace("-", "–"),
            doi=normalise_doi(_text(record, "electronic-resource-num")),
            url=_text(record, "urls/related-urls/url"),
            type=ENDNOTE_TYPES.get(type_name, "other"),
            abstract=_text(record, "abstract"),
            keywords=tuple(k for k in (clean("".join(e.itertext())) for e in record.findall("keywords/keyword")) if k),
            key=_text(record, "rec-number"),
            line=index,
        ))
    return records, unparsed
