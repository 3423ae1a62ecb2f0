"""Benchmark runner: build (or reuse) the large project, print each figure beside its target.

    python tests/benchmarks/run.py            # build the project, run every bench_*.py
    python tests/benchmarks/run.py --reuse    # reuse tests/benchmarks/_data/large.qualcode
    python tests/benchmarks/run.py foundation # only bench_foundation.py

Each bench_<area>.py module has `run(large: Path, report)`; `report(name, seconds, target)`.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.benchmarks.generate import build_large_project  # noqa: E402

RESULTS: list[tuple[str, float, float]] = []


def report(name: str, seconds: float, target: float, *, cpu: float | None = None) -> None:
    """Print a figure beside its target; `cpu` is the CPU time of the UI thread, when measured,
    which a loaded machine does not inflate the way it does the wall time."""
    verdict = "ok" if seconds <= target else "SLOW"
    if cpu is not None and seconds > target >= cpu:
        verdict = "ok on CPU time"
    RESULTS.append((name, seconds, target))
    cpu_text = f"  (CPU {_fmt(cpu)})" if cpu is not None else ""
    print(f"{name:<64} {_fmt(seconds):>10}   target < {_fmt(target):<8} {verdict}{cpu_text}", flush=True)


def _fmt(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("areas", nargs="*", help="bench_<area>.py modules to run (default: all)")
    parser.add_argument("--reuse", action="store_true", help="reuse the generated project if present")
    args = parser.parse_args()
    data = HERE / "_data"
    data.mkdir(exist_ok=True)
    large = data / "large.qualcode"
    if not (args.reuse and large.exists()):
        started = time.perf_counter()
        phases = build_large_project(large)
        report("create large project (200 docs, 50,000 codings)", time.perf_counter() - started, 30.0)
        print("    phases: " + ", ".join(f"{k} {v:.1f} s" for k, v in phases.items()))
    areas = args.areas or sorted(p.stem.removeprefix("bench_") for p in HERE.glob("bench_*.py"))
    for area in areas:
        print(f"\n== {area}")
        module = importlib.import_module(f"tests.benchmarks.bench_{area}")
        module.run(large, report)
    slow = [r for r in RESULTS if r[1] > r[2]]
    print(f"\n{len(RESULTS)} figures, {len(slow)} over target")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
