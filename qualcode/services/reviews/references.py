"""Importing reference lists: each new reference becomes a study case with typed attributes;
duplicates (same DOI, or same normalised title and year) are kept as records of what was
found (PRISMA counts them) and reported, but get no case."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.domain.errors import ValidationError
from qualcode.domain.references import ReferenceRecord, Unparsed, cite_label, normalise_doi, title_key
from qualcode.io.references import read_references
from qualcode.services._common import require
from qualcode.services.commands import Change, Command, Recorder
from qualcode.store.models import Attribute, AttributeValue, Case, Reference

# The study attributes every imported reference fills: name -> attribute type.
STUDY_ATTRIBUTES: dict[str, str] = {
    "authors": "text", "year": "number", "title": "text", "source": "text", "DOI": "text", "URL": "text",
    "type": "category",
}


@dataclass(frozen=True)
class DuplicateFound:
    title: str
    line: int
    reason: str  # "doi" or "title+year"
    kept_as: str  # the study case the duplicate belongs to


@dataclass(frozen=True)
class ReferenceImport:
    """What an import did: new studies, duplicates (with the study they duplicate), unreadable entries."""

    source_file: str
    database: str
    format: str
    imported: tuple[str, ...]  # study case names
    duplicates: tuple[DuplicateFound, ...]
    unparsed: tuple[Unparsed, ...]


@dataclass(frozen=True)
class ReferenceInfo:
    id: int
    uid: str
    case_id: int | None
    case_name: str
    duplicate_of_id: int | None
    duplicate_reason: str
    database: str
    record: ReferenceRecord


_COLUMNS = (Reference.id, Reference.uid, Reference.case_id, Reference.duplicate_of_id, Reference.duplicate_reason,
            Reference.database, Reference.title, Reference.authors, Reference.year, Reference.source,
            Reference.volume, Reference.issue, Reference.pages, Reference.doi, Reference.url, Reference.type,
            Reference.abstract, Reference.citation_key)


def _record(row: Any) -> ReferenceRecord:
    return ReferenceRecord(title=row.title, authors=tuple(json.loads(row.authors)), year=row.year, source=row.source,
                           volume=row.volume, issue=row.issue, pages=row.pages, doi=row.doi, url=row.url,
                           type=row.type, abstract=row.abstract, key=row.citation_key)


def list_references(session: Session, *, include_duplicates: bool = False) -> list[ReferenceInfo]:
    """Every reference record (studies first-author–year order), duplicates only if asked."""
    from qualcode.domain.references import sort_key

    query = select(*_COLUMNS, Case.name.label("case_name")).outerjoin(Case, Case.id == Reference.case_id)
    if not include_duplicates:
        query = query.where(Reference.duplicate_of_id.is_(None))
    infos = [ReferenceInfo(r.id, r.uid, r.case_id, r.case_name or "", r.duplicate_of_id, r.duplicate_reason,
                           r.database, _record(r)) for r in session.execute(query)]
    return sorted(infos, key=lambda i: (*sort_key(i.record.authors, i.record.year, i.record.title), i.id))


def get_reference(session: Session, reference_id: int) -> ReferenceInfo:
    row = require(session, Reference, reference_id, "reference")
    name = session.scalar(select(Case.name).where(Case.id == row.case_id)) if row.case_id else ""
    return ReferenceInfo(row.id, row.uid, row.case_id, name or "", row.duplicate_of_id, row.duplicate_reason,
                         row.database, _record(row))


def reference_of_case(session: Session, case_id: int) -> ReferenceInfo | None:
    reference_id = session.scalar(select(Reference.id).where(Reference.case_id == case_id))
    return get_reference(session, reference_id) if reference_id is not None else None


def import_reference_file(
    session: Session, *, path: str | Path, database: str = "", format: str | None = None,
    coder_id: int | None = None,
) -> Change:
    """Read a reference file (RIS, BibTeX, CSL-JSON, EndNote XML, APA/Harvard text) and import it
    as one undoable step. `database` names where the records were found (default: the file
    name), for the PRISMA diagram's "identified from" counts. Result: ReferenceImport."""
    path = Path(path)
    read = read_references(path, format=format)
    return import_references(session, records=read.records, unparsed=read.unparsed, database=database or path.stem,
                             source_file=path.name, format=read.format, coder_id=coder_id)


