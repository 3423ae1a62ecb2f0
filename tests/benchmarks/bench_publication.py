"""Publication exports on the large project: the themes table with exemplars only (in the
researcher's order), the concept map with links between networks fitted to 7 inches, the case
characteristics table, the CMOC table with merged concept cells, and the programme theory as
a pathway (one concept per page).

Works on a copy of the large project: marks 600 exemplars, orders them per theme, draws 20
links between themes of different networks and adds 100 configurations in 10 concepts."""

from __future__ import annotations

import random
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from qualcode.domain.levels import Level
from qualcode.io.table_export import write_tables
from qualcode.services.cases.case_table import case_table
from qualcode.services.realist import configurations as cmo
from qualcode.services.realist.export import CmocTableOptions, export_cmoc_table, export_pathway
from qualcode.services.themes.exemplars import exemplars_of, order_exemplars
from qualcode.services.themes.links import link_themes
from qualcode.services.themes.maps import export_theme_map
from qualcode.services.themes.tables import themes_table
from qualcode.store.models import Coding, Node
from qualcode.store.project import Project
from qualcode.viz.theme_map_data import MapOptions

Report = Callable[[str, float, float], None]


def _prepare(project: Project, rng: random.Random) -> None:
    with project.session() as s:
        coding_ids = list(s.scalars(select(Coding.id)))
        chosen = rng.sample(coding_ids, 600)
        for position, coding_id in enumerate(chosen):
            s.get(Coding, coding_id).exemplar = True  # type: ignore[union-attr]
            s.get(Coding, coding_id).exemplar_position = position  # type: ignore[union-attr]
        s.commit()
        basics = list(s.scalars(select(Node.id).where(Node.level == int(Level.BASIC))))
        for i in range(20):
            a, b = rng.sample(basics, 2)
            link_themes(s, source_id=a, target_id=b, label=f"bears on {i}")
        for i in range(100):
            cmo.create_configuration(s, concept=f"Stage {i % 10 + 1}", status=("confirmed", "proposed")[i % 2],
                                     statements=[("C", f"When patients at stage {i % 10} meet condition {i}"),
                                                 ("O", f"they act on outcome {i % 13}"),
                                                 ("M", f"because they reason through mechanism {i % 17}")])


def run(large: Path, report: Report) -> None:
    rng = random.Random(19)
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "large.qualcode"
        shutil.copyfile(large, copy)
        with Project.open(copy, backup=False) as project:
            started = time.perf_counter()
            _prepare(project, rng)
            report("mark 600 exemplars, 20 theme links, 100 configurations (setup)",
                   time.perf_counter() - started, 30.0)
            with project.session() as s:
                theme = next(iter(s.scalars(select(Node.id).where(Node.level == int(Level.ORGANISING)))))
                order = [e.coding_id for e in exemplars_of(s, theme)]
                started = time.perf_counter()
                order_exemplars(s, node_id=theme, coding_ids=list(reversed(order)))
                report(f"reorder a theme's exemplars ({len(order)} quotes, one command)",
                       time.perf_counter() - started, 0.5)

                started = time.perf_counter()
                table = themes_table(s, exemplars_only=True, italic_quotes=True, numbered=True)
                write_tables(table, Path(folder) / "themes.docx")
                report(f"themes table, exemplars only, to DOCX ({len(table.rows)} rows)",
                       time.perf_counter() - started, 3.0)

                started = time.perf_counter()
                result = export_theme_map(s, path=Path(folder) / "concept.png", options=MapOptions(width=7.0),
                                          dpi=300)
                report(f"concept map with 20 links at 7 in, 300-dpi PNG ({result.width:.0f} x {result.height:.0f} in)",
                       time.perf_counter() - started, 20.0)

                started = time.perf_counter()
                cases = case_table(s, attributes=["age", "site"], sort_by=["age"], group_by="site")
                write_tables(cases, Path(folder) / "cases.xlsx")
                report(f"case characteristics table to XLSX ({len(cases.rows)} rows)",
                       time.perf_counter() - started, 1.0)

                started = time.perf_counter()
                export_cmoc_table(s, path=Path(folder) / "cmoc.docx",
                                  options=CmocTableOptions(layout="merged", numbering="number", counts=False,
                                                           quote=False, status=False))
                report("CMOC table, merged concept cells, 100 rows to DOCX", time.perf_counter() - started, 3.0)

                started = time.perf_counter()
                pages = export_pathway(s, path=Path(folder) / "theory.png", per_concept=True, dpi=300)
                report(f"programme theory pathway, one concept per page ({len(pages)} PNGs at 300 dpi)",
                       time.perf_counter() - started, 20.0)
