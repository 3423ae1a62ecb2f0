"""The documents & cases overview: each document with its participants, attribute values and
coding density; each case with its documents and codings. Feeds filtering by attribute."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.services.coding.coding_stats import DocumentDensity, document_density
from qualcode.store.models import Attribute, AttributeValue, Case, Document, case_document


@dataclass(frozen=True)
class DocumentRow:
    id: int
    name: str
    kind: str
    cases: tuple[str, ...]
    codings: int
    coded_fraction: float
    attributes: Mapping[str, str]  # the document's own values, then its cases' ("age", "site" ...)


@dataclass(frozen=True)
class CaseRow:
    id: int
    name: str
    documents: int
    codings: int
    attributes: Mapping[str, str]


def _values(session: Session) -> tuple[dict[int, dict[str, str]], dict[int, dict[str, str]]]:
    by_case: dict[int, dict[str, str]] = {}
    by_document: dict[int, dict[str, str]] = {}
    query = select(AttributeValue.case_id, AttributeValue.document_id, Attribute.name, AttributeValue.value).join(
        Attribute, Attribute.id == AttributeValue.attribute_id)
    for case_id, document_id, name, value in session.execute(query).tuples():
        if case_id is not None:
            by_case.setdefault(case_id, {})[name] = value
        elif document_id is not None:
            by_document.setdefault(document_id, {})[name] = value
    return by_case, by_document


def overview(
    session: Session, *, coder_ids: Collection[int] | None = None,
    density: Mapping[int, DocumentDensity] | None = None,
) -> tuple[list[DocumentRow], list[CaseRow]]:
    """Documents (by name) and cases (by name), with counts from `coder_ids` (all coders if None);
    `density`: the documents' counts when already read (`document_density`)."""
    if density is None:
        density = document_density(session, coder_ids)
    by_case, by_document = _values(session)
    cases = {c.id: c.name for c in session.scalars(select(Case))}
    links: dict[int, list[int]] = {}
    for case_id, document_id in session.execute(select(case_document.c.case_id, case_document.c.document_id)).tuples():
        links.setdefault(document_id, []).append(case_id)
    documents = []
    for document_id, name, kind in session.execute(
            select(Document.id, Document.name, Document.kind).order_by(func.lower(Document.name))).tuples():
        case_ids = sorted(links.get(document_id, []), key=lambda c: cases[c].lower())
        attributes: dict[str, str] = {}
        for case_id in case_ids:
            for key, value in by_case.get(case_id, {}).items():
                attributes.setdefault(key, value)
        attributes = by_document.get(document_id, {}) | {k: v for k, v in attributes.items()
                                                         if k not in by_document.get(document_id, {})}
        stats = density.get(document_id)
        documents.append(DocumentRow(document_id, name, kind, tuple(cases[c] for c in case_ids),
                                     stats.codings if stats else 0, stats.fraction if stats else 0.0, attributes))
    case_rows = []
    for case_id, name in sorted(cases.items(), key=lambda item: item[1].lower()):
        docs = [d for d, ids in links.items() if case_id in ids]
        case_rows.append(CaseRow(case_id, name, len(docs), sum(density[d].codings for d in docs if d in density),
                                 by_case.get(case_id, {})))
    return documents, case_rows
