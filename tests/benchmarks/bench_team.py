"""Team project figures on a local PostgreSQL server (started for the run, then stopped):
publish the large project, code one span, five clients coding at once, phrase search on the
server, opening the large project from the server in the window, live refresh latency."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from tests.postgres_cluster import ADMIN, start_cluster

Report = Callable[[str, float, float], None]


def run(large: Path, report: Report) -> None:
    cluster = start_cluster()
    pgpass = cluster.folder / "pgpass"
    pgpass.write_text(f"127.0.0.1:{cluster.port}:*:{ADMIN}:{cluster.password}\n")
    pgpass.chmod(0o600)
    os.environ["PGPASSFILE"] = str(pgpass)
    try:
        _run(cluster, large, report)
    finally:
        cluster.stop()


def _run(cluster: Any, large: Path, report: Report) -> None:
    from sqlalchemy import func, select

    from qualcode.services import coders, documents
    from qualcode.services.codebook import nodes
    from qualcode.services.coding import codings
    from qualcode.services.queries import search
    from qualcode.services.teamwork import live, team
    from qualcode.store.models import Coding
    from qualcode.store.server import TeamProject

    url = cluster.url("large")
    started = time.perf_counter()
    team.publish(large, url).summary()
    report("publish the large project to the server (200 docs, 50,000 codings)", time.perf_counter() - started, 300)

    with TeamProject.open(url) as project:
        with project.session() as s:
            doc = documents.add_document(s, name="Bench", text="word " * 2000).result
            node = nodes.create_node(s, name="Bench code").result
            me = coders.ensure_coder(s, "Bench coder").id
        samples = []
        for i in range(100):
            started = time.perf_counter()
            with project.session() as s:
                codings.apply_code(s, document_id=doc, start=5 * i, end=5 * i + 4, node_id=node, coder_id=me)
            samples.append(time.perf_counter() - started)
        report("code one span on the server, one transaction (median of 100)", statistics.median(samples), 0.010)

        with project.session() as s:
            seconds = _median(lambda: search.search_text(s, query='"waiting list"'), 5)
            report('FTS phrase search "waiting list" on the server, every hit with context (median of 5)',
                   seconds, 0.5)
            seconds = _median(lambda: search.search_text(s, query="nurse AND (trust OR listen*)", limit=1000), 3)
            report("boolean + prefix search on the server (first 1,000 hits, median of 3)", seconds, 1.0)

        with project.session() as s:
            before = s.scalar(select(func.count()).select_from(Coding)) or 0

        def client(number: int) -> int:
            with TeamProject.open(url) as mine:
                with mine.session() as s:
                    coder = coders.ensure_coder(s, f"Client {number}").id
                for i in range(1000):
                    with mine.session() as s:
                        codings.apply_code(s, document_id=doc, start=5 * (i % 400), end=5 * (i % 400) + 4 - i // 400,
                                           node_id=node, coder_id=coder)
            return 1000

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=5) as pool:
            made = sum(pool.map(client, range(5)))
        seconds = time.perf_counter() - started
        with project.session() as s:
            after = s.scalar(select(func.count()).select_from(Coding)) or 0
        status = "nothing lost or duplicated" if after - before == made == 5000 else f"MISMATCH {after - before}"
        report(f"5 clients x 1,000 codings at once ({status}), total", seconds, 60)

        listener = live.listen(project)
        try:
            latencies = []
            with TeamProject.open(url) as other:
                for i in range(20):
                    started = time.perf_counter()
                    with other.session() as s:
                        codings.apply_code(s, document_id=doc, start=5 * i + 2000, end=5 * i + 2003, node_id=node,
                                           coder_id=me)
                    change = live.as_change(listener.changes(timeout=3.0))
                    if change is not None and change.affects("coding"):
                        latencies.append(time.perf_counter() - started)
            report(f"live refresh: commit to notification received (median of {len(latencies)})",
                   statistics.median(latencies), 2.0)
        finally:
            listener.close()

    from PySide6.QtWidgets import QApplication

    from qualcode.gui.workbench.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    window = MainWindow(coder_name="Bench coder")
    window.messenger.boxes_enabled = False
    window.show()
    started = time.perf_counter()
    window.open_project(url)
    app.processEvents()
    report("open the large project from the server in the window", time.perf_counter() - started, 3.0)
    window.close_project()
    window.close()
    window.deleteLater()
    app.processEvents()


def _median(action: Callable[[], Any], times: int) -> float:
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)
