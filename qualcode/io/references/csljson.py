"""CSL-JSON (Zotero, Mendeley, citeproc): a JSON list of items."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from qualcode.domain.references import ReferenceRecord, Unparsed, normalise_doi
from qualcode.io.base import file_error
from qualcode.io.references.common import CSL_TYPES, clean, read_text_file


def _name(person: Any) -> str:
    if not isinstance(person, dict):
        return clean(person)
    if person.get("literal"):
        return clean(person["literal"])
    family = clean(person.get("family"))
    given = clean(person.get("given"))
    return f"{family}, {given}" if family and given else family or given


def _year(item: dict[str, Any]) -> int | None:
    for key in ("issued", "published-print", "published-online"):
        parts = (item.get(key) or {}).get("date-parts") if isinstance(item.get(key), dict) else None
        if parts and parts[0] and str(parts[0][0]).isdigit():
            return int(parts[0][0])
    return None


def read_csl_json(path: Path) -> tuple[list[ReferenceRecord], list[Unparsed]]:
    try:
        data = json.loads(read_text_file(path))
    except json.JSONDecodeError as exc:
        raise file_error(path, f"is not valid JSON (line {exc.lineno}: {exc.msg}).") from None
    if isinstance(data, dict) and "items" in data:
        data = data["items"]
    if not isinstance(data, list):
        raise file_error(path, "is not CSL-JSON (expected a list of reference items).")
    records: list[ReferenceRecord] = []
    unparsed: list[Unparsed] = []
    for index, item in enumerate(data, start=1):
        if not isinstance(item, dict) or not clean(item.get("title")):
            unparsed.append(Unparsed(index, clean(item.get("id") if isinstance(item, dict) else item)[:120],
                                     f"item {index} has no title."))
            continue
        records.append(ReferenceRecord(
            title=clean(item["title"]),
            authors=tuple(n for n in (_name(p) for p in item.get("author") or []) if n),
            year=_year(item),
            source=clean(item.get("container-title")),
            volume=clean(item.get("volume")),
            issue=clean(item.get("issue")),
            pages=clean(item.get("page")).replace("--", "–").replace("-", "–"),
            doi=normalise_doi(str(item.get("DOI") or "")),
            url=clean(item.get("URL")),
            type=CSL_TYPES.get(str(item.get("type", "")), "other"),
            abstract=clean(item.get("abstract")),
            key=clean(item.get("id")),
            line=index,
        ))
    return records, unparsed