def import_references(
    session: Session, *, records: Sequence[ReferenceRecord], database: str, source_file: str = "",
    format: str = "", unparsed: Sequence[Unparsed] = (), coder_id: int | None = None,
) -> Change:
    """Store records, de-duplicating against the project and each other. Result: ReferenceImport."""
    database = " ".join(database.split())
    if not database:
        raise ValidationError("Name the database the references come from (e.g. 'MEDLINE').")
    by_doi: dict[str, tuple[int, str]] = {}
    by_title: dict[tuple[str, int | None], tuple[int, str]] = {}
    for row, name in session.execute(select(Reference, Case.name).join(Case, Case.id == Reference.case_id)).tuples():
        if row.doi:
            by_doi[row.doi] = (row.id, name)
        by_title[(title_key(row.title), row.year)] = (row.id, name)
    taken = {n.lower() for n in session.scalars(select(Case.name))}

    def run(rec: Recorder) -> ReferenceImport:
        attributes = _study_attributes(session, rec)
        imported: list[str] = []
        duplicates: list[DuplicateFound] = []
        values: list[dict[str, object]] = []
        for record in records:
            doi = normalise_doi(record.doi)
            key = (title_key(record.title), record.year)
            found = (by_doi.get(doi), "doi") if doi and doi in by_doi else (by_title.get(key), "title+year")
            original, reason = found
            common = _columns(record, doi, database, source_file)
            if original is not None:
                rec.insert(Reference, **common, duplicate_of_id=original[0], duplicate_reason=reason)
                duplicates.append(DuplicateFound(record.title, record.line, reason, original[1]))
                continue
            name = _unique_name(cite_label(record.authors, record.year), taken)
            case_id = int(rec.insert(Case, name=name))
            reference_id = int(rec.insert(Reference, **common, case_id=case_id))
            if doi:
                by_doi[doi] = (reference_id, name)
            by_title[key] = (reference_id, name)
            imported.append(name)
            for attribute, value in _attribute_values(record, doi).items():
                if value:
                    values.append({"attribute_id": attributes[attribute], "case_id": case_id, "value": value})
        rec.insert_many(AttributeValue, values)
        return ReferenceImport(source_file, database, format, tuple(imported), tuple(duplicates), tuple(unparsed))

    return Command(
        f"Import references from {source_file or database}",
        run,
        action="import references",
        details={"file": source_file, "database": database, "records": len(records)},
        coder_id=coder_id,
    ).apply(session)


def _columns(record: ReferenceRecord, doi: str, database: str, source_file: str) -> dict[str, object]:
    return {"database": database, "source_file": source_file, "type": record.type,
            "authors": json.dumps(list(record.authors), ensure_ascii=False), "year": record.year,
            "title": record.title, "source": record.source[:500], "volume": record.volume[:50],
            "issue": record.issue[:50], "pages": record.pages[:50], "doi": doi, "url": record.url,
            "abstract": record.abstract, "citation_key": record.key[:200]}


def _attribute_values(record: ReferenceRecord, doi: str) -> dict[str, str]:
    return {"authors": "; ".join(record.authors), "year": str(record.year) if record.year else "",
            "title": record.title, "source": record.source, "DOI": doi, "URL": record.url, "type": record.type}


def _study_attributes(session: Session, rec: Recorder) -> dict[str, int]:
    """The ids of the study attributes, created (as case attributes) where missing."""
    existing = {name.lower(): (id_, type_) for id_, name, type_ in session.execute(
        select(Attribute.id, Attribute.name, Attribute.type).where(Attribute.scope == "case")).tuples()}
    ids: dict[str, int] = {}
    for name, type_ in STUDY_ATTRIBUTES.items():
        if name.lower() in existing:
            id_, existing_type = existing[name.lower()]
            if existing_type != type_ and not (type_ == "category" and existing_type == "text"):
                raise ValidationError(f"The case attribute '{name}' exists as {existing_type}; references need it "
                                      f"as {type_}. Rename the existing attribute first.")
            ids[name] = id_
        else:
            ids[name] = int(rec.insert(Attribute, name=name, type=type_, scope="case"))
    return ids


def _unique_name(label: str, taken: set[str]) -> str:
    """'Smith 2018', then 'Smith 2018a', 'Smith 2018b' … as in author–year citations."""
    name = label
    for letter in "abcdefghijklmnopqrstuvwxyz":
        if name.lower() not in taken:
            break
        name = label + letter
    else:
        index = 2
        while f"{label} ({index})".lower() in taken:
            index += 1
        name = f"{label} ({index})"
    taken.add(name.lower())
    return name


def study_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Reference).where(Reference.case_id.is_not(None))) or 0)
