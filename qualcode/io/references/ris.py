"""RIS reference files through rispy."""

from __future__ import annotations

from pathlib import Path

from qualcode.domain.references import ReferenceRecord, Unparsed, normalise_doi
from qualcode.io.base import file_error
from qualcode.io.references.common import RIS_TYPES, clean, page_range, read_text_file, year_of


def read_ris(path: Path) -> tuple[list[ReferenceRecord], list[Unparsed]]:
    import rispy

    text = read_text_file(path)
    starts = [n for n, line in enumerate(text.split("\n"), start=1) if line.startswith("TY  -")]
    try:
        entries = rispy.loads(text, skip_unknown_tags=True)
    except Exception as exc:  # rispy raises IOError/ValueError subclasses on broken structure
        raise file_error(path, f"is not a readable RIS file ({exc}).") from None
    records: list[ReferenceRecord] = []
    unparsed: list[Unparsed] = []
    for index, entry in enumerate(entries):
        line = starts[index] if index < len(starts) else 0
        title = clean(entry.get("title") or entry.get("primary_title") or entry.get("translated_title"))
        if not title:
            unparsed.append(Unparsed(line, clean(entry.get("id", "")), "the record has no title (TI/T1)."))
            continue
        authors = tuple(clean(a) for a in (entry.get("authors") or entry.get("first_authors") or []) if clean(a))
        urls = entry.get("urls") or []
        records.append(ReferenceRecord(
            title=title,
            authors=authors,
            year=year_of(entry.get("year") or entry.get("publication_year") or entry.get("date")),
            source=clean(entry.get("secondary_title") or entry.get("journal_name") or entry.get("alternate_title1")
                         or entry.get("alternate_title3")),
            volume=clean(entry.get("volume")),
            issue=clean(entry.get("number")),
            pages=page_range(entry.get("start_page"), entry.get("end_page")),
            doi=normalise_doi(str(entry.get("doi") or "")),
            url=clean(urls[0]) if urls else "",
            type=RIS_TYPES.get(str(entry.get("type_of_reference", "")).upper(), "other"),
            abstract=clean(entry.get("abstract")),
            keywords=tuple(clean(k) for k in entry.get("keywords") or []),
            key=clean(entry.get("id")),
            line=line,
        ))
    return records, unparsed
