"""Screening records: title/abstract, then full text; include or exclude with a reason from the
team's list; one or two screeners (blind: each sees only their own decisions); a final decision
settles a disagreement. A stage's outcome for a record: its final decision, else the screeners'
shared decision, else "conflict" when they differ, else "pending"."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.domain.enums import parse_enum
from qualcode.domain.errors import NotFoundError, ValidationError
from qualcode.domain.references import ScreeningDecisionValue, ScreeningStage, stage_label
from qualcode.services._common import require
from qualcode.services.commands import Change, Command, Recorder
from qualcode.store.models import Coder, Reference, ScreeningDecision, ScreeningReason


class Outcome(StrEnum):
    PENDING = "pending"
    INCLUDED = "included"
    EXCLUDED = "excluded"
    CONFLICT = "conflict"  # screeners differ and no final decision yet


@dataclass(frozen=True)
class Decision:
    reference_id: int
    stage: ScreeningStage
    decision: ScreeningDecisionValue
    reason: str
    coder: str
    final: bool


@dataclass(frozen=True)
class StageOutcome:
    outcome: Outcome
    reason: str  # the exclusion reason of the deciding decision, if any


def stage_of(value: str) -> ScreeningStage:
    aliases = {"ta": "title_abstract", "title": "title_abstract", "abstract": "title_abstract",
               "title-abstract": "title_abstract", "full-text": "full_text", "fulltext": "full_text", "ft": "full_text"}
    return parse_enum(ScreeningStage, aliases.get(value.strip().lower(), value.strip().lower()), "screening stage")


# -- the team's reasons -------------------------------------------------------------------


def add_reason(session: Session, *, stage: str, text: str, coder_id: int | None = None) -> Change:
    """Add an exclusion reason to a stage's list ("wrong population"). Result: the new id."""
    stage_value = stage_of(stage)
    text = " ".join(text.split())
    if not text:
        raise ValidationError("An exclusion reason needs some words.")
    if text.lower() in (r.lower() for r in list_reasons(session, stage=stage_value)):
        raise ValidationError(f"'{text}' is already a {stage_label(stage_value)} exclusion reason.")
    position = int(session.scalar(select(func.count()).select_from(ScreeningReason)
                                  .where(ScreeningReason.stage == stage_value.value)) or 0)
    return Command(f"Add exclusion reason '{text}'",
                   lambda rec: int(rec.insert(ScreeningReason, stage=stage_value.value, text=text, position=position)),
                   action="add exclusion reason", details={"stage": stage_value.value, "text": text},
                   coder_id=coder_id).apply(session)


def list_reasons(session: Session, *, stage: str) -> list[str]:
    return list(session.scalars(select(ScreeningReason.text).where(ScreeningReason.stage == stage_of(stage).value)
                                .order_by(ScreeningReason.position, ScreeningReason.id)))


# -- decisions ----------------------------------------------------------------------------


def decide(
    session: Session, *, reference_id: int, stage: str, decision: str, coder_id: int, reason: str = "",
    final: bool = False,
) -> Change:
    """Record (or change) a screener's decision on a record at a stage. `final` settles the stage
    for the record (a resolved disagreement). Full-text exclusions need a reason; when the team
    has a list for the stage, the reason must be on it."""
    return decide_many(session, records=[(reference_id, stage)], decision=decision, coder_id=coder_id,
                       reason=reason, final=final)


def decide_many(
    session: Session, *, records: Sequence[tuple[int, str]], decision: str, coder_id: int, reason: str = "",
    final: bool = False,
) -> Change:
    """The same decision on many (record, stage) pairs as one undoable step; every pair is
    checked before anything is written."""
    coder = require(session, Coder, coder_id, "coder")
    if not records:
        raise ValidationError("Choose the records to screen.")
    value = parse_enum(ScreeningDecisionValue, decision.strip().lower(), "screening decision")
    reason = " ".join(reason.split()) if value is ScreeningDecisionValue.EXCLUDE else ""
    first = None
    writes: list[tuple[int, ScreeningStage, str, int | None]] = []
    titles: list[str] = []
    wanted = {reference_id for reference_id, _ in records}
    references = {r.id: r for r in session.scalars(select(Reference).where(Reference.id.in_(wanted)))}
    d = ScreeningDecision
    existing_ids = {(reference_id, stage): decision_id for decision_id, reference_id, stage in session.execute(
        select(d.id, d.reference_id, d.stage).where(d.reference_id.in_(wanted), d.coder_id == coder_id,
                                                    d.final.is_(final))).tuples()}
    reasons: dict[ScreeningStage, str] = {}
    for reference_id, stage in records:
        reference = references.get(reference_id) or require(session, Reference, reference_id, "reference")
        if reference.case_id is None:
            raise ValidationError(f"'{reference.title[:60]}' is a duplicate record; screen the study it duplicates.")
        stage_value = stage_of(stage)
        if stage_value not in reasons:
            reasons[stage_value] = _checked_reason(session, stage_value, value, reason)
        if stage_value is ScreeningStage.FULL_TEXT:
            first = first if first is not None else outcomes(session, stage=ScreeningStage.TITLE_ABSTRACT)
            earlier = first.get(reference_id)
            if earlier is None or earlier.outcome is not Outcome.INCLUDED:
                state = earlier.outcome.value if earlier else Outcome.PENDING.value
                raise ValidationError(f"'{reference.title[:60]}' has not passed title/abstract screening ({state}).")
        writes.append((reference_id, stage_value, reasons[stage_value],
                       existing_ids.get((reference_id, stage_value.value))))
        titles.append(reference.title)

    def run(rec: Recorder) -> None:
        for reference_id, stage_value, chosen, existing in writes:
            if existing is None:
                rec.insert(ScreeningDecision, reference_id=reference_id, stage=stage_value.value,
                           decision=value.value, reason=chosen, coder_id=coder_id, final=final)
            else:
                rec.update(ScreeningDecision, existing, decision=value.value, reason=chosen)

    verb = "Resolve" if final else value.value.capitalize()
    what = f"'{titles[0][:40]}'" if len(titles) == 1 else f"{len(titles)} records"
    return Command(f"{verb} {what}", run, action="screen records",
                   details={"records": [r for r, _ in records], "stages": sorted({w[1].value for w in writes}),
                            "decision": value.value, "reason": reason, "coder": coder.name, "final": final},
                   coder_id=coder_id).apply(session)


