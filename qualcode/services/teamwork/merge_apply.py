"""Writing merge plans into the base project: one undoable command, one transaction.

Plans refer to entities by uid; ids are looked up once and extended as rows are inserted.
Every row goes through the command's Recorder, so undo removes the whole merge exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.domain.errors import ValidationError
from qualcode.domain.progress import NullProgress, Progress, check_cancelled
from qualcode.services.commands import Change, Command, Recorder
from qualcode.services.teamwork.merge_planner import MergePlan
from qualcode.services.teamwork.merge_report import MergeReport
from qualcode.services.teamwork.merge_reviews import write_reviews
from qualcode.services.teamwork.merge_snapshot import revision
from qualcode.store import models as m

_MODELS: dict[str, type[m.Base]] = {
    "coder": m.Coder, "document": m.Document, "case": m.Case, "attribute": m.Attribute, "node": m.Node,
    "coding": m.Coding, "configuration": m.CmoConfiguration, "component": m.CmoComponent, "reference": m.Reference,
}


class _Ids:
    """uid -> id per table, read on first use and extended with inserted rows."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.maps: dict[str, dict[str, int]] = {}

    def table(self, kind: str) -> dict[str, int]:
        if kind not in self.maps:
            model = _MODELS[kind]
            self.maps[kind] = dict(self.session.execute(select(model.uid, model.id)).tuples().all())  # type: ignore[attr-defined]
        return self.maps[kind]

    def __call__(self, kind: str, uid: str | None) -> int | None:
        return None if uid is None else self.table(kind)[uid]

    def insert(self, rec: Recorder, kind: str, rows: list[dict[str, Any]]) -> None:
        keys = rec.insert_many(_MODELS[kind], rows)
        if kind in self.maps:  # otherwise read, with these rows, on first use
            self.maps[kind].update(zip((row["uid"] for row in rows), keys, strict=True))


def _write_plan(rec: Recorder, ids: _Ids, plan: MergePlan, progress: Progress) -> None:
    ids.insert(rec, "coder", [{"uid": c.uid, "name": c.name, "color": c.color} for c in plan.coders])
    ids.insert(rec, "document", [
        {"uid": d.uid, "name": d.name, "kind": d.kind, "text": d.text, "text_sha256": d.sha,
         "source_filename": d.source_filename, "imported_at": d.imported_at, "memo": d.memo} for d in plan.documents])
    rec.insert_many(m.Turn, [{"document_id": ids("document", t.document_uid), "start": t.start, "end": t.end,
                              "speaker": t.speaker, "timestamp": t.timestamp} for t in plan.turns])
    rec.insert_many(m.DocumentPage, [{"document_id": ids("document", p.document_uid), "number": p.number,
                                      "label": p.label, "start": p.start, "end": p.end} for p in plan.pages])
    ids.insert(rec, "case", [{"uid": c.uid, "name": c.name, "memo": c.memo} for c in plan.cases])
    rec.insert_many(m.case_document, [{"case_id": ids("case", c), "document_id": ids("document", d)}
                                      for c, d in plan.case_links])
    ids.insert(rec, "attribute", [{"uid": a.uid, "name": a.name, "type": a.type, "scope": a.scope}
                                  for a in plan.attributes])
    rec.insert_many(m.AttributeValue, [
        {"attribute_id": ids("attribute", v.attribute_uid), "value": v.value,
         "case_id": ids("case", v.owner_uid) if v.owner_kind == "case" else None,
         "document_id": ids("document", v.owner_uid) if v.owner_kind == "document" else None} for v in plan.values])
    for node in plan.nodes:  # parents first
        ids.insert(rec, "node", [{
            "uid": node.uid, "name": node.name, "level": node.level, "parent_id": ids("node", node.parent_uid),
            "position": node.position, "definition": node.definition, "inclusion": node.inclusion,
            "exclusion": node.exclusion, "color": node.color, "origin": node.origin, "created_at": node.created_at,
            "memo": node.memo}])
    check_cancelled(progress)
    progress.update(1, 3, f"{plan.source}: writing {len(plan.codings)} codings")
    ids.insert(rec, "coding", [
        {"uid": c.uid, "document_id": ids("document", c.document_uid), "start": c.start, "end": c.end,
         "node_id": ids("node", c.node_uid), "coder_id": ids("coder", c.coder_uid), "created_at": c.created_at,
         "memo": c.memo, "exemplar": c.exemplar} for c in plan.codings])
    check_cancelled(progress)
    progress.update(2, 3, f"{plan.source}: writing CMO configurations, memos and journals")
    _write_realist(rec, ids, plan)
    write_reviews(rec, ids, plan)
    rec.insert_many(m.Memo, [
        {"uid": x.uid, "target_type": x.target_type, "target_uid": x.target_uid, "title": x.title, "text": x.text,
         "coder_id": ids("coder", x.coder_uid), "created_at": x.created_at, "updated_at": x.updated_at}
        for x in plan.memos])
    rec.insert_many(m.JournalEntry, [
        {"uid": j.uid, "coder_id": ids("coder", j.coder_uid), "created_at": j.created_at, "title": j.title,
         "text": j.text} for j in plan.journal])
    rec.insert_many(m.AuditEvent, [{"at": a.at, "coder_id": ids("coder", a.coder_uid), "action": a.action,
                                    "details": a.details} for a in plan.audit])
    for table, uid, values in plan.updates:
        if table == "project":
            info_id = rec.session.scalar(select(m.ProjectInfo.id).order_by(m.ProjectInfo.id))
            rec.update(m.ProjectInfo, info_id, **values)
        else:
            rec.update(_MODELS[table], ids(table, uid), **values)


