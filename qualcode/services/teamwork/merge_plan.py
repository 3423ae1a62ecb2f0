"""Planning a merge: match every incoming entity to the base, decide what to add, list conflicts.

The planner reads two snapshots (uid-keyed rows) and writes nothing to a database. What it
adds is folded into the base snapshot as it goes, so the next incoming project is planned
against the base as it will be. The plan's rows keep incoming uids, so merging the same
project again matches everything by uid and adds nothing.
"""

from __future__ import annotations

from qualcode.domain.progress import NullProgress, Progress, check_cancelled
from qualcode.services.teamwork import merge_catalogue, merge_content, merge_nodes
from qualcode.services.teamwork.merge_planner import MergePlan, Planner
from qualcode.services.teamwork.merge_reviews import plan_reviews
from qualcode.services.teamwork.merge_snapshot import Snapshot


def plan_merge(base: Snapshot, other: Snapshot, *, progress: Progress | None = None) -> MergePlan:
    """Match `other` against `base` and plan the additions; `base` is updated to include them."""
    progress = progress or NullProgress()
    revision = base.revision
    planner = Planner(base, other)
    steps = (
        ("Matching coders", merge_catalogue.plan_coders),
        ("Matching documents", merge_catalogue.plan_documents),
        ("Matching cases", merge_catalogue.plan_cases),
        ("Matching attributes", merge_catalogue.plan_attributes),
        ("Matching nodes", merge_nodes.plan_nodes),
        ("Matching codings", merge_content.plan_codings),
        ("Matching CMO configurations", merge_content.plan_realist),
        ("Matching memos and journals", merge_content.plan_notes),
        ("Matching references and screening decisions", plan_reviews),
    )
    for done, (message, step) in enumerate(steps):
        check_cancelled(progress)
        progress.update(done, len(steps), f"{other.name}: {message.lower()}")
        step(planner)
    progress.update(len(steps), len(steps), f"{other.name}: planned")
    return planner.freeze(revision)
