"""The review's tables: characteristics of included studies (one row per study, chosen
attributes as columns, author–year order), categories × studies (coded passages per category
and study), and quotes cited with their page "(Smith & Jones 2018, p. 4)"."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.domain.errors import NotFoundError, ValidationError
from qualcode.domain.references import sort_key
from qualcode.services.documents import page_references
from qualcode.services.reviews.references import STUDY_ATTRIBUTES, ReferenceInfo, list_references
from qualcode.services.reviews.screening import included_reference_ids
from qualcode.store.models import Attribute, AttributeValue, Case, Coding, Document, Node, Reference, case_document

DEFAULT_COLUMNS = ("title", "source")


@dataclass(frozen=True)
class Table:
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]


def studies(session: Session, *, which: str = "included") -> list[ReferenceInfo]:
    """Study records in author–year order: 'included' (after full-text screening) or 'all'."""
    records = [r for r in list_references(session) if r.case_id is not None]
    if which == "all":
        return records
    if which != "included":
        raise ValidationError(f"'{which}' is not a set of studies: use included or all.")
    chosen = set(included_reference_ids(session))
    return [r for r in records if r.id in chosen]


def default_columns(session: Session) -> list[str]:
    """Title and source, then every case attribute the team added (country, design …)."""
    names = list(session.scalars(select(Attribute.name).where(Attribute.scope == "case")))
    own = sorted((n for n in names if n not in STUDY_ATTRIBUTES), key=str.lower)
    return [*(c for c in DEFAULT_COLUMNS if c in names), *own]


def characteristics_table(session: Session, *, columns: Sequence[str] = (), which: str = "included") -> Table:
    """One row per study; columns are case attributes (default: title, source, then every
    attribute the team added, such as country or design)."""
    names = {n.lower(): n for n in session.scalars(select(Attribute.name).where(Attribute.scope == "case"))}
    if columns:
        chosen = []
        for column in columns:
            if column.strip().lower() not in names:
                raise NotFoundError(f"There is no case attribute '{column.strip()}' (have: {', '.join(sorted(names.values()))}).")
            chosen.append(names[column.strip().lower()])
    else:
        chosen = default_columns(session)
    rows = []
    chosen_studies = studies(session, which=which)
    values: dict[int, dict[str, object]] = defaultdict(dict)
    for case_id, name, type_, value in session.execute(
        select(AttributeValue.case_id, Attribute.name, Attribute.type, AttributeValue.value)
        .join(Attribute, Attribute.id == AttributeValue.attribute_id)
        .where(AttributeValue.case_id.in_([s.case_id for s in chosen_studies]), Attribute.scope == "case")
    ).tuples():
        values[int(case_id or 0)][name] = _number(value) if type_ == "number" else value
    for study in chosen_studies:
        own_values = values.get(int(study.case_id or 0), {})
        rows.append((study.case_name, *(own_values.get(column, "") for column in chosen)))
    return Table("Characteristics of included studies" if which == "included" else "Characteristics of studies",
                 ("Study", *(c[:1].upper() + c[1:] for c in chosen)), tuple(rows))


def _number(value: str) -> object:
    """A number attribute's stored text as a number (a year stays 2016, not '2016')."""
    try:
        number = float(value)
    except ValueError:
        return value
    return int(number) if number.is_integer() else number


def _study_documents(session: Session, chosen: Sequence[ReferenceInfo]) -> dict[int, str]:
    """Document id -> study (case) name for the chosen studies' documents."""
    case_names = {s.case_id: s.case_name for s in chosen}
    return {document_id: case_names[case_id] for case_id, document_id in session.execute(
        select(case_document.c.case_id, case_document.c.document_id)
        .where(case_document.c.case_id.in_(list(case_names)))).tuples()}


def category_matrix(session: Session, *, which: str = "included", min_level: int = 1) -> Table:
    """Categories (nodes, with their sub-categories' passages counted in) × studies: the number of
    coded passages of each category in each study's full text."""
    chosen = studies(session, which=which)
    documents = _study_documents(session, chosen)
    nodes = list(session.execute(select(Node.id, Node.name, Node.parent_id, Node.level)
                                 .order_by(Node.position, Node.id)).tuples())
    parent = {node_id: parent_id for node_id, _, parent_id, _ in nodes}
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for node_id, document_id in session.execute(select(Coding.node_id, Coding.document_id)
                                                .where(Coding.document_id.in_(list(documents)))).tuples():
        current: int | None = node_id
        while current is not None:
            counts[current][documents[document_id]] += 1
            current = parent.get(current)
    children: dict[int | None, list[tuple[int, str, int]]] = defaultdict(list)
    for node_id, name, parent_id, level in nodes:
        children[parent_id].append((node_id, name, level))
    rows: list[tuple[object, ...]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for node_id, name, level in children.get(parent_id, []):
            if level >= min_level:
                rows.append(("  " * depth + name, *(counts[node_id].get(s.case_name, 0) for s in chosen)))
            walk(node_id, depth + 1)

    walk(None, 0)
    return Table("Categories × studies", ("Category", *(s.case_name for s in chosen)), tuple(rows))


def cite_passage(session: Session, *, document_id: int, start: int, end: int) -> str:
    """'(Smith & Jones 2018, p. 4)': the document's study and the page(s) the passage is on."""
    document = session.get(Document, document_id)
    if document is None:
        raise NotFoundError(f"There is no document with id {document_id} in this project.")
    study = session.scalar(select(Case.name).join(case_document, case_document.c.case_id == Case.id)
                           .join(Reference, Reference.case_id == Case.id)
                           .where(case_document.c.document_id == document_id))
    return _citation(study or document.name, page_references(session, [(document_id, start, end)]).get(
        (document_id, start, end)))


def _citation(study: str, page: str | None) -> str:
    return f"({study}, {page})" if page else f"({study})"


def quotes_table(session: Session, *, node_ids: Sequence[int] = (), which: str = "included") -> Table:
    """Every coded passage of the chosen categories in the chosen studies, quoted and cited."""
    chosen = studies(session, which=which)
    documents = _study_documents(session, chosen)
    query = (select(Node.name, Coding.document_id, Coding.start, Coding.end).join(Node, Node.id == Coding.node_id)
             .where(Coding.document_id.in_(list(documents))))
    if node_ids:
        query = query.where(Coding.node_id.in_(list(node_ids)))
    passages = list(dict.fromkeys(session.execute(query).tuples()))  # two coders coding the same passage: once
    texts = {document_id: text for document_id, text in session.execute(
        select(Document.id, Document.text).where(Document.id.in_({p[1] for p in passages}))).tuples()}
    pages = page_references(session, [(document_id, start, end) for _, document_id, start, end in passages])
    order = {s.case_name: sort_key(s.record.authors, s.record.year, s.record.title) for s in chosen}
    rows = []
    for name, document_id, start, end in passages:
        study = documents[document_id]
        cite = _citation(study, pages.get((document_id, start, end)))
        rows.append(((name.lower(), order[study], start), name,
                     f"“{' '.join(texts[document_id][start:end].split())}” {cite}"))
    rows.sort(key=lambda row: row[0])
    return Table("Quotes by category", ("Category", "Quote"), tuple((r[1], r[2]) for r in rows))
