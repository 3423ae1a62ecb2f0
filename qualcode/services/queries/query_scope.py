"""What a search or query is restricted to: document kinds, documents, coders, and
conditions on case or document attributes (`site = "Site 2"`, `age > 40`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.analysis.conditions import Condition, check_condition, parse_condition, satisfies
from qualcode.domain.enums import AttributeScope, DocumentKind, parse_enum
from qualcode.services._common import require
from qualcode.services.cases.attribute_lookup import ResolvedAttribute as ResolvedAttribute
from qualcode.services.cases.attribute_lookup import find_attribute as find_attribute
from qualcode.store.models import AttributeValue, Case, Coder, Document, case_document


@dataclass(frozen=True)
class QueryScope:
    """Restrictions of a query; each empty field means 'no restriction'.

    A document passes a case-attribute condition when one of its cases meets it (so both
    participant cases with a 'site' attribute and site cases work); documents without
    cases never meet case conditions.
    """

    kinds: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    document_ids: tuple[int, ...] | None = None
    coder_ids: tuple[int, ...] | None = None


def document_cases(session: Session, document_ids: Iterable[int] | None = None) -> dict[int, list[tuple[int, str]]]:
    """Document id -> its cases as (case id, name), by name."""
    query = (select(case_document.c.document_id, Case.id, Case.name)
             .join(Case, Case.id == case_document.c.case_id).order_by(func.lower(Case.name)))
    if document_ids is not None:
        query = query.where(case_document.c.document_id.in_(list(document_ids)))
    links: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for document_id, case_id, name in session.execute(query).tuples():
        links[document_id].append((case_id, name))
    return dict(links)


def attribute_values(session: Session, attribute: ResolvedAttribute) -> dict[int, str]:
    """Case id (case attribute) or document id (document attribute) -> stored value."""
    owner = AttributeValue.case_id if attribute.scope is AttributeScope.CASE else AttributeValue.document_id
    rows = session.execute(select(owner, AttributeValue.value).where(AttributeValue.attribute_id == attribute.id))
    return {int(key): str(value) for key, value in rows.tuples() if key is not None}


def _passes(session: Session, condition: Condition, documents: set[int],
            cases: dict[int, list[tuple[int, str]]]) -> set[int]:
    attribute = find_attribute(session, condition.attribute)
    check_condition(condition, attribute.type)
    values = attribute_values(session, attribute)
    if attribute.scope is AttributeScope.DOCUMENT:
        return {d for d in documents if satisfies(condition, attribute.type, values.get(d))}
    return {d for d in documents
            if any(satisfies(condition, attribute.type, values.get(case_id)) for case_id, _ in cases.get(d, ()))}


def check_coders(session: Session, coder_ids: Sequence[int] | None) -> None:
    for coder_id in coder_ids or ():
        require(session, Coder, coder_id, "coder")


def scoped_documents(session: Session, scope: QueryScope) -> set[int]:
    """Ids of the documents a query may look at."""
    query = select(Document.id)
    if scope.kinds:
        kinds = [parse_enum(DocumentKind, kind, "document kind").value for kind in scope.kinds]
        query = query.where(Document.kind.in_(kinds))
    documents = set(session.scalars(query))
    if scope.document_ids is not None:
        for document_id in scope.document_ids:
            require(session, Document, document_id, "document")
        documents &= set(scope.document_ids)
    check_coders(session, scope.coder_ids)
    conditions = [parse_condition(text) for text in scope.conditions]
    if conditions:
        cases = document_cases(session)
        for condition in conditions:
            documents = _passes(session, condition, documents, cases)
    return documents


def describe_scope(scope: QueryScope, coder_names: dict[int, str] | None = None) -> str:
    """A short readable account of the restrictions, for result headers and exports."""
    parts: list[str] = []
    if scope.kinds:
        parts.append("kind " + " or ".join(k.replace("_", "-") for k in scope.kinds))
    parts.extend(str(parse_condition(text)) for text in scope.conditions)
    if scope.document_ids is not None:
        parts.append(f"{len(scope.document_ids)} selected documents")
    if scope.coder_ids is not None:
        names = [(coder_names or {}).get(i, str(i)) for i in scope.coder_ids]
        parts.append("coded by " + ", ".join(names))
    return "; ".join(parts) if parts else "all documents"