def _checked_reason(session: Session, stage: ScreeningStage, value: ScreeningDecisionValue, reason: str) -> str:
    """The reason as the team's list spells it ('' for an inclusion)."""
    if value is not ScreeningDecisionValue.EXCLUDE:
        return ""
    allowed = list_reasons(session, stage=stage)
    if not reason and stage is ScreeningStage.FULL_TEXT:
        raise ValidationError("A full-text exclusion needs a reason" + (f" ({'; '.join(allowed)})." if allowed else "."))
    if reason and allowed:
        match = next((r for r in allowed if r.lower() == reason.lower()), None)
        if match is None:
            raise ValidationError(f"'{reason}' is not on the team's list of reasons: {'; '.join(allowed)}.")
        return match
    return reason


def decisions(session: Session, *, stage: str | None = None, coder_id: int | None = None) -> list[Decision]:
    """Recorded decisions; with `coder_id` only that screener's own (the blind view)."""
    d = ScreeningDecision
    query = select(d.reference_id, d.stage, d.decision, d.reason, Coder.name, d.final).join(Coder, Coder.id == d.coder_id)
    if stage is not None:
        query = query.where(ScreeningDecision.stage == stage_of(stage).value)
    if coder_id is not None:
        query = query.where(ScreeningDecision.coder_id == coder_id, ScreeningDecision.final.is_(False))
    stages = {stage.value: stage for stage in ScreeningStage}
    values = {value.value: value for value in ScreeningDecisionValue}
    return [Decision(reference_id, stages[stage], values[decision], reason, name, bool(final))
            for reference_id, stage, decision, reason, name, final in session.execute(query.order_by(d.id)).tuples()]


def outcomes(session: Session, *, stage: str) -> dict[int, StageOutcome]:
    """Each study record's outcome at a stage (records with no decision are absent: pending)."""
    by_record: dict[int, list[Decision]] = {}
    for item in decisions(session, stage=stage):
        by_record.setdefault(item.reference_id, []).append(item)
    result: dict[int, StageOutcome] = {}
    for reference_id, items in by_record.items():
        final = [d for d in items if d.final]
        chosen = final or items
        values = {d.decision for d in chosen}
        if len(values) > 1:
            result[reference_id] = StageOutcome(Outcome.CONFLICT, "")
            continue
        value = values.pop()
        reasons = [d.reason for d in chosen if d.reason]
        result[reference_id] = StageOutcome(
            Outcome.INCLUDED if value is ScreeningDecisionValue.INCLUDE else Outcome.EXCLUDED,
            reasons[0] if reasons else "")
    return result


def screening_status(session: Session, *, title_abstract: dict[int, StageOutcome] | None = None) -> dict[int, str]:
    """A short status per study record: 'title/abstract: pending', 'title/abstract: excluded',
    'full text: pending', 'full text: conflict', 'full text: included' …"""
    ta = title_abstract if title_abstract is not None else outcomes(session, stage=ScreeningStage.TITLE_ABSTRACT)
    ft = outcomes(session, stage=ScreeningStage.FULL_TEXT)
    status: dict[int, str] = {}
    for reference_id in session.scalars(select(Reference.id).where(Reference.case_id.is_not(None))):
        first = ta.get(reference_id)
        if first is None:
            status[reference_id] = "title/abstract: pending"
        elif first.outcome is not Outcome.INCLUDED:
            status[reference_id] = f"title/abstract: {first.outcome.value}"
        else:
            second = ft.get(reference_id)
            status[reference_id] = f"full text: {second.outcome.value if second else 'pending'}"
    return status


def included_reference_ids(session: Session) -> list[int]:
    """Records included after full-text screening."""
    ft = outcomes(session, stage=ScreeningStage.FULL_TEXT)
    return [rid for rid, outcome in ft.items() if outcome.outcome is Outcome.INCLUDED]


def find_reference(session: Session, text: str) -> int:
    """A study record by its case name ('Smith 2018'), DOI, or id."""
    text = text.strip()
    from qualcode.domain.references import normalise_doi
    from qualcode.store.models import Case

    if text.isdigit() and session.get(Reference, int(text)) is not None:
        return int(text)
    found = session.scalar(select(Reference.id).join(Case, Case.id == Reference.case_id)
                           .where(func.lower(Case.name) == text.lower()))
    if found is None and normalise_doi(text):
        found = session.scalar(select(Reference.id).where(Reference.doi == normalise_doi(text),
                                                          Reference.case_id.is_not(None)))
    if found is None:
        raise NotFoundError(f"No study record is named '{text}' (give its case name, e.g. 'Smith 2018', or its DOI).")
    return int(found)


def coder_ids(session: Session, names: Sequence[str]) -> list[int]:
    ids = []
    for name in names:
        found = session.scalar(select(Coder.id).where(func.lower(Coder.name) == name.strip().lower()))
        if found is None:
            raise NotFoundError(f"There is no coder named '{name.strip()}' in this project.")
        ids.append(int(found))
    return ids
