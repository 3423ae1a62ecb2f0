"""Merging literature reviews: reference records by uid, then by DOI or title and year;
screening decisions by uid, then by (record, stage, screener); a screener's two different
decisions on the same record are a conflict (the base's is kept). Exclusion reasons and
hand-kept PRISMA counts missing from the base are added; differing counts are reported."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import func, select

from qualcode.domain.references import stage_label, title_key
from qualcode.services.commands import Recorder
from qualcode.services.teamwork.merge_planner import Planner
from qualcode.services.teamwork.merge_report import ConflictKind
from qualcode.services.teamwork.merge_review_rows import ReferenceRow
from qualcode.store import models as m


def plan_reviews(p: Planner) -> None:
    base, other = p.base.reviews, p.other.reviews
    mapping = _plan_references(p)
    by_key = {d.key: d for d in base.decisions.values()}
    for decision in other.decisions.values():
        reference, coder = mapping.get(decision.reference_uid), p.coders.get(decision.coder_uid)
        if reference is None or coder is None:
            p.count("screening decisions", "skipped")
            continue
        row = replace(decision, reference_uid=reference, coder_uid=coder)
        mine = base.decisions.get(decision.uid) or by_key.get(row.key)
        if mine is None:
            base.decisions[row.uid] = by_key[row.key] = row
            p.add("decisions", row)
            p.count("screening decisions", "added")
        elif (mine.decision, mine.reason) == (row.decision, row.reason):
            p.count("screening decisions", "matched")
        else:
            p.conflict(ConflictKind.VALUE, "screening decision", base.references[reference].label,
                       f"{p.base.coders[coder].name} decided '{mine.decision}' here and '{row.decision}' in "
                       f"{p.other.name} ({stage_label(row.stage)}); kept '{mine.decision}'.")
    for reason in other.reasons:
        if reason not in base.reasons:
            base.reasons.append(reason)
            p.add("reasons", reason)
    for key, value in other.counts.items():
        if key not in base.counts:
            base.counts[key] = value
            p.add("prisma_counts", (key, value))
        elif base.counts[key] != value:
            p.conflict(ConflictKind.VALUE, "PRISMA count", key,
                       f"{value} in {p.other.name}, {base.counts[key]} here; kept {base.counts[key]}.")


def _plan_references(p: Planner) -> dict[str, str]:
    """incoming reference uid -> base uid, adding the records the base lacks."""
    base = p.base.reviews.references
    by_doi = {r.values["doi"]: r.uid for r in base.values() if r.values["doi"] and r.duplicate_of_uid is None}
    by_title = {(title_key(r.values["title"]), r.values["year"]): r.uid for r in base.values()
                if r.duplicate_of_uid is None}
    with_case = {r.case_uid for r in base.values() if r.case_uid is not None}
    mapping: dict[str, str] = {}
    incoming = sorted(p.other.reviews.references.values(), key=lambda r: r.duplicate_of_uid is not None)
    for ref in incoming:
        if ref.uid in base:
            mapping[ref.uid] = ref.uid
            p.count("references", "matched")
            continue
        match = None
        if ref.duplicate_of_uid is None:
            match = by_doi.get(ref.values["doi"]) if ref.values["doi"] else None
            match = match or by_title.get((title_key(ref.values["title"]), ref.values["year"]))
        if match is not None:
            mapping[ref.uid] = match
            p.count("references", "matched")
            continue
        case = p.cases.get(ref.case_uid) if ref.case_uid is not None else None
        if case is not None and case in with_case:
            p.conflict(ConflictKind.NAME_TAKEN, "reference", ref.label,
                       "Its study case matched a case that already holds another record; added without a case.")
            case = None
        row = ReferenceRow(ref.uid, case, mapping.get(ref.duplicate_of_uid or ""), dict(ref.values))
        base[row.uid] = row
        if case is not None:
            with_case.add(case)
        mapping[ref.uid] = row.uid
        p.add("references", row)
        p.count("references", "added")
    return mapping


def write_reviews(rec: Recorder, ids: Any, plan: Any) -> None:
    references: list[ReferenceRow] = list(plan.references)
    ids.insert(rec, "reference", [
        {"uid": r.uid, "case_id": ids("case", r.case_uid), **r.values} for r in references])
    for ref in references:
        if ref.duplicate_of_uid is not None:
            rec.update(m.Reference, ids("reference", ref.uid), duplicate_of_id=ids("reference", ref.duplicate_of_uid))
    rec.insert_many(m.ScreeningDecision, [
        {"uid": d.uid, "reference_id": ids("reference", d.reference_uid), "stage": d.stage, "decision": d.decision,
         "reason": d.reason, "coder_id": ids("coder", d.coder_uid), "final": d.final, "created_at": d.created_at}
        for d in plan.decisions])
    positions: dict[str, int] = {}
    for stage, text in plan.reasons:
        position = positions.setdefault(stage, int(rec.session.scalar(
            select(func.count()).select_from(m.ScreeningReason).where(m.ScreeningReason.stage == stage)) or 0))
        rec.insert(m.ScreeningReason, stage=stage, text=text, position=position)
        positions[stage] += 1
    for key, value in plan.prisma_counts:
        rec.insert(m.PrismaCount, key=key, value=value)
