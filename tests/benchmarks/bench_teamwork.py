"""Teamwork figures: merging two copies of the large project, and agreement over it.

    python tests/benchmarks/run.py --reuse teamwork
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from qualcode.services.teamwork.merge import merge_files
from qualcode.store.backup import copy_database
from qualcode.store.models import Coder
from qualcode.store.project import Project
from tests.teamwork_support import redone_copy

Report = Callable[..., None]

def run(large: Path, report: Report) -> None:
    with tempfile.TemporaryDirectory(prefix="qualcode-bench-") as folder:
        work = Path(folder)
        base = copy_database(large, work / "lead.qualcode")
        same = copy_database(large, work / "same.qualcode")
        started = time.perf_counter()
        result = merge_files(base, [same], output=work / "merged-same.qualcode")
        report("merge two identical copies (50,000 codings each, all matched)", time.perf_counter() - started, 10.0)
        assert result.total("codings").matched >= 49_000 and result.total("codings").added == 0

        other = work / "other.qualcode"
        redone_copy(large, other)
        started = time.perf_counter()
        result = merge_files(base, [other], output=work / "merged.qualcode")
        seconds = time.perf_counter() - started
        report("merge a redone copy (~50,000 new codings, 10 texts re-aligned)", seconds, 10.0)
        assert result.total("codings").added >= 45_000, result.summary()

        started = time.perf_counter()
        result = merge_files(base, [other], dry_run=True)
        report("dry run of the same merge (report only)", time.perf_counter() - started, 10.0)

        _agreement(base, report)


def _agreement(path: Path, report: Report) -> None:
    from qualcode.services.teamwork.agreement import compute_agreement

    with Project.open(path, backup=False) as project, project.session() as s:
        coder_ids = list(s.scalars(select(Coder.id).order_by(Coder.name)))
        started = time.perf_counter()
        result = compute_agreement(s, coder_ids=coder_ids[:2], sentence_units=False)
        nodes = len({row.node_id for row in result.rows if row.node_id is not None})
        report(f"agreement, 2 coders, {nodes} nodes x 200 documents (characters, segments)",
               time.perf_counter() - started, 5.0)
        started = time.perf_counter()
        result = compute_agreement(s, coder_ids=coder_ids, sentence_units=False)
        report("agreement, 3 coders (characters, segments)", time.perf_counter() - started, 5.0)
        started = time.perf_counter()
        compute_agreement(s, coder_ids=coder_ids[:2], sentence_units=True)
        report("agreement, 2 coders, with sentence units (first run: spaCy)", time.perf_counter() - started, 5.0)
        started = time.perf_counter()
        compute_agreement(s, coder_ids=coder_ids[:2], sentence_units=True)
        report("agreement, 2 coders, with sentence units (sentences cached)", time.perf_counter() - started, 5.0)
