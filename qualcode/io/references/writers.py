"""Bibliographies out: BibTeX (bibtexparser), RIS (rispy) and CSL-JSON, written atomically."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from qualcode.domain.errors import ValidationError
from qualcode.domain.references import ReferenceRecord, family_name
from qualcode.io.files import atomic_output

BIBLIOGRAPHY_FORMATS = {".bib": "bibtex", ".ris": "ris", ".json": "csl-json"}
_BIBTEX = {"article": "article", "book": "book", "chapter": "incollection", "conference": "inproceedings",
           "report": "techreport", "thesis": "phdthesis", "web": "misc", "other": "misc"}
_RIS = {"article": "JOUR", "book": "BOOK", "chapter": "CHAP", "conference": "CPAPER", "report": "RPRT",
        "thesis": "THES", "web": "ELEC", "other": "GEN"}
_CSL = {"article": "article-journal", "book": "book", "chapter": "chapter", "conference": "paper-conference",
        "report": "report", "thesis": "thesis", "web": "webpage", "other": "document"}


def bibliography_format(path: Path, format: str | None = None) -> str:
    if format:
        name = {"bib": "bibtex", "json": "csl-json", "csl": "csl-json"}.get(format.lower(), format.lower())
        if name not in BIBLIOGRAPHY_FORMATS.values():
            raise ValidationError(f"Unknown bibliography format '{format}': use bibtex, ris or csl-json.")
        return name
    if path.suffix.lower() not in BIBLIOGRAPHY_FORMATS:
        raise ValidationError(f"Cannot tell the bibliography format of '{path.name}': end the name with "
                              ".bib, .ris or .json (CSL-JSON).")
    return BIBLIOGRAPHY_FORMATS[path.suffix.lower()]


def citation_keys(records: Sequence[ReferenceRecord]) -> list[str]:
    """The record's own key, else 'smith2018' (with a, b … when two would clash)."""
    keys: list[str] = []
    seen: set[str] = set()
    for record in records:
        base = record.key or re.sub(r"\W", "", family_name(record.authors[0]) if record.authors else "anon").lower() + str(
            record.year or "nd")
        key, suffix = base, 0
        while key in seen:
            suffix += 1
            key = base + "abcdefghijklmnopqrstuvwxyz"[(suffix - 1) % 26] * (1 + (suffix - 1) // 26)
        seen.add(key)
        keys.append(key)
    return keys


def _bibtex(records: Sequence[ReferenceRecord]) -> str:
    import bibtexparser
    from bibtexparser.model import Entry, Field

    library = bibtexparser.Library()
    for record, key in zip(records, citation_keys(records), strict=True):
        values = {"author": " and ".join(record.authors), "title": record.title,
                  "journal" if record.type == "article" else "booktitle": record.source,
                  "year": str(record.year or ""), "volume": record.volume, "number": record.issue,
                  "pages": record.pages.replace("–", "--"), "doi": record.doi, "url": record.url}
        fields = [Field(name, "{" + value + "}") for name, value in values.items() if value]
        library.add(Entry(_BIBTEX.get(record.type, "misc"), key, fields))
    return str(bibtexparser.write_string(library))


def _ris(records: Sequence[ReferenceRecord]) -> str:
    import rispy

    entries: list[dict[str, Any]] = []
    for record, key in zip(records, citation_keys(records), strict=True):
        first, _, last = record.pages.partition("–")
        entry = {"type_of_reference": _RIS.get(record.type, "GEN"), "id": key, "authors": list(record.authors),
                 "title": record.title, "secondary_title": record.source, "year": str(record.year or ""),
                 "volume": record.volume, "number": record.issue, "start_page": first, "end_page": last,
                 "doi": record.doi, "urls": [record.url] if record.url else []}
        entries.append({k: v for k, v in entry.items() if v})
    return str(rispy.dumps(entries))


def _csl(records: Sequence[ReferenceRecord]) -> str:
    items = []
    for record, key in zip(records, citation_keys(records), strict=True):
        authors = []
        for author in record.authors:
            family, _, given = author.partition(",")
            authors.append({"family": family.strip(), "given": given.strip()} if given else {"literal": author})
        item: dict[str, Any] = {"id": key, "type": _CSL.get(record.type, "document"), "title": record.title,
                                "author": authors, "container-title": record.source, "volume": record.volume,
                                "issue": record.issue, "page": record.pages, "DOI": record.doi, "URL": record.url}
        if record.year:
            item["issued"] = {"date-parts": [[record.year]]}
        items.append({k: v for k, v in item.items() if v})
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def write_bibliography(records: Sequence[ReferenceRecord], path: str | Path, *, format: str | None = None) -> Path:
    """Write the records as BibTeX, RIS or CSL-JSON; nothing half-written on failure."""
    target = Path(path)
    fmt = bibliography_format(target, format)
    text = {"bibtex": _bibtex, "ris": _ris, "csl-json": _csl}[fmt](records)
    with atomic_output(target) as temp:
        temp.write_text(text, encoding="utf-8")
    return target
