"""The single-writer lock under contention: 14 fresh QualCode processes call `Project.open`
on one project at the same instant, 15 rounds (every other one starting from a stale lock
left by a killed process). Prints how many held the project at once (must be 1) and how
long a round took to settle.

    python tests/benchmarks/run.py --reuse reliability
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

PROCESSES = 14
ROUNDS = 15
INTERVAL = 1.0

_WORKER = """
import json, sys, time
from pathlib import Path
from qualcode.domain.errors import ProjectLockedError
from qualcode.store.project import Project

path, start, rounds, interval, out = Path(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
held = []
for round_ in range(rounds):
    at = start + round_ * interval
    while time.time() < at:
        time.sleep(0.0005)
    try:
        project = Project.open(path, backup=False, full_check=False)
    except ProjectLockedError:
        continue
    got = time.time()
    time.sleep(0.05)
    released = time.time()
    project.close()
    held.append((round_, got, released))
Path(out).write_text(json.dumps(held))
"""


def run(_large: Path, report: Callable[..., None]) -> None:
    from qualcode.store.lock import boot_id
    from qualcode.store.project import Project

    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        path = folder / "contended.qualcode"
        Project.create(path).close()
        dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
        code = os.environ.get("QUALCODE_BENCH_CODE", str(Path(__file__).resolve().parents[2]))
        env = {**os.environ, "PYTHONPATH": code}
        start = time.time() + 20.0  # time for every interpreter to start, even on a busy machine
        workers = [
            subprocess.Popen([sys.executable, "-c", _WORKER, str(path), str(start), str(ROUNDS), str(INTERVAL),
                              str(folder / f"w{index}.json")], env=env)
            for index in range(PROCESSES)
        ]
        lock = path.with_name(path.name + ".lock")
        for round_ in range(ROUNDS):
            if round_ % 2:
                # Between rounds, leave a stale lock as a killed process would.
                time.sleep(max(0.0, start + round_ * INTERVAL - 0.3 - time.time()))
                if not lock.exists():
                    lock.write_text(json.dumps({"host": socket.gethostname(), "pid": int(dead.stdout),
                                                "boot_id": boot_id(), "since": "2026-01-01T00:00:00+00:00"}))
        for worker in workers:
            worker.wait(timeout=300)
        held = [tuple(h) for index in range(PROCESSES) for h in json.loads((folder / f"w{index}.json").read_text())]
    worst = 0
    settled = []
    for round_ in range(ROUNDS):
        spans = sorted((got, released) for r, got, released in held if r == round_)
        overlap = max((sum(1 for g, rel in spans if g <= at < rel) for at, _ in spans), default=0)
        worst = max(worst, overlap)
        if spans:
            settled.append(spans[0][0] - (start + round_ * INTERVAL))
    print(f"    {PROCESSES} processes x {ROUNDS} rounds: {len(held)} opens, at most {worst} holder(s) at once "
          f"in any round (must be 1); rounds with a holder: {len(settled)}/{ROUNDS}")
    settled.sort()
    report("first holder of a contended project, median of 15 rounds", settled[len(settled) // 2], 0.5)
