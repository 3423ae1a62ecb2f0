"""Thematic-network figures: themes review of the large project, a 200-theme map to a 300-dpi
PNG, the whole-project concept map, and the themes table and codebook to Word."""

from __future__ import annotations

import itertools
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from qualcode.domain.levels import Level
from qualcode.io.table_export import write_tables
from qualcode.services.themes.maps import export_theme_map
from qualcode.services.themes.review import review_themes
from qualcode.services.themes.tables import codebook_table, themes_table
from qualcode.store.project import Project
from qualcode.viz.export import write_figure
from qualcode.viz.theme_map import render_theme_map
from qualcode.viz.theme_map_data import ImageFormat, MapNode

Report = Callable[..., None]
WORDS = ("trust", "time", "continuity", "access", "transport", "cost", "confidence", "groups", "referral",
         "funding", "loneliness", "purpose", "family", "benefits", "housing", "listening", "goals", "volunteers")


def network_of(size: int) -> MapNode:
    """1 global theme, 12 organising themes and the rest basic themes, with 2-7 word names."""
    ident = itertools.count(1)
    words = itertools.cycle(WORDS)
    organising_count = 12
    basics = size - 1 - organising_count
    organising = []
    for o in range(organising_count):
        share = basics // organising_count + (1 if o < basics % organising_count else 0)
        children = tuple(MapNode(next(ident), " ".join(next(words) for _ in range(2 + (o + b) % 6)).capitalize(),
                                 Level.BASIC, codings=1 + b) for b in range(share))
        organising.append(MapNode(next(ident), f"Organising theme {o + 1}: {next(words)} and {next(words)}",
                                  Level.ORGANISING, codings=40, children=children))
    return MapNode(next(ident), "Global theme of a large study", Level.GLOBAL, codings=500, children=tuple(organising))


def run(large: Path, report: Report) -> None:
    with Project.open(large, backup=False, read_only=True) as project:
        samples = []
        for _ in range(3):
            with project.session() as s:
                started = time.perf_counter()
                review = review_themes(s, quotes_per_theme=3)
                samples.append(time.perf_counter() - started)
        report(f"themes review, large project ({len(review)} themes, 3 quotes each)", statistics.median(samples), 1.0)
        with project.session() as s, tempfile.TemporaryDirectory() as folder:
            started = time.perf_counter()
            table = themes_table(s, quotes_per_theme=2)
            write_tables(table, Path(folder) / "themes.docx")
            report(f"themes table of the large project to DOCX ({len(table.rows)} rows)",
                   time.perf_counter() - started, 2.0)
            started = time.perf_counter()
            write_tables(codebook_table(s), Path(folder) / "codebook.docx")
            report("codebook of the large project to DOCX", time.perf_counter() - started, 2.0)
            started = time.perf_counter()
            result = export_theme_map(s, path=Path(folder) / "concept.png", dpi=300)
            report(f"concept map of the large project to 300-dpi PNG ({result.width:.0f} x {result.height:.0f} in)",
                   time.perf_counter() - started, 3.0)

    network = network_of(200)
    assert len(network.walk()) == 200
    with tempfile.TemporaryDirectory() as folder:
        started, cpu = time.perf_counter(), time.process_time()
        rendered = render_theme_map([network])
        laid_out = time.perf_counter() - started
        write_figure(rendered.figure, Path(folder) / "network.png", ImageFormat.PNG, dpi=300)
        total, cpu = time.perf_counter() - started, time.process_time() - cpu
    # CPU time too: on a busy machine the wall clock mostly measures waiting for a core.
    report(f"200-theme network to 300-dpi PNG ({rendered.width:.0f} x {rendered.height:.0f} in; "
           f"layout {laid_out:.2f} s)", total, 1.5, cpu=cpu)
