"""Literature review figures at the size of a large review: 1,700 records identified (RIS),
300 of them duplicates; title/abstract screening of every record; the References panel's
rows, the PRISMA numbers and the diagram. Uses its own project, not the large one."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from qualcode.services import coders
from qualcode.services.reviews import prisma, references, screening
from qualcode.services.reviews.overview import reference_rows
from qualcode.store.project import Project

Report = Callable[[str, float, float], None]
RECORDS, DUPLICATES = 1700, 300


def write_ris(path: Path) -> Path:
    lines = []
    for i in range(RECORDS):
        original = i - (RECORDS - DUPLICATES) if i >= RECORDS - DUPLICATES else i
        lines += ["TY  - JOUR", f"AU  - Author{original % 250}, A.", f"AU  - Second{original % 97}, B.",
                  f"TI  - Social prescribing record {original}: outcomes in primary care",
                  "T2  - Journal of Reviews", f"PY  - {2000 + original % 24}", f"VL  - {original % 60}",
                  f"SP  - {original}", f"EP  - {original + 9}", f"DO  - 10.5555/rev.{original:05d}",
                  "AB  - " + "An abstract of a few sentences about referral and wellbeing. " * 4, "ER  -", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def run(_large: Path, report: Report) -> None:
    with tempfile.TemporaryDirectory() as folder:
        ris = write_ris(Path(folder) / "search.ris")
        with Project.create(Path(folder) / "review.qualcode") as project:
            with project.session() as s:
                started = time.perf_counter()
                result = references.import_reference_file(s, path=ris, database="MEDLINE").result
                report(f"import {RECORDS:,} RIS records ({len(result.duplicates)} duplicates)",
                       time.perf_counter() - started, 5.0)
                coder = coders.ensure_coder(s, "Ana").id
                studies = references.list_references(s)
            with project.session() as s:
                started = time.perf_counter()
                for number, info in enumerate(studies):
                    screening.decide(s, reference_id=info.id, stage="ta",
                                     decision="include" if number % 20 == 0 else "exclude", coder_id=coder)
                elapsed = time.perf_counter() - started
                report(f"title/abstract decision (mean of {len(studies):,})", elapsed / len(studies), 0.02)
            with project.session() as s:
                started = time.perf_counter()
                rows = reference_rows(s, coder_id=coder)
                report(f"References panel rows ({len(rows):,} studies)", time.perf_counter() - started, 0.5)
                started = time.perf_counter()
                flow = prisma.prisma_report(s).flow
                report(f"PRISMA numbers ({flow.screened:,} screened)", time.perf_counter() - started, 0.5)
                started = time.perf_counter()
                prisma.export_prisma(s, path=Path(folder) / "prisma.png", dpi=300)
                report("PRISMA diagram to PNG at 300 dpi", time.perf_counter() - started, 3.0)
