"""Merging coders' projects into a base project (DESIGN.md section 5).

Documents are matched by uid, then by text hash; nodes by uid, then by level and path of
names; coders, cases, attributes, CMO configurations, memos and journal entries by uid,
then by name or content; codings are deduplicated on (document, start, end, node, coder);
literature-review records by uid, then DOI or title and year, and screening decisions by uid,
then by (record, stage, screener).
Whatever cannot be matched cleanly is reported as a conflict and the base's version kept.

Two steps: `preview_merge` plans (reads only, and is the dry run); `merge_previewed` writes
the plans as one undoable command in the caller's transaction. `merge_files` does both for
files on disk: into a new file (`output`), or in place after a backup kept for good.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy.orm import Session

from qualcode.domain.progress import NullProgress, Progress
from qualcode.services.commands import Change
from qualcode.services.teamwork.merge_apply import write_merge
from qualcode.services.teamwork.merge_files import (
    before_merge_backup,
    check_output,
    check_project_file,
    check_sources,
    open_copy,
    scratch_files,
)
from qualcode.services.teamwork.merge_plan import plan_merge
from qualcode.services.teamwork.merge_planner import MergePlan
from qualcode.services.teamwork.merge_report import MergeReport
from qualcode.services.teamwork.merge_snapshot import read_snapshot
from qualcode.store.backup import copy_database
from qualcode.store.project import Project


@dataclass(frozen=True)
class MergePreview:
    """The dry-run report and the plans that `merge_previewed` writes."""

    report: MergeReport
    plans: tuple[MergePlan, ...]


class _Part:
    """Progress of one part of a longer job, scaled into its share of the whole."""

    def __init__(self, progress: Progress, index: int, parts: int) -> None:
        self.progress, self.index, self.parts = progress, index, parts

    def update(self, done: int, total: int, message: str = "") -> None:
        scale = 1000
        within = int(scale * done / total) if total else 0
        self.progress.update(self.index * scale + within, self.parts * scale, message)

    def cancelled(self) -> bool:
        return self.progress.cancelled()


def preview_merge(
    session: Session,
    *,
    others: Sequence[Path],
    base_path: Path,
    progress: Progress | None = None,
    _parts: int | None = None,
) -> MergePreview:
    """Plan merging the projects at `others` into the project open in `session` (read only)."""
    progress = progress or NullProgress()
    sources = check_sources(Path(base_path).absolute(), list(others))
    parts = _parts or len(sources) + 1
    base = read_snapshot(session, Path(base_path).name)
    plans: list[MergePlan] = []
    with tempfile.TemporaryDirectory(prefix="qualcode-merge-") as work:
        for index, path in enumerate(sources):
            part = _Part(progress, index, parts)
            part.update(0, 1, f"Reading {path.name}")
            with open_copy(path, Path(work), index) as project, project.session() as other_session:
                other = read_snapshot(other_session, path.name)
                plans.append(plan_merge(base, other, progress=part))
    report = MergeReport(Path(base_path).name, tuple(plan.report for plan in plans), dry_run=True)
    return MergePreview(report, tuple(plans))


def merge_previewed(
    session: Session,
    *,
    preview: MergePreview,
    coder_id: int | None = None,
    progress: Progress | None = None,
) -> Change:
    """Write a previewed merge as one undoable command. Result: the MergeReport."""
    report = replace(preview.report, dry_run=False)
    return write_merge(session, plans=preview.plans, report=report, coder_id=coder_id, progress=progress)


def merge_files(
    base: Path,
    others: Sequence[Path],
    *,
    output: Path | None = None,
    dry_run: bool = False,
    coder_name: str | None = None,
    progress: Progress | None = None,
) -> MergeReport:
    """Merge project files into `base`: a dry run, into a new `output` file, or in place.

    In place, a backup of the base is kept for good first. Either way the merge is one
    transaction: interrupted, the project is left as it was before.
    """
    progress = progress or NullProgress()
    base = check_project_file(base, role="base")
    sources = check_sources(base, list(others))
    if dry_run:
        with tempfile.TemporaryDirectory(prefix="qualcode-dry-run-") as work:
            copy = copy_database(base, Path(work) / base.name)
            with Project.open(copy, backup=False) as project, project.session() as session:
                preview = preview_merge(session, others=sources, base_path=base, progress=progress)
            return preview.report
    if output is not None:
        target = check_output(output, base)
        scratch = target.with_name(target.name + ".merging")
        for leftover in scratch_files(scratch):
            leftover.unlink(missing_ok=True)
        try:
            copy_database(base, scratch)
            with Project.open(scratch, backup=False) as project:
                report = _merge_into(project, base, sources, coder_name, progress)
            scratch.replace(target)
        finally:
            for leftover in scratch_files(scratch):
                leftover.unlink(missing_ok=True)
            shutil.rmtree(scratch.with_name(scratch.stem + "-backups"), ignore_errors=True)
        return replace(report, output=str(target))
    with Project.open(base, backup=False) as project:
        backup = before_merge_backup(base)
        report = _merge_into(project, base, sources, coder_name, progress)
    return replace(report, backup=str(backup))


def _merge_into(project: Project, base: Path, sources: list[Path], coder_name: str | None,
                progress: Progress) -> MergeReport:
    from qualcode.services.coders import ensure_coder

    with project.session() as session:
        coder_id = ensure_coder(session, coder_name).id if coder_name else None
        preview = preview_merge(session, others=sources, base_path=base, progress=progress,
                                _parts=len(sources) + 1)
        part = _Part(progress, len(sources), len(sources) + 1)
        part.update(0, 3, "Writing the merge")
        change = merge_previewed(session, preview=preview, coder_id=coder_id, progress=part)
        part.update(3, 3, "Saving")
    assert isinstance(change.result, MergeReport)
    return change.result
