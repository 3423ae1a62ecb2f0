"""Start-up figures of the command line: `qualcode --version` and `qualcode --help` answer
without loading the store, the services, spaCy or Qt. Measured as wall time of a fresh
process (what a user waits for), beside the bare interpreter's start for comparison.

    python tests/benchmarks/bench_startup.py     # on its own, without the large project

Measured on the 2-core development machine under load (medians of 7 fresh processes):
before the command modules kept their imports to their handlers, `qualcode --version` took
3.2 s and `qualcode --help` 4.1 s (every command module, SQLAlchemy, Alembic and the services
were imported to build the parser); after, 0.29 s and 0.49 s, with python's own start at
0.27 s in the same run.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

Report = Callable[[str, float, float], None]
ROOT = Path(__file__).resolve().parent.parent.parent


def _wall(args: Sequence[str], runs: int = 7) -> float:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, *args], env=env, check=True, capture_output=True)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def run(large: Path | None, report: Report) -> None:
    bare = _wall(["-c", "pass"])
    report("python start alone (for comparison)", bare, 0.3)
    version = _wall(["-m", "qualcode", "--version"])
    report("qualcode --version (fresh process)", version, 0.3)
    report("qualcode --version beyond python's own start", version - bare, 0.15)
    report("qualcode --help (fresh process)", _wall(["-m", "qualcode", "--help"]), 0.4)
    report("qualcode query search --help (fresh process)", _wall(["-m", "qualcode", "query", "search", "--help"]), 0.4)


if __name__ == "__main__":
    def _print(name: str, seconds: float, target: float) -> None:
        verdict = "ok" if seconds <= target else "SLOW"
        print(f"{name:<52} {seconds * 1000:8.1f} ms   target < {target * 1000:.0f} ms {verdict}")

    run(None, _print)
