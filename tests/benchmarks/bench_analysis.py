"""Search and analysis figures on the large project: full-text search, coding queries, matrix
coding, co-occurrence, frequencies, and the heatmap figure."""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from qualcode.services.codebook.nodes import find_node
from qualcode.services.coders import ensure_coder
from qualcode.services.queries import cooccurrence, frequencies, matrices, queries, search
from qualcode.store import fulltext
from qualcode.store.project import Project

Report = Callable[..., None]
PHRASE = '"waiting list"'


def _median(action: Callable[[], Any], times: int) -> tuple[float, Any]:
    samples, result = [], None
    for _ in range(times):
        started = time.perf_counter()
        result = action()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples), result


def run(large: Path, report: Report) -> None:
    project = Project.open(large, backup=False)
    try:
        with project.session() as s:
            _search(s, report)
            _queries(s, report)
            _frequencies(s, report)
        _code_hits(project, report)
    finally:
        project.close()


def _search(s: Any, report: Report) -> None:
    seconds, docs = _median(lambda: fulltext.matching_documents(s, PHRASE), 20)
    report(f"FTS phrase search {PHRASE}: matching documents ({len(docs)})", seconds, 0.05)
    seconds, result = _median(lambda: search.search_text(s, query=PHRASE), 5)
    report(f"phrase search with every hit's offsets, speaker, context ({result.total_hits} hits)", seconds, 0.5)
    seconds, result = _median(lambda: search.search_text(s, query="nurse AND (trust OR listen*)", limit=1000), 3)
    report(f"boolean + prefix search ({result.total_hits:,} hits, first 1,000 listed)", seconds, 1.0)
    seconds, result = _median(lambda: search.search_text(s, query="listen", lemmas=True, limit=1000), 3)
    report(f"word-forms search 'listen' ({result.searched}, {result.total_hits:,} hits)", seconds, 2.0)


def _queries(s: Any, report: Report) -> None:
    first, second = find_node(s, "Organising 1.1").id, find_node(s, "Basic 2.1.1").id
    seconds, result = _median(lambda: matrices.matrix_coding(s, attribute="site"), 3)
    m = result.matrix
    report(f"matrix coding {len(m.rows)} nodes x {len(m.columns)} sites (codings)", seconds, 1.0)
    seconds, _ = _median(lambda: matrices.matrix_coding(s, attribute="site", measure="cases"), 3)
    report("matrix coding 60 nodes x 7 sites (cases)", seconds, 1.0)
    seconds, result = _median(lambda: cooccurrence.cooccurrence(s, mode="overlap"), 3)
    report(f"co-occurrence {len(result.labels)}x{len(result.labels)} (overlapping codings)", seconds, 2.0)
    seconds, _ = _median(lambda: cooccurrence.cooccurrence(s, mode="document"), 3)
    report("co-occurrence 60x60 (same document)", seconds, 2.0)
    seconds, _ = _median(lambda: cooccurrence.cooccurrence(s, mode="turn"), 3)
    report("co-occurrence 60x60 (same turn)", seconds, 2.0)
    seconds, result = _median(lambda: queries.coding_query(s, node_id=first, steps=[("AND", second)]), 3)
    report(f"coding query A AND B, overlapping ({len(result.passages):,} passages)", seconds, 1.0)
    seconds, result = _median(lambda: queries.coding_query(s, node_id=first, steps=[("NOT", second)],
                                                           proximity="turn"), 3)
    report(f"coding query A NOT B, same turn ({len(result.passages):,} turns)", seconds, 2.0)
    from qualcode.viz.figure_files import save_figure
    from qualcode.viz.heatmap import cooccurrence_heatmap

    counts = cooccurrence.cooccurrence(s, mode="overlap")
    import matplotlib.figure  # noqa: F401  -- loading matplotlib (~1 s, once per session) is not drawing

    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        figure = cooccurrence_heatmap(counts.labels, counts.counts, title=counts.title, value_label="pairs")
        save_figure(figure, Path(folder) / "heatmap.png", dpi=200)
        report("heatmap 60x60 drawn and saved (PNG, 200 dpi)", time.perf_counter() - started, 3.0)


def _frequencies(s: Any, report: Report) -> None:
    seconds, result = _median(lambda: frequencies.word_frequencies(s, top=50), 1)
    report(f"word frequency, all documents ({result.table.counted:,} words, lemmas)", seconds, 10.0)
    seconds, _ = _median(lambda: frequencies.word_frequencies(s, top=50, group_by="site"), 1)
    report("word frequency by site", seconds, 10.0)
    seconds, _ = _median(lambda: frequencies.coding_frequencies(s, by="level"), 3)
    report("codings per node by level", seconds, 1.0)
    seconds, _ = _median(lambda: frequencies.coding_frequencies(s, by="document"), 3)
    report("codings per document (with share of text coded)", seconds, 1.0)


def _code_hits(project: Project, report: Report) -> None:
    with project.session() as s:
        coder = ensure_coder(s, "Benchmark").id
        node = find_node(s, "Code 1.1.1.1").id
        hits = [search.HitRef(h.document_id, h.start, h.end) for h in search.search_text(s, query=PHRASE).hits]
    started = time.perf_counter()
    with project.session() as s:
        change = search.code_hits(s, hits=hits, node_id=node, coder_id=coder, unit="sentence")
    report(f"code {len(hits)} hits widened to sentences (one undoable step)", time.perf_counter() - started, 2.0)
    with project.session() as s:  # leave the benchmark project as it was
        assert change.command is not None
        change.command.revert(s)
