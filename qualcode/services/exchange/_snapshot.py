"""A whole project read into plain exchange data (qualcode.io.refi.model), for export and tests."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Result, Row, select
from sqlalchemy.orm import Session

from qualcode.io.refi.model import (
    AttributeData,
    CaseData,
    CoderData,
    CodingData,
    ComponentData,
    ConfigurationData,
    DocumentData,
    EvidenceData,
    JournalData,
    MemoData,
    NodeData,
    ProjectData,
    TurnData,
    ValueData,
)
from qualcode.store import models as m


def snapshot_nodes(session: Session) -> list[NodeData]:
    """Every node in tree order (parents first, siblings by position)."""
    rows = session.scalars(select(m.Node).order_by(m.Node.position, m.Node.id)).all()
    uid_of = {node.id: node.uid for node in rows}
    children: dict[int | None, list[m.Node]] = defaultdict(list)
    for node in rows:
        children[node.parent_id].append(node)
    ordered: list[NodeData] = []

    def walk(parent: int | None) -> None:
        for node in children.get(parent, []):
            ordered.append(NodeData(
                uid=node.uid, name=node.name, level=node.level,
                parent_uid=uid_of[node.parent_id] if node.parent_id is not None else None,
                definition=node.definition, inclusion=node.inclusion, exclusion=node.exclusion,
                color=node.color, origin=node.origin, memo=node.memo, created_at=node.created_at))
            walk(node.id)

    walk(None)
    return ordered


_BATCH = 500


def _batched(result: Result[Any]) -> Iterator[Row[Any]]:
    """The rows of `result`, fetched `_BATCH` at a time."""
    for rows in result.partitions(_BATCH):
        yield from rows


def snapshot_project(session: Session) -> ProjectData:
    """Everything a REFI-QDA export carries, keyed by uids (no integer ids)."""
    info = session.scalars(select(m.ProjectInfo).order_by(m.ProjectInfo.id)).first()
    data = ProjectData(
        title=info.title if info else "", methodology=info.methodology if info else "",
        uid=info.uid if info else "", created_at=info.created_at if info else None,
    )
    coder_uid = dict(session.execute(select(m.Coder.id, m.Coder.uid)).tuples().all())
    data.coders = [CoderData(c.uid, c.name, c.color) for c in session.scalars(select(m.Coder).order_by(m.Coder.id))]
    data.nodes = snapshot_nodes(session)
    node_uid = {n.id: n.uid for n in session.execute(select(m.Node.id, m.Node.uid))}

    # Turns and codings are the bulk of a large project: read as plain rows on the session's
    # connection (no ORM bookkeeping per row), unpacked by position and fetched a batch at a
    # time, so each batch of rows is freed before the next instead of all outliving the loop.
    connection = session.connection()
    turns: dict[int, list[TurnData]] = defaultdict(list)
    t = m.Turn.__table__.c
    for document_id, start, end, speaker, timestamp in _batched(connection.execute(
            select(t.document_id, t.start, t.end, t.speaker, t.timestamp).order_by(t.document_id, t.start, t.id))):
        turns[document_id].append(TurnData(start, end, speaker, timestamp))
    document_uid: dict[int, str] = {}
    for doc in session.scalars(select(m.Document).order_by(m.Document.id)):
        document_uid[doc.id] = doc.uid
        data.documents.append(DocumentData(
            uid=doc.uid, name=doc.name, text=doc.text, kind=doc.kind, source_filename=doc.source_filename,
            imported_at=doc.imported_at, memo=doc.memo, turns=turns.get(doc.id, [])))

    coding_uid: dict[int, str] = {}
    c = m.Coding.__table__.c
    for coding_id, uid, document_id, start, end, node_id, coder_id, created_at, memo, exemplar in _batched(
            connection.execute(select(c.id, c.uid, c.document_id, c.start, c.end, c.node_id, c.coder_id,
                                      c.created_at, c.memo, c.exemplar).order_by(c.id))):
        coding_uid[coding_id] = uid
        data.codings.append(CodingData(uid, document_uid[document_id], start, end, node_uid[node_id],
                                       coder_uid[coder_id], created_at, memo, bool(exemplar)))

    attribute_uid: dict[int, str] = {}
    for attribute in session.scalars(select(m.Attribute).order_by(m.Attribute.id)):
        attribute_uid[attribute.id] = attribute.uid
        data.attributes.append(AttributeData(attribute.uid, attribute.name, attribute.type, attribute.scope))
    case_uid = dict(session.execute(select(m.Case.id, m.Case.uid)).tuples().all())
    for value in session.scalars(select(m.AttributeValue).order_by(m.AttributeValue.id)):
        owner = case_uid[value.case_id] if value.case_id is not None else document_uid[value.document_id or 0]
        data.values.append(ValueData(attribute_uid[value.attribute_id], owner, value.value))

    links: dict[int, list[str]] = defaultdict(list)
    for case_id, document_id in session.execute(select(m.case_document.c.case_id, m.case_document.c.document_id)
                                                .order_by(m.case_document.c.document_id)):
        links[case_id].append(document_uid[document_id])
    data.cases = [CaseData(c.uid, c.name, c.memo, links.get(c.id, []))
                  for c in session.scalars(select(m.Case).order_by(m.Case.id))]

    data.memos = [
        MemoData(memo.uid, memo.target_type, memo.target_uid, memo.title, memo.text,
                 coder_uid.get(memo.coder_id) if memo.coder_id is not None else None,
                 memo.created_at, memo.updated_at)
        for memo in session.scalars(select(m.Memo).order_by(m.Memo.id))
    ]
    data.journal = [
        JournalData(entry.uid, coder_uid[entry.coder_id], entry.title, entry.text, entry.created_at)
        for entry in session.scalars(select(m.JournalEntry).order_by(m.JournalEntry.created_at, m.JournalEntry.id))
    ]
    data.configurations = _configurations(session, coder_uid, document_uid, node_uid, coding_uid)
    return data


def _configurations(session: Session, coder_uid: dict[int, str], document_uid: dict[int, str],
                    node_uid: dict[int, str], coding_uid: dict[int, str]) -> list[ConfigurationData]:
    configurations = list(session.scalars(select(m.CmoConfiguration).order_by(m.CmoConfiguration.id)))
    if not configurations:
        return []
    uid_of = {c.id: c.uid for c in configurations}
    nodes: dict[int, list[str]] = defaultdict(list)
    for configuration_id, node_id in session.execute(
            select(m.cmo_configuration_node.c.configuration_id, m.cmo_configuration_node.c.node_id)
            .order_by(m.cmo_configuration_node.c.node_id)):
        nodes[configuration_id].append(node_uid[node_id])
    components: dict[int, list[ComponentData]] = defaultdict(list)
    component_owner: dict[int, tuple[int, str]] = {}
    for component in session.scalars(select(m.CmoComponent).order_by(m.CmoComponent.position, m.CmoComponent.id)):
        components[component.configuration_id].append(
            ComponentData(component.uid, component.role, component.statement, component.position))
        component_owner[component.id] = (component.configuration_id, component.uid)
    evidence: dict[int, list[EvidenceData]] = defaultdict(list)
    for item in session.scalars(select(m.CmoEvidence).order_by(m.CmoEvidence.id)):
        configuration_id, component_uid = component_owner[item.component_id]
        evidence[configuration_id].append(EvidenceData(
            uid=item.uid, component_uid=component_uid, coder_uid=coder_uid[item.coder_id],
            document_uid=document_uid[item.document_id] if item.document_id is not None else None,
            start=item.start, end=item.end,
            coding_uid=coding_uid[item.coding_id] if item.coding_id is not None else None,
            stance=item.stance, memo=item.memo, created_at=item.created_at))
    return [
        ConfigurationData(
            uid=c.uid, label=c.label, concept=c.concept, template=c.template, roles=c.roles, status=c.status,
            origin=c.origin, refined_from_uid=uid_of.get(c.refined_from_id) if c.refined_from_id else None,
            memo=c.memo, created_at=c.created_at, node_uids=nodes.get(c.id, []),
            components=components.get(c.id, []), evidence=evidence.get(c.id, []))
        for c in configurations
    ]


def snapshot_set_memos(session: Session) -> list[MemoData]:
    """The project memos that keep sets from other tools (titled 'Set: …'), oldest first."""
    from qualcode.io.refi.conventions import SET_MEMO_PREFIX

    rows = session.scalars(select(m.Memo).where(m.Memo.target_type == "project",
                                                m.Memo.title.startswith(SET_MEMO_PREFIX))
                           .order_by(m.Memo.id)).all()
    return [MemoData(r.uid, "project", "", r.title, r.text) for r in rows]
