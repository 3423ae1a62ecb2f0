"""REFI-QDA exchange figures: export the large project as .qdpx, and import it into a new project."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from qualcode.services import project as project_service
from qualcode.services.exchange import refi as exchange
from qualcode.store.project import Project

Report = Callable[..., None]


def run(large: Path, report: Report) -> None:
    with tempfile.TemporaryDirectory(prefix="qualcode-refi-") as folder:
        target = Path(folder) / "large.qdpx"
        with Project.open(large, read_only=True) as project, project.session() as session:
            started, cpu = time.perf_counter(), time.process_time()
            exported = exchange.export_qdpx(session, path=target)
            # CPU time too: on a busy machine the wall clock mostly measures waiting for a core.
            report("export large project as .qdpx (validated)", time.perf_counter() - started, 2.0,
                   cpu=time.process_time() - cpu)
            counts = project_service.summary(session).counts
        print(f"    {exported.summary()}; {target.stat().st_size / 2**20:.1f} MB")

        started = time.perf_counter()
        imported = exchange.import_qdpx_as_new_project(target, Path(folder) / "copy.qualcode")
        report("import that .qdpx into a new project", time.perf_counter() - started, 15.0)
        with Project.open(imported.path, read_only=True) as copy, copy.session() as session:
            again = project_service.summary(session).counts
        for name in ("documents", "codings", "nodes", "coders", "turns"):
            assert again[name] == counts[name], (name, again[name], counts[name])

        started = time.perf_counter()
        with Project.open(imported.path) as copy, copy.session() as session:
            _, merged = exchange.import_qdpx(session, path=target)
        report("import it again into that project (all matched)", time.perf_counter() - started, 15.0)
        assert merged.counts == {}, merged.counts
