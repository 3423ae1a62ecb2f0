"""A project read into memory with every reference written as a uid, for merging.

Matching and planning work on these plain rows, never on live ORM objects: the incoming
project and the base are compared uid to uid, and a plan's additions can be folded into the
base snapshot so several projects merge one after another in a single transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.services.teamwork.merge_review_rows import ReviewRows, read_review_rows
from qualcode.store import models as m


def norm(text: str) -> str:
    """A name compared case- and whitespace-insensitively."""
    return " ".join(text.split()).casefold()


@dataclass(slots=True)
class CoderRow:
    uid: str
    name: str
    color: str


@dataclass(slots=True)
class DocumentRow:
    uid: str
    name: str
    kind: str
    sha: str
    source_filename: str
    imported_at: datetime
    memo: str
    text: str | None = None  # loaded when needed


@dataclass(slots=True)
class PageRow:
    document_uid: str
    number: int
    label: str
    start: int
    end: int


@dataclass(slots=True)
class TurnRow:
    document_uid: str
    start: int
    end: int
    speaker: str
    timestamp: float | None


@dataclass(slots=True)
class CaseRow:
    uid: str
    name: str
    memo: str
    document_uids: set[str] = field(default_factory=set)


@dataclass(slots=True)
class AttributeRow:
    uid: str
    name: str
    type: str
    scope: str


@dataclass(slots=True)
class ValueRow:
    attribute_uid: str
    owner_kind: str  # "case" or "document"
    owner_uid: str
    value: str


@dataclass(slots=True)
class NodeRow:
    uid: str
    name: str
    level: int
    parent_uid: str | None
    position: int
    definition: str
    inclusion: str
    exclusion: str
    color: str
    origin: str
    created_at: datetime
    memo: str


@dataclass(slots=True)
class CodingRow:
    uid: str
    document_uid: str
    start: int
    end: int
    node_uid: str
    coder_uid: str
    created_at: datetime
    memo: str
    exemplar: bool
    exemplar_position: int = 0

    @property
    def key(self) -> tuple[str, int, int, str, str]:
        return (self.document_uid, self.start, self.end, self.node_uid, self.coder_uid)


@dataclass(slots=True)
class ConfigurationRow:
    uid: str
    label: str
    concept: str
    template: str
    roles: str
    status: str
    origin: str
    refined_from_uid: str | None
    memo: str
    created_at: datetime
    node_uids: set[str] = field(default_factory=set)
    sentence: str = ""  # written out by the authors, markers in place


@dataclass(slots=True)
class ComponentRow:
    uid: str
    configuration_uid: str
    role: str
    statement: str
    position: int
    sentence_position: int = 0


@dataclass(slots=True)
class ThemeLinkRow:
    """A link drawn between two themes (by their uids), with its label."""

    source_uid: str
    target_uid: str
    label: str


@dataclass(slots=True)
class EvidenceRow:
    uid: str
    component_uid: str
    document_uid: str | None
    start: int | None
    end: int | None
    coding_uid: str | None
    coder_uid: str
    stance: str
    memo: str
    created_at: datetime

    @property
    def key(self) -> tuple[object, ...]:
        return (self.component_uid, self.document_uid, self.start, self.end, self.coding_uid, self.coder_uid,
                self.stance)


@dataclass(slots=True)
class MemoRow:
    uid: str
    target_type: str
    target_uid: str
    title: str
    text: str
    coder_uid: str | None
    created_at: datetime
    updated_at: datetime


@dataclass(slots=True)
class JournalRow:
    uid: str
    coder_uid: str
    created_at: datetime
    title: str
    text: str


@dataclass(slots=True)
class AuditRow:
    at: datetime
    coder_uid: str | None
    action: str
    details: str

    @property
    def key(self) -> tuple[object, ...]:
        return (self.at, self.coder_uid, self.action, _without_db_role(self.details))


def _without_db_role(details: str) -> str:
    """Details as the action wrote them, in one canonical form: a team server stores them as
    jsonb (its own key order) and adds the database role that wrote the row (also to rows a
    merge copies in), which says nothing about the event itself."""
    try:
        parsed = json.loads(details)
    except ValueError:
        return details
    if isinstance(parsed, dict):
        parsed.pop("db_role", None)
        return json.dumps(parsed, sort_keys=True)
    return details


@dataclass
class Snapshot:
    """Every entity of a project, keyed by uid (turns by their document)."""

    name: str
    project_uid: str
    title: str
    methodology: str
    revision: int
    coders: dict[str, CoderRow]
    documents: dict[str, DocumentRow]
    cases: dict[str, CaseRow]
    attributes: dict[str, AttributeRow]
    values: list[ValueRow]
    nodes: dict[str, NodeRow]
    codings: dict[str, CodingRow]
    configurations: dict[str, ConfigurationRow]
    components: dict[str, ComponentRow]
    evidence: dict[str, EvidenceRow]
    memos: dict[str, MemoRow]
    journal: dict[str, JournalRow]
    audit: list[AuditRow]
    load_text: Callable[[str], str] = field(repr=False, default=lambda uid: "")
    load_turns: Callable[[set[str]], list[TurnRow]] = field(repr=False, default=lambda uids: [])
    load_pages: Callable[[set[str]], list[PageRow]] = field(repr=False, default=lambda uids: [])
    reviews: ReviewRows = field(default_factory=ReviewRows)
    theme_links: list[ThemeLinkRow] = field(default_factory=list)

    def text(self, document_uid: str) -> str:
        row = self.documents[document_uid]
        if row.text is None:
            row.text = self.load_text(document_uid)
        return row.text

    def nodes_in_tree_order(self) -> list[NodeRow]:
        """Parents before children, siblings by position."""
        children: dict[str | None, list[NodeRow]] = {}
        for node in self.nodes.values():
            parent = node.parent_uid if node.parent_uid in self.nodes else None
            children.setdefault(parent, []).append(node)
        ordered: list[NodeRow] = []
        stack = sorted(children.get(None, []), key=lambda n: (n.position, n.name), reverse=True)
        while stack:
            node = stack.pop()
            ordered.append(node)
            stack.extend(sorted(children.get(node.uid, []), key=lambda n: (n.position, n.name), reverse=True))
        return ordered


def revision(session: Session) -> int:
    """A number that changes with every command on the project (its newest audit event)."""
    return int(session.scalar(select(func.coalesce(func.max(m.AuditEvent.id), 0))) or 0)


def read_snapshot(session: Session, name: str) -> Snapshot:
    """Read a whole project (document texts on demand) into uid-keyed rows."""
    def uid_map(model: type[m.Base]) -> dict[int, str]:
        return dict(session.execute(select(model.id, model.uid)).tuples().all())  # type: ignore[attr-defined]

    coder_uid, doc_uid, node_uid = uid_map(m.Coder), uid_map(m.Document), uid_map(m.Node)
    case_uid, attr_uid, coding_uid = uid_map(m.Case), uid_map(m.Attribute), uid_map(m.Coding)
    config_uid, component_uid = uid_map(m.CmoConfiguration), uid_map(m.CmoComponent)
    info = session.execute(select(m.ProjectInfo.uid, m.ProjectInfo.title, m.ProjectInfo.methodology)
                           .order_by(m.ProjectInfo.id).limit(1)).first()
    s = session.execute
    cases = {r.uid: CaseRow(r.uid, r.name, r.memo) for r in s(select(m.Case.uid, m.Case.name, m.Case.memo))}
    for case_id, document_id in s(select(m.case_document.c.case_id, m.case_document.c.document_id)).tuples():
        cases[case_uid[case_id]].document_uids.add(doc_uid[document_id])
    configurations = {
        r.uid: ConfigurationRow(r.uid, r.label, r.concept, r.template, r.roles, r.status, r.origin,
                                config_uid.get(r.refined_from_id) if r.refined_from_id else None, r.memo, r.created_at,
                                sentence=r.sentence)
        for r in session.scalars(select(m.CmoConfiguration))}
    links = s(select(m.cmo_configuration_node.c.configuration_id, m.cmo_configuration_node.c.node_id)).tuples()
    for configuration_id, node_id in links:
        configurations[config_uid[configuration_id]].node_uids.add(node_uid[node_id])

    def load_text(uid: str) -> str:
        return str(session.scalar(select(m.Document.text).where(m.Document.uid == uid)))

    def load_turns(uids: set[str]) -> list[TurnRow]:
        ids = [i for i, uid in doc_uid.items() if uid in uids]
        rows = s(select(m.Turn.document_id, m.Turn.start, m.Turn.end, m.Turn.speaker, m.Turn.timestamp)
                 .where(m.Turn.document_id.in_(ids)).order_by(m.Turn.document_id, m.Turn.start))
        return [TurnRow(doc_uid[r.document_id], r.start, r.end, r.speaker, r.timestamp) for r in rows]

    def load_pages(uids: set[str]) -> list[PageRow]:
        ids = [i for i, uid in doc_uid.items() if uid in uids]
        page = m.DocumentPage
        rows = s(select(page.document_id, page.number, page.label, page.start, page.end)
                 .where(page.document_id.in_(ids)).order_by(page.document_id, page.start))
        return [PageRow(doc_uid[r.document_id], r.number, r.label, r.start, r.end) for r in rows]

    return Snapshot(
        name=name,
        project_uid=info.uid if info else "",
        title=info.title if info else "",
        methodology=info.methodology if info else "",
        revision=revision(session),
        coders={r.uid: CoderRow(r.uid, r.name, r.color) for r in s(select(m.Coder.uid, m.Coder.name, m.Coder.color))},
        documents={r.uid: DocumentRow(r.uid, r.name, r.kind, r.text_sha256, r.source_filename, r.imported_at, r.memo)
                   for r in s(select(m.Document.uid, m.Document.name, m.Document.kind, m.Document.text_sha256,
                                     m.Document.source_filename, m.Document.imported_at, m.Document.memo))},
        cases=cases,
        attributes={r.uid: AttributeRow(r.uid, r.name, r.type, r.scope)
                    for r in s(select(m.Attribute.uid, m.Attribute.name, m.Attribute.type, m.Attribute.scope))},
        values=[ValueRow(attr_uid[r.attribute_id], "case" if r.case_id is not None else "document",
                         case_uid[r.case_id] if r.case_id is not None else doc_uid[r.document_id], r.value)
                for r in s(select(m.AttributeValue.attribute_id, m.AttributeValue.case_id,
                                  m.AttributeValue.document_id, m.AttributeValue.value))],
        nodes={n.uid: NodeRow(n.uid, n.name, n.level, node_uid.get(n.parent_id) if n.parent_id else None, n.position,
                              n.definition, n.inclusion, n.exclusion, n.color, n.origin, n.created_at, n.memo)
               for n in session.scalars(select(m.Node))},
        codings=_read_codings(session, doc_uid, node_uid, coder_uid),
        configurations=configurations,
        components={r.uid: ComponentRow(r.uid, config_uid[r.configuration_id], r.role, r.statement, r.position,
                                        r.sentence_position)
                    for r in s(select(m.CmoComponent.uid, m.CmoComponent.configuration_id, m.CmoComponent.role,
                                      m.CmoComponent.statement, m.CmoComponent.position,
                                      m.CmoComponent.sentence_position))},
        evidence={e.uid: EvidenceRow(e.uid, component_uid[e.component_id],
                                     doc_uid[e.document_id] if e.document_id is not None else None, e.start, e.end,
                                     coding_uid[e.coding_id] if e.coding_id is not None else None,
                                     coder_uid[e.coder_id], e.stance, e.memo, e.created_at)
                  for e in session.scalars(select(m.CmoEvidence))},
        memos={x.uid: MemoRow(x.uid, x.target_type, x.target_uid, x.title, x.text,
                              coder_uid[x.coder_id] if x.coder_id is not None else None, x.created_at, x.updated_at)
               for x in session.scalars(select(m.Memo))},
        journal={j.uid: JournalRow(j.uid, coder_uid[j.coder_id], j.created_at, j.title, j.text)
                 for j in session.scalars(select(m.JournalEntry))},
        audit=[AuditRow(r.at, coder_uid.get(r.coder_id) if r.coder_id is not None else None, r.action, r.details)
               for r in s(select(m.AuditEvent.at, m.AuditEvent.coder_id, m.AuditEvent.action, m.AuditEvent.details))],
        load_text=load_text,
        load_turns=load_turns,
        load_pages=load_pages,
        reviews=read_review_rows(session, case_uid, coder_uid),
        theme_links=[ThemeLinkRow(node_uid[r.source_id], node_uid[r.target_id], r.label)
                     for r in s(select(m.NodeLink.source_id, m.NodeLink.target_id, m.NodeLink.label))],
    )


def _read_codings(session: Session, doc_uid: dict[int, str], node_uid: dict[int, str],
                  coder_uid: dict[int, str]) -> dict[str, CodingRow]:
    """Every coding; read at the driver level, as this is the one table with tens of thousands of rows."""
    rows = session.connection().exec_driver_sql(
        'SELECT uid, document_id, start, "end", node_id, coder_id, created_at, memo, exemplar, exemplar_position '
        'FROM coding').all()
    parse = m.as_datetime
    return {uid: CodingRow(uid, doc_uid[d], start, end, node_uid[n], coder_uid[c], parse(created), memo or "",
                           bool(exemplar), int(position or 0))
            for uid, d, start, end, n, c, created, memo, exemplar, position in rows}
