"""Case sheets: participants or sites with attributes, from .csv or .xlsx, in one undoable step.

    preview_case_sheet(path, *, options=CaseSheetOptions()) -> CaseSheetPreview
    import_case_sheet(session, *, path, options=CaseSheetOptions()) -> Change  (result: CaseSheetResult)

One row per case; the id column (the first, unless named) gives the case name. Every
other column becomes a case attribute whose type is inferred (number, date, category,
text) unless `options.types` overrides it. Existing cases and attributes of the same name
are updated, not duplicated. Documents are linked to each case by a column naming the
file(s) (`file_column`), by a name pattern with {column} fields (`pattern`, e.g. "{id}_*"),
or by default when the case name is a word of the document's name or file name. Rows
that match no document are reported. Every value is checked before anything is written,
so a bad cell names its row and column and leaves the project unchanged.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.domain.enums import AttributeScope, AttributeType, parse_enum
from qualcode.domain.errors import QualCodeError, ValidationError
from qualcode.io.casesheet import Cell, Sheet, infer_type, read_sheet
from qualcode.services._common import clean_name
from qualcode.services.cases.cases import canonical_value
from qualcode.services.commands import Change, Command, Recorder
from qualcode.store.models import Attribute, AttributeValue, Case, Document, case_document


@dataclass(frozen=True)
class CaseSheetOptions:
    worksheet: str | None = None
    id_column: str | None = None
    types: Mapping[str, str] = field(default_factory=dict)  # column -> text/number/date/category
    file_column: str | None = None
    pattern: str | None = None
    link_documents: bool = True
    encoding: str | None = None
    coder_id: int | None = None


@dataclass(frozen=True)
class ColumnPlan:
    name: str
    type: AttributeType
    overridden: bool
    exists: bool  # an attribute of this name is already in the project


@dataclass(frozen=True)
class CaseSheetPreview:
    id_column: str
    columns: tuple[ColumnPlan, ...]
    rows: int
    sample: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class CaseSheetResult:
    created: tuple[str, ...]
    updated: tuple[str, ...]
    columns: tuple[ColumnPlan, ...]
    links: int
    unmatched: tuple[str, ...]  # case names whose row matched no document

    def summary(self) -> str:
        text = (f"{len(self.created)} cases created, {len(self.updated)} updated, {len(self.columns)} attributes, "
                f"{self.links} document links")
        return text + (f"; {len(self.unmatched)} rows match no document." if self.unmatched else ".")


def _column(sheet: Sheet, name: str | None, what: str) -> str | None:
    if name is None:
        return None
    for column in sheet.header:
        if column.lower() == " ".join(name.split()).lower():
            return column
    raise ValidationError(f"'{sheet.path.name}' has no column '{name}' for {what} "
                          f"(its columns: {', '.join(sheet.header)}).")


def _plan(session: Session, sheet: Sheet, options: CaseSheetOptions) -> tuple[str, list[ColumnPlan]]:
    id_column = _column(sheet, options.id_column, "the case names") or sheet.header[0]
    file_column = _column(sheet, options.file_column, "the document files")
    overrides = {(_column(sheet, name, "a type override") or name): parse_enum(AttributeType, value, "attribute type")
                 for name, value in options.types.items()}
    existing = {name.lower(): AttributeType(type_) for name, type_ in session.execute(
        select(Attribute.name, Attribute.type).where(Attribute.scope == AttributeScope.CASE.value))}
    plans = []
    for name in sheet.header:
        if name in (id_column, file_column):
            continue
        clean_name(name, "attribute", max_length=200)
        if name in overrides:
            plans.append(ColumnPlan(name, overrides[name], True, name.lower() in existing))
        elif name.lower() in existing:
            plans.append(ColumnPlan(name, existing[name.lower()], False, True))
        else:
            plans.append(ColumnPlan(name, infer_type(sheet.column(name)), False, False))
    return id_column, plans


def _read(path: Path, options: CaseSheetOptions) -> Sheet:
    return read_sheet(path, worksheet=options.worksheet, encoding=options.encoding)


def preview_case_sheet(session: Session, *, path: str | Path,
                       options: CaseSheetOptions = CaseSheetOptions()) -> CaseSheetPreview:
    """The columns and inferred types a case sheet would bring in, before importing it."""
    sheet = _read(Path(path), options)
    id_column, plans = _plan(session, sheet, options)
    sample = tuple(tuple("" if c is None else str(c) for c in row) for row in sheet.rows[:5])
    return CaseSheetPreview(id_column, tuple(plans), len(sheet.rows), sample)


def _text(cell: Cell) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return "" if cell is None else str(cell).strip()


def _matches(case: str, row: Mapping[str, str], documents: list[tuple[int, str, str]],
             options: CaseSheetOptions, file_column: str | None) -> list[int]:
    if file_column is not None:
        wanted = {w.strip().lower() for w in row[file_column].split(";") if w.strip()}
        wanted |= {Path(w).stem for w in wanted}
        return [doc_id for doc_id, name, source in documents
                if name.lower() in wanted or source.lower() in wanted or Path(source).stem.lower() in wanted]
    if options.pattern:
        fields = {key.lower(): value for key, value in row.items()} | {"id": case, "case": case}
        try:
            glob = re.sub(r"\{([^{}]+)\}", lambda m: fields[m.group(1).strip().lower()], options.pattern).lower()
        except KeyError as exc:
            raise ValidationError(f"The pattern '{options.pattern}' names a column the sheet lacks: {exc}.") from None
        return [doc_id for doc_id, name, source in documents
                if fnmatch.fnmatchcase(name.lower(), glob) or fnmatch.fnmatchcase(source.lower(), glob)]
    word = re.compile(rf"(?<![A-Za-z0-9]){re.escape(case.lower())}(?![A-Za-z0-9])")
    return [doc_id for doc_id, name, source in documents if word.search(name.lower()) or word.search(source.lower())]


def import_case_sheet(session: Session, *, path: str | Path,
                      options: CaseSheetOptions = CaseSheetOptions()) -> Change:
    """Create or update cases with attribute values and document links; see the module docstring."""
    path = Path(path)
    sheet = _read(path, options)
    id_column, plans = _plan(session, sheet, options)
    file_column = _column(sheet, options.file_column, "the document files")
    cases_by_name = {name.lower(): (id_, name) for id_, name in session.execute(select(Case.id, Case.name))}
    attributes = {name.lower(): id_ for id_, name in session.execute(
        select(Attribute.id, Attribute.name).where(Attribute.scope == AttributeScope.CASE.value))}
    documents = [(i, n, s) for i, n, s in session.execute(select(Document.id, Document.name, Document.source_filename))]
    rows: list[tuple[str, dict[str, str], dict[str, str]]] = []  # case, raw texts, canonical values
    seen: dict[str, int] = {}
    for offset, cells in enumerate(sheet.rows):
        number = sheet.first_row_number + offset
        raw = dict(zip(sheet.header, (_text(c) for c in cells), strict=True))
        try:
            case = clean_name(raw[id_column], "case")
        except QualCodeError:
            raise ValidationError(f"'{path.name}' row {number}: the '{id_column}' cell is empty.") from None
        if case.lower() in seen:
            raise ValidationError(f"'{path.name}' rows {seen[case.lower()]} and {number} both describe '{case}'.")
        seen[case.lower()] = number
        values: dict[str, str] = {}
        by_name = dict(zip(sheet.header, cells, strict=True))
        for plan in plans:
            cell = by_name[plan.name]
            if cell is None:
                continue
            try:
                values[plan.name] = canonical_value(plan.type, _text(cell) if isinstance(cell, float) else cell,
                                                    plan.name)
            except QualCodeError as exc:
                raise ValidationError(f"'{path.name}' row {number}, column '{plan.name}': {exc}") from None
        rows.append((case, raw, values))
    links = {(row[0].lower(), doc_id) for row in rows if options.link_documents
             for doc_id in _matches(row[0], row[1], documents, options, file_column)}
    unmatched = tuple(case for case, _, _ in rows if options.link_documents
                      and not any(key == case.lower() for key, _ in links))
    created = tuple(case for case, _, _ in rows if case.lower() not in cases_by_name)
    updated = tuple(case for case, _, _ in rows if case.lower() in cases_by_name)

    def run(rec: Recorder) -> CaseSheetResult:
        attribute_ids = dict(attributes)
        for plan in plans:
            if plan.name.lower() not in attribute_ids:
                attribute_ids[plan.name.lower()] = rec.insert(
                    Attribute, name=plan.name, type=plan.type.value, scope=AttributeScope.CASE.value)
            elif plan.overridden:
                rec.update(Attribute, attribute_ids[plan.name.lower()], type=plan.type.value)
        case_ids = {key: id_ for key, (id_, _) in cases_by_name.items()}
        for case, _, values in rows:
            if case.lower() not in case_ids:
                case_ids[case.lower()] = rec.insert(Case, name=case)
            case_id = case_ids[case.lower()]
            for column, value in values.items():
                attribute_id = attribute_ids[column.lower()]
                existing = session.scalar(select(AttributeValue.id).where(
                    AttributeValue.attribute_id == attribute_id, AttributeValue.case_id == case_id))
                if existing is None:
                    rec.insert(AttributeValue, attribute_id=attribute_id, case_id=case_id, value=value)
                else:
                    rec.update(AttributeValue, existing, value=value)
        linked = set(session.execute(select(case_document.c.case_id, case_document.c.document_id)).tuples())
        added = 0
        for key, doc_id in sorted(links):
            if (case_ids[key], doc_id) not in linked:
                rec.insert(case_document, case_id=case_ids[key], document_id=doc_id)
                added += 1
        return CaseSheetResult(created, updated, tuple(plans), added, unmatched)

    return Command(f"Import case sheet '{path.name}'", run, action="import case sheet",
                   details={"file": path.name, "cases": len(rows), "attributes": [p.name for p in plans]},
                   coder_id=options.coder_id).apply(session)

