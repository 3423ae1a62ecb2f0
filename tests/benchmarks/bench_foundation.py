"""Foundation figures: open, code one span, list a global theme's codings with text."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from qualcode.services import coders
from qualcode.services.codebook import nodes
from qualcode.services.coding import codings, retrieval
from qualcode.store.models import Document, Node
from qualcode.store.project import Project

Report = Callable[..., None]


def _median(samples: list[float]) -> float:
    return statistics.median(samples)


def run(large: Path, report: Report) -> None:
    samples = []
    for _ in range(5):
        started = time.perf_counter()
        project = Project.open(large, backup=False)
        samples.append(time.perf_counter() - started)
        project.close()
    report("open project (identity, integrity_check, schema, lock)", _median(samples), 0.5)

    started = time.perf_counter()
    project = Project.open(large)
    report("open project with rotating backup", time.perf_counter() - started, 2.0)
    try:
        with project.session() as s:
            coder_id = coders.ensure_coder(s, "Ana").id
            node_id = s.scalar(select(Node.id).where(Node.level == 1))
            doc_id, length = s.execute(select(Document.id, Document.text).limit(1)).one()
            length = len(length)
            global_id = s.scalar(select(Node.id).where(Node.level == 4).order_by(Node.id))
        samples, made = [], []
        for i in range(50):
            started = time.perf_counter()
            with project.session() as s:
                made.append(
                    codings.apply_code(
                        s, document_id=doc_id, start=i * 7 + 3, end=i * 7 + 61 + i, node_id=node_id, coder_id=coder_id
                    ).result
                )
            samples.append(time.perf_counter() - started)
        report("code one span (service + commit), median of 50", _median(samples), 0.005)
        with project.session() as s:  # leave the benchmark project as it was
            for coding_id in made:
                codings.uncode(s, coding_id=coding_id)

        samples, rows = [], 0
        for _ in range(5):
            started = time.perf_counter()
            with project.session() as s:
                rows = len(codings.codings_of_node(s, global_id))
            samples.append(time.perf_counter() - started)
        report(f"codings of a global theme with descendants ({rows:,} rows, text)", _median(samples), 0.1)

        samples = []
        for _ in range(5):
            started = time.perf_counter()
            with project.session() as s:
                rows = len(retrieval.retrieve_segments(s, node_id=global_id))
            samples.append(time.perf_counter() - started)
        report(f"retrieval of a global theme with context ({rows:,} passages)", _median(samples), 0.3)
        samples = []
        for _ in range(3):
            started = time.perf_counter()
            with project.session() as s:
                rows = len(retrieval.retrieve_segments(s, node_id=global_id, exclude_interviewer=True))
            samples.append(time.perf_counter() - started)
        report(f"the same, leaving out the interviewer ({rows:,} passages)", _median(samples), 0.3)
        with project.session() as s:
            started = time.perf_counter()
            count = len(nodes.list_nodes(s))
            report(f"list the node tree ({count} nodes)", time.perf_counter() - started, 0.05)
    finally:
        project.close()
