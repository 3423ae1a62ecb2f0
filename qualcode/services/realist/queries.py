"""Derived facts about CMO configurations: evidence counts per configuration and statement,
filters by case attribute, and the refinement history."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from qualcode.domain.enums import AttributeScope, Stance
from qualcode.domain.errors import NotFoundError
from qualcode.services._common import require
from qualcode.services.realist.configurations import ConfigurationInfo, list_configurations
from qualcode.store.models import (
    Attribute,
    AttributeValue,
    CmoComponent,
    CmoConfiguration,
    CmoEvidence,
    Coding,
    case_document,
)


@dataclass(frozen=True)
class EvidenceCounts:
    """How much evidence backs a configuration or a statement (distinct passages etc.)."""

    spans: int = 0  # distinct passages
    refuting: int = 0  # distinct passages linked as refuting
    documents: int = 0
    cases: int = 0  # participants (cases linked to the documents)
    sites: int = 0  # distinct values of the chosen case attribute (e.g. 'site')
    coders: int = 0


@dataclass(frozen=True)
class ConfigurationCounts:
    total: EvidenceCounts
    components: dict[int, EvidenceCounts]


@dataclass
class _Tally:
    spans: set[tuple[int, int, int]] = field(default_factory=set)
    refuting: set[tuple[int, int, int]] = field(default_factory=set)
    documents: set[int] = field(default_factory=set)
    cases: set[int] = field(default_factory=set)
    sites: set[str] = field(default_factory=set)
    coders: set[int] = field(default_factory=set)

    def counts(self) -> EvidenceCounts:
        return EvidenceCounts(len(self.spans), len(self.refuting), len(self.documents), len(self.cases),
                              len(self.sites), len(self.coders))


def _case_attribute(session: Session, name: str) -> int:
    attribute_id = session.scalar(select(Attribute.id).where(
        func.lower(Attribute.name) == " ".join(name.split()).lower(), Attribute.scope == AttributeScope.CASE))
    if attribute_id is None:
        raise NotFoundError(f"There is no case attribute named '{name}' in this project.")
    return int(attribute_id)


def _evidence_rows(session: Session, configuration_ids: Iterable[int] | None) -> list[tuple[int, int, int, int, int,
                                                                                              int, str]]:
    coding = aliased(Coding)
    doc_col = func.coalesce(CmoEvidence.document_id, coding.document_id)
    query = (select(CmoComponent.configuration_id, CmoEvidence.component_id, doc_col,
                    func.coalesce(CmoEvidence.start, coding.start), func.coalesce(CmoEvidence.end, coding.end),
                    CmoEvidence.coder_id, CmoEvidence.stance)
             .join(CmoComponent, CmoComponent.id == CmoEvidence.component_id)
             .outerjoin(coding, coding.id == CmoEvidence.coding_id))
    if configuration_ids is not None:
        query = query.where(CmoComponent.configuration_id.in_(list(configuration_ids)))
    return list(session.execute(query).tuples())


def evidence_counts(
    session: Session,
    *,
    configuration_ids: Iterable[int] | None = None,
    site_attribute: str | None = None,
) -> dict[int, ConfigurationCounts]:
    """Counts per configuration (and per statement): distinct passages, refuting passages,
    documents, cases, sites (distinct values of the case attribute `site_attribute`), coders.
    Configurations without evidence get zero counts."""
    ids = list(configuration_ids) if configuration_ids is not None else list(
        session.scalars(select(CmoConfiguration.id)))
    rows = _evidence_rows(session, ids)
    doc_ids = {row[2] for row in rows}
    doc_cases: dict[int, set[int]] = {}
    for doc, case in session.execute(select(case_document.c.document_id, case_document.c.case_id)
                                     .where(case_document.c.document_id.in_(doc_ids))):
        doc_cases.setdefault(doc, set()).add(case)
    case_site: dict[int, str] = {}
    if site_attribute:
        attribute_id = _case_attribute(session, site_attribute)
        case_ids = set().union(*doc_cases.values()) if doc_cases else set()
        case_site = {case: value for case, value in session.execute(
            select(AttributeValue.case_id, AttributeValue.value).where(
                AttributeValue.attribute_id == attribute_id, AttributeValue.case_id.in_(case_ids)))
            if case is not None}
    totals: dict[int, _Tally] = {i: _Tally() for i in ids}
    parts: dict[int, dict[int, _Tally]] = {i: {} for i in ids}
    for component in session.execute(select(CmoComponent.id, CmoComponent.configuration_id)
                                     .where(CmoComponent.configuration_id.in_(ids))):
        parts[component.configuration_id][component.id] = _Tally()
    for config_id, component_id, doc, start, end, coder, stance in rows:
        for tally in (totals[config_id], parts[config_id][component_id]):
            span = (doc, start, end)
            tally.spans.add(span)
            if stance == Stance.REFUTES:
                tally.refuting.add(span)
            tally.documents.add(doc)
            tally.cases.update(doc_cases.get(doc, ()))
            tally.sites.update(case_site[c] for c in doc_cases.get(doc, ()) if c in case_site)
            tally.coders.add(coder)
    return {i: ConfigurationCounts(totals[i].counts(), {c: t.counts() for c, t in parts[i].items()}) for i in ids}


def configurations_with_case_value(session: Session, *, attribute: str, value: str) -> set[int]:
    """Configurations with evidence from documents of cases whose attribute has this value
    (e.g. which CMOCs have evidence from high-deprivation sites)."""
    attribute_id = _case_attribute(session, attribute)
    cases = select(AttributeValue.case_id).where(
        AttributeValue.attribute_id == attribute_id, func.lower(AttributeValue.value) == value.strip().lower())
    docs = set(session.scalars(select(case_document.c.document_id).where(case_document.c.case_id.in_(cases))))
    return {config for config, _component, doc, *_rest in _evidence_rows(session, None) if doc in docs}


def filter_configurations(
    session: Session,
    *,
    concept: str | None = None,
    status: str | None = None,
    origin: str | None = None,
    case_attribute: str | None = None,
    case_value: str | None = None,
) -> list[ConfigurationInfo]:
    """Configurations matching every given filter, grouped by concept."""
    ids = None
    if case_attribute and case_value:
        ids = configurations_with_case_value(session, attribute=case_attribute, value=case_value)
    return list_configurations(session, concept=concept, status=status, origin=origin, ids=ids)


def case_attribute_values(session: Session) -> dict[str, list[str]]:
    """Case attribute name -> its distinct values, for filter choices."""
    values: dict[str, set[str]] = {}
    for name, value in session.execute(select(Attribute.name, AttributeValue.value)
                                       .join(AttributeValue, AttributeValue.attribute_id == Attribute.id)
                                       .where(Attribute.scope == AttributeScope.CASE)):
        values.setdefault(name, set()).add(value)
    return {name: sorted(v, key=str.lower) for name, v in sorted(values.items(), key=lambda kv: kv[0].lower())}


@dataclass(frozen=True)
class HistoryStep:
    configuration: ConfigurationInfo
    depth: int  # 0 for the first version, 1 for a refinement of it, ...


def refinement_history(session: Session, configuration_id: int) -> list[HistoryStep]:
    """Every version in the configuration's refinement tree: from the first version down
    through each later refinement (depth-first, oldest first)."""
    require(session, CmoConfiguration, configuration_id, "configuration")
    parents = dict(session.execute(select(CmoConfiguration.id, CmoConfiguration.refined_from_id)).tuples().all())
    root, seen = configuration_id, {configuration_id}
    while parents.get(root) is not None and parents[root] not in seen:
        root = parents[root]  # type: ignore[assignment]
        seen.add(root)
    children: dict[int, list[int]] = {}
    for child, parent in parents.items():
        if parent is not None:
            children.setdefault(parent, []).append(child)
    order: list[tuple[int, int]] = []
    stack = [(root, 0)]
    visited: set[int] = set()
    while stack:
        node, depth = stack.pop()
        if node in visited:
            continue
        visited.add(node)
        order.append((node, depth))
        stack.extend((child, depth + 1) for child in sorted(children.get(node, []), reverse=True))
    infos = {info.id: info for info in list_configurations(session, ids=[n for n, _ in order])}
    return [HistoryStep(infos[n], depth) for n, depth in order]
