"""The merge plan and the planner's state: what one incoming project adds to the base.

`Planner` is the mutable state the matching steps (merge_catalogue, merge_nodes,
merge_content) share while one incoming project is matched; `MergePlan` is its frozen result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from qualcode.domain.realign import Alignment
from qualcode.services.teamwork.merge_report import Conflict, ConflictKind, Counts, Reanchoring, SourceReport
from qualcode.services.teamwork.merge_review_rows import DecisionRow, ReferenceRow
from qualcode.services.teamwork.merge_snapshot import (
    AttributeRow,
    AuditRow,
    CaseRow,
    CoderRow,
    CodingRow,
    ComponentRow,
    ConfigurationRow,
    DocumentRow,
    EvidenceRow,
    JournalRow,
    MemoRow,
    NodeRow,
    PageRow,
    Snapshot,
    TurnRow,
    ValueRow,
    norm,
)

Update = tuple[str, str, dict[str, Any]]  # (table, uid, new values)


@dataclass(frozen=True)
class MergePlan:
    """Rows to add to the base (references by uid) and fields to fill, with the report."""

    source: str
    base_revision: int
    report: SourceReport
    coders: tuple[CoderRow, ...] = ()
    documents: tuple[DocumentRow, ...] = ()
    turns: tuple[TurnRow, ...] = ()
    pages: tuple[PageRow, ...] = ()
    cases: tuple[CaseRow, ...] = ()
    case_links: tuple[tuple[str, str], ...] = ()
    attributes: tuple[AttributeRow, ...] = ()
    values: tuple[ValueRow, ...] = ()
    nodes: tuple[NodeRow, ...] = ()
    codings: tuple[CodingRow, ...] = ()
    configurations: tuple[ConfigurationRow, ...] = ()
    configuration_links: tuple[tuple[str, str], ...] = ()
    components: tuple[ComponentRow, ...] = ()
    evidence: tuple[EvidenceRow, ...] = ()
    memos: tuple[MemoRow, ...] = ()
    journal: tuple[JournalRow, ...] = ()
    audit: tuple[AuditRow, ...] = ()
    updates: tuple[Update, ...] = ()
    references: tuple[ReferenceRow, ...] = ()
    decisions: tuple[DecisionRow, ...] = ()
    reasons: tuple[tuple[str, str], ...] = ()
    prisma_counts: tuple[tuple[str, int], ...] = ()


@dataclass
class Planner:
    """Mutable state while one incoming project is matched against the base."""

    base: Snapshot
    other: Snapshot
    coders: dict[str, str] = field(default_factory=dict)  # incoming uid -> base uid
    documents: dict[str, str] = field(default_factory=dict)
    cases: dict[str, str] = field(default_factory=dict)
    attributes: dict[str, str] = field(default_factory=dict)
    nodes: dict[str, str] = field(default_factory=dict)
    codings: dict[str, str] = field(default_factory=dict)
    configurations: dict[str, str] = field(default_factory=dict)
    components: dict[str, str] = field(default_factory=dict)
    alignments: dict[str, Alignment] = field(default_factory=dict)  # incoming document uid -> alignment
    conflicts: list[Conflict] = field(default_factory=list)
    reanchored: list[Reanchoring] = field(default_factory=list)
    realigned: list[str] = field(default_factory=list)
    counts: dict[str, list[int]] = field(default_factory=dict)
    added: dict[str, list[Any]] = field(default_factory=dict)
    updates: list[Update] = field(default_factory=list)

    def count(self, entity: str, what: str, n: int = 1) -> None:
        slot = ("added", "matched", "skipped", "updated").index(what)
        self.counts.setdefault(entity, [0, 0, 0, 0])[slot] += n

    def add(self, kind: str, row: Any) -> None:
        self.added.setdefault(kind, []).append(row)

    def conflict(self, kind: ConflictKind, entity: str, name: str, detail: str) -> None:
        self.conflicts.append(Conflict(kind, entity, name, detail))

    def fill(self, table: str, row: Any, incoming: Any, fields: tuple[str, ...], entity: str, name: str) -> None:
        """Copy incoming text fields into empty base fields; list both-filled differences."""
        values: dict[str, Any] = {}
        for name_of_field in fields:
            mine, theirs = getattr(row, name_of_field), getattr(incoming, name_of_field)
            if not theirs.strip() or norm(mine) == norm(theirs):
                continue
            if not mine.strip():
                values[name_of_field] = theirs
            else:
                kind = ConflictKind.DEFINITION if name_of_field in ("definition", "inclusion", "exclusion") \
                    else ConflictKind.EDITED
                self.conflict(kind, entity, name,
                              f"The {name_of_field} differs; kept the base's ({_clip(mine)!r}), not the incoming "
                              f"({_clip(theirs)!r}).")
        if values:
            for key, value in values.items():
                setattr(row, key, value)
            self.updates.append((table, row.uid, values))
            self.count(entity_plural(entity), "updated")

    def freeze(self, base_revision: int) -> MergePlan:
        report = SourceReport(
            source=self.other.name,
            counts={entity: Counts(*values) for entity, values in self.counts.items()},
            conflicts=tuple(self.conflicts),
            reanchored=tuple(self.reanchored),
            realigned_documents=tuple(self.realigned),
        )
        rows = {kind: tuple(values) for kind, values in self.added.items()}
        return MergePlan(source=self.other.name, base_revision=base_revision, report=report,
                         updates=tuple(self.updates), **rows)


def entity_plural(entity: str) -> str:
    return {"attribute value": "attribute values", "CMO configuration": "CMO configurations",
            "CMO component": "CMO components", "journal entry": "journal entries",
            "audit event": "audit events"}.get(entity, entity + "s")


def unique_name(name: str, taken: set[str]) -> str:
    """`name`, or `name (2)`, `name (3)` ... when that name (compared loosely) is taken."""
    candidate, n = name, 2
    while norm(candidate) in taken:
        candidate = f"{name} ({n})"
        n += 1
    return candidate


def _clip(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
