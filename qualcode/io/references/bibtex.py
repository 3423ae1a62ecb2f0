"""BibTeX files through bibtexparser (v2), LaTeX accents decoded to Unicode."""

from __future__ import annotations

import re
from pathlib import Path

from qualcode.domain.references import ReferenceRecord, Unparsed, normalise_doi
from qualcode.io.references.common import BIBTEX_TYPES, clean, read_text_file, year_of


def split_authors(value: str) -> tuple[str, ...]:
    return tuple(clean(a) for a in re.split(r"\s+and\s+", value) if clean(a))


def read_bibtex(path: Path) -> tuple[list[ReferenceRecord], list[Unparsed]]:
    import bibtexparser
    from bibtexparser.middlewares import LatexDecodingMiddleware

    library = bibtexparser.parse_string(read_text_file(path), append_middleware=[LatexDecodingMiddleware()])
    records: list[ReferenceRecord] = []
    unparsed = [Unparsed(block.start_line + 1, clean(block.raw)[:120], "BibTeX syntax error (unbalanced braces "
                         "or a missing comma?).") for block in library.failed_blocks]
    for entry in library.entries:
        fields = {f.key.lower(): clean(f.value) for f in entry.fields}
        line = entry.start_line + 1
        title = fields.get("title", "").replace("{", "").replace("}", "")
        if not title:
            unparsed.append(Unparsed(line, entry.key, "the entry has no title."))
            continue
        records.append(ReferenceRecord(
            title=title,
            authors=split_authors(fields.get("author", "") or fields.get("editor", "")),
            year=year_of(fields.get("year") or fields.get("date")),
            source=fields.get("journal") or fields.get("journaltitle") or fields.get("booktitle")
            or fields.get("publisher", ""),
            volume=fields.get("volume", ""),
            issue=fields.get("number", "") or fields.get("issue", ""),
            pages=fields.get("pages", "").replace("--", "–"),
            doi=normalise_doi(fields.get("doi", "")),
            url=fields.get("url", ""),
            type=BIBTEX_TYPES.get(entry.entry_type.lower(), "other"),
            abstract=fields.get("abstract", ""),
            keywords=tuple(k.strip() for k in re.split(r"[;,]", fields.get("keywords", "")) if k.strip()),
            key=entry.key,
            line=line,
        ))
    unparsed.sort(key=lambda u: u.line)
    return records, unparsed
