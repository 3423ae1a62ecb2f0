"""A merge killed mid-way leaves the base project as it was (or, killed after the commit, fully merged)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qualcode.services.teamwork.merge import merge_files
from qualcode.store import models as m
from tests.benchmarks.generate import build_large_project
from tests.teamwork_support import copy_project, count, opened, redone_copy

ROOT = Path(__file__).resolve().parents[3]
MERGE = """
import sys
from pathlib import Path
from qualcode.services.teamwork.merge import merge_files

class Printing:
    def update(self, done, total, message=""):
        print(message, flush=True)

    def cancelled(self):
        return False

merge_files(Path(sys.argv[1]), [Path(sys.argv[2])], progress=Printing())
print("merged", flush=True)
"""


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, int]:
    folder = tmp_path_factory.mktemp("interrupted")
    base = folder / "template.qualcode"
    build_large_project(base, documents_count=6, words=1500, codings_count=4000)
    incoming = redone_copy(base, folder / "incoming.qualcode", edited_documents=2)
    added = merge_files(base, [incoming], dry_run=True).total("codings").added
    assert added > 3500
    return base, incoming, added


def _codings(path: Path) -> int:
    with opened(path) as s:
        return count(s, m.Coding)


@pytest.mark.parametrize("delay", [0.0, 0.3])
def test_killing_the_merge_process_never_leaves_a_half_merged_base(projects: tuple[Path, Path, int],
                                                                  tmp_path: Path, delay: float) -> None:
    template, incoming, added = projects
    base = copy_project(template, tmp_path / "base.qualcode")
    before = _codings(base)
    process = subprocess.Popen([sys.executable, "-c", MERGE, str(base), str(incoming)], cwd=ROOT,
                               stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert process.stdout is not None
    for line in process.stdout:
        if "writing" in line and "codings" in line:  # inside the merge's transaction
            break
    time.sleep(delay)
    killed_while_running = process.poll() is None
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    after = _codings(base)  # opens cleanly: integrity check passes, the dead process's lock is cleared
    assert killed_while_running or after != before
    assert after in (before, before + added), (before, after)
    with opened(base) as s:
        assert count(s, m.Node) == 60 and count(s, m.Document) == 6
    print(f"killed {delay:.2f} s into writing: {'unchanged' if after == before else 'fully merged'}")
