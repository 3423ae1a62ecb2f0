"""The PRISMA 2020 flow from the recorded records and decisions, plus counts the team enters
by hand for what happened outside QualCode (records from registers, removed by automation
tools, reports not retrieved, records found in a database but never imported)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.domain.errors import ValidationError
from qualcode.domain.references import ScreeningStage
from qualcode.services.commands import Change, Command, Recorder
from qualcode.services.reviews.screening import Outcome, outcomes
from qualcode.store.models import PrismaCount, Reference
from qualcode.viz.prisma import PrismaFlow

# Counts kept by hand; "identified: <database>" adds records found there but not imported.
MANUAL_COUNTS = {
    "registers": "records identified from registers",
    "duplicates": "duplicates removed outside QualCode",
    "automation": "records marked as ineligible by automation tools",
    "removed-other": "records removed for other reasons before screening",
    "not-retrieved": "reports sought but not retrieved",
}


@dataclass(frozen=True)
class PrismaReport:
    flow: PrismaFlow
    pending: int  # records screened so far lack a decision, or screeners disagree
    conflicts: int

    def warnings(self) -> list[str]:
        notes = []
        if self.pending:
            notes.append(f"{self.pending} record(s) still await a screening decision; the diagram is provisional.")
        if self.conflicts:
            notes.append(f"{self.conflicts} record(s) have screeners who disagree and no final decision.")
        return notes


def _check_key(key: str) -> str:
    key = " ".join(key.strip().split())
    lowered = key.lower()
    if lowered in MANUAL_COUNTS:
        return lowered
    if lowered.startswith("identified:") and key.split(":", 1)[1].strip():
        return "identified: " + key.split(":", 1)[1].strip()
    raise ValidationError(f"'{key}' is not a PRISMA count: use {', '.join(MANUAL_COUNTS)} or 'identified: DATABASE'.")


def set_count(session: Session, *, key: str, value: int, coder_id: int | None = None) -> Change:
    """Record a count for what happened outside QualCode (0 removes it)."""
    key = _check_key(key)
    if value < 0:
        raise ValidationError(f"A PRISMA count cannot be negative ({key} = {value}).")
    existing = session.scalar(select(PrismaCount.id).where(PrismaCount.key == key))

    def run(rec: Recorder) -> None:
        if existing is not None and value == 0:
            rec.delete(PrismaCount, existing)
        elif existing is not None:
            rec.update(PrismaCount, existing, value=value)
        elif value:
            rec.insert(PrismaCount, key=key, value=value)

    return Command(f"Set PRISMA count '{key}'", run, action="set prisma count", details={"key": key, "value": value},
                   coder_id=coder_id).apply(session)


def manual_counts(session: Session) -> dict[str, int]:
    return dict(session.execute(select(PrismaCount.key, PrismaCount.value).order_by(PrismaCount.key)).tuples().all())


def prisma_report(session: Session) -> PrismaReport:
    """Every number of the flow diagram, from records, decisions and the hand-kept counts."""
    manual = manual_counts(session)
    found = Counter(dict(session.execute(select(Reference.database, func.count())
                                         .group_by(Reference.database)).tuples().all()))
    for key, value in manual.items():
        if key.startswith("identified: "):
            found[key.removeprefix("identified: ")] += value
    databases = tuple(sorted(found.items(), key=lambda item: (-item[1], item[0].lower())))
    duplicates = int(session.scalar(select(func.count()).select_from(Reference)
                                    .where(Reference.duplicate_of_id.is_not(None))) or 0) + manual.get("duplicates", 0)
    automation, other = manual.get("automation", 0), manual.get("removed-other", 0)
    registers = manual.get("registers", 0)
    screened = sum(found.values()) + registers - duplicates - automation - other
    studies = set(session.scalars(select(Reference.id).where(Reference.case_id.is_not(None))))
    first = {k: v for k, v in outcomes(session, stage=ScreeningStage.TITLE_ABSTRACT).items() if k in studies}
    second = {k: v for k, v in outcomes(session, stage=ScreeningStage.FULL_TEXT).items() if k in studies}
    sought = [k for k, v in first.items() if v.outcome is Outcome.INCLUDED]
    reasons = Counter(v.reason or "no reason given" for v in second.values() if v.outcome is Outcome.EXCLUDED)
    included = sum(1 for v in second.values() if v.outcome is Outcome.INCLUDED)
    assessed = sum(1 for v in second.values() if v.outcome in (Outcome.INCLUDED, Outcome.EXCLUDED))
    conflicts = sum(1 for v in (*first.values(), *second.values()) if v.outcome is Outcome.CONFLICT)
    pending = (len(studies) - len(first)) + max(0, len(sought) - len(second) - manual.get("not-retrieved", 0))
    flow = PrismaFlow(
        databases=databases, registers=registers, duplicates=duplicates, automation=automation,
        removed_other=other, screened=screened,
        screened_excluded=sum(1 for v in first.values() if v.outcome is Outcome.EXCLUDED),
        sought=len(sought), not_retrieved=manual.get("not-retrieved", 0), assessed=assessed,
        excluded_reasons=tuple(sorted(reasons.items(), key=lambda item: (-item[1], item[0].lower()))),
        included=included, reports_included=included)
    return PrismaReport(flow, pending, conflicts)


def export_prisma(session: Session, *, path: str | Path, dpi: int = 300, format: str | None = None,
                  title: str = "") -> PrismaReport:
    """Draw the flow diagram to PNG, SVG or PDF (written whole or not at all)."""
    from qualcode.io.files import atomic_output
    from qualcode.viz.export import image_format, write_figure
    from qualcode.viz.prisma import prisma_figure

    report = prisma_report(session)
    fmt = image_format(path, format)
    figure = prisma_figure(report.flow, title=title)
    with atomic_output(path) as temp:
        write_figure(figure, temp, fmt, dpi=dpi, title=title or "PRISMA 2020 flow diagram")
    return report