def _write_realist(rec: Recorder, ids: _Ids, plan: MergePlan) -> None:
    ids.insert(rec, "configuration", [
        {"uid": c.uid, "label": c.label, "concept": c.concept, "template": c.template, "roles": c.roles,
         "status": c.status, "origin": c.origin, "memo": c.memo, "created_at": c.created_at}
        for c in plan.configurations])
    for config in plan.configurations:
        if config.refined_from_uid is not None:
            rec.update(m.CmoConfiguration, ids("configuration", config.uid),
                       refined_from_id=ids("configuration", config.refined_from_uid))
    rec.insert_many(m.cmo_configuration_node, [
        {"configuration_id": ids("configuration", c), "node_id": ids("node", n)} for c, n in plan.configuration_links])
    ids.insert(rec, "component", [
        {"uid": c.uid, "configuration_id": ids("configuration", c.configuration_uid), "role": c.role,
         "statement": c.statement, "position": c.position} for c in plan.components])
    rec.insert_many(m.CmoEvidence, [
        {"uid": e.uid, "component_id": ids("component", e.component_uid),
         "document_id": ids("document", e.document_uid), "start": e.start, "end": e.end,
         "coding_id": ids("coding", e.coding_uid), "coder_id": ids("coder", e.coder_uid),
         "stance": e.stance, "memo": e.memo, "created_at": e.created_at} for e in plan.evidence])


def write_merge(
    session: Session,
    *,
    plans: Sequence[MergePlan],
    report: MergeReport,
    coder_id: int | None = None,
    progress: Progress | None = None,
) -> Change:
    """Write planned merges into the base as one undoable command. Result: the MergeReport.

    Refused when the base changed after the plans were made (plan again then).
    """
    progress = progress or NullProgress()
    if plans and revision(session) != plans[0].base_revision:
        raise ValidationError("The project changed after the merge was previewed: preview the merge again.")

    def run(rec: Recorder) -> MergeReport:
        ids = _Ids(session)
        for plan in plans:
            check_cancelled(progress)
            _write_plan(rec, ids, plan, progress)
        return report

    sources = [plan.source for plan in plans]
    details = {"sources": sources, "added": {e: report.total(e).added for e in ("documents", "nodes", "codings")},
               "conflicts": len(report.conflicts)}
    title = f"Merge {', '.join(sources)}" if len(sources) <= 2 else f"Merge {len(sources)} projects"
    return Command(title, run, action="merge projects", details=details, coder_id=coder_id).apply(session)
