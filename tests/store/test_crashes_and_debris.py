"""kill -9 at chosen points of long jobs: nothing committed is lost, nothing is half-applied,
and what the killed job left behind is cleared by the next open."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import select

from qualcode.cli.main import main
from qualcode.services.exchange import refi
from qualcode.services.importing.importing import import_files
from qualcode.services.teamwork.merge import merge_files, preview_merge
from qualcode.store import models as m
from qualcode.store.backup import backup_dir_for, pre_migration_backup
from qualcode.store.project import Project
from qualcode.store.sqlite_files import WRITE_PROBE
from tests.teamwork_support import build_study, code, coding_set, copy_project, opened

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="fork")


class _KillAt:
    """Progress that kills its own process (SIGKILL, as a power cut would) at update `at`."""

    def __init__(self, at: int) -> None:
        self.at = at
        self.seen = 0

    def update(self, done: int, total: int, message: str = "") -> None:
        self.seen += 1
        if self.seen >= self.at:
            os.kill(os.getpid(), signal.SIGKILL)

    def cancelled(self) -> bool:
        return False


def _in_killed_child(job: object, *args: object) -> int:
    """Run `job(*args)` in a forked child; return how it ended (-9 when it was killed)."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            job(*args)  # type: ignore[operator]
        except BaseException:
            os._exit(2)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    return -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)


def _kill_after(seconds: float, job: object, *args: object) -> int:
    """Run `job(*args)` in a forked child and SIGKILL it after `seconds` (if still running)."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            job(*args)  # type: ignore[operator]
        except BaseException:
            os._exit(2)
        os._exit(0)
    time.sleep(seconds)
    os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    return -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)


def _shared_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the temporary folder somewhere the test can watch."""
    import tempfile

    shared = tmp_path / "shared-tmp"
    shared.mkdir()
    monkeypatch.setenv("TMPDIR", str(shared))
    monkeypatch.setattr(tempfile, "tempdir", None)
    return shared


def _integrity(path: Path) -> str:
    with closing(sqlite3.connect(path)) as connection:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_a_killed_bulk_import_keeps_each_file_whole_or_absent(tmp_path: Path) -> None:
    path = tmp_path / "bulk.qualcode"
    Project.create(path).close()
    files = []
    for index in range(6):
        transcript = tmp_path / f"P{index:02}.txt"
        transcript.write_text(f"P{index}: " + "the garden helps. " * 100 + "\n", encoding="utf-8")
        files.append(transcript)
    expected = {f.stem: f.read_text(encoding="utf-8").strip() for f in files}
    # Load the readers once here, so each forked child starts importing at once.
    (tmp_path / "warm").mkdir()
    with Project.create(tmp_path / "warm" / "up.qualcode") as warm:
        import_files(warm, paths=files[:1])

    def job(at: int) -> None:
        with Project.open(path) as project:
            import_files(project, paths=files, progress=_KillAt(at))

    rng = random.Random(15)
    trials = []
    for at in sorted(rng.sample(range(2, 7), 2)):
        assert _in_killed_child(job, at) == -signal.SIGKILL
        assert _integrity(path) == "ok"
        with opened(path) as s:
            names = list(s.scalars(select(m.Document.name).order_by(m.Document.id)))
            for name, text in s.execute(select(m.Document.name, m.Document.text)):
                assert text.strip() == expected[name]  # whole, never cut
        # Every file before the kill point is in, and nothing after it.
        assert set(names) <= set(expected) and len(names) == len(set(names))
        trials.append(len(names))
    assert trials == sorted(trials) and trials[-1] >= 1
    # Killed at random moments too (the child is killed wherever it is).
    for delay in (0.4,):
        _kill_after(delay, job, 10_000)
        assert _integrity(path) == "ok"
    Project.open(path).close()
    assert sorted(p.name for p in tmp_path.glob("bulk*")) == ["bulk-backups", "bulk.qualcode"]


def test_a_killed_merge_leaves_the_base_as_it_was_or_fully_merged_and_no_copies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = _shared_temp(tmp_path, monkeypatch)
    study = build_study(tmp_path / "lead.qualcode")
    bob = copy_project(study, tmp_path / "bob.qualcode")
    with opened(bob) as s:
        code(s, "Bob", "P1 interview", "The nurse never came back", "Waiting time")
        code(s, "Bob", "P2 interview", "The pharmacist phones me", "Family support")
    with opened(study) as s:
        before = coding_set(s)

    outcomes = []
    for at in (1, 2, 3, 4, 6):
        ended = _in_killed_child(lambda at=at: merge_files(study, [bob], progress=_KillAt(at)))
        assert _integrity(study) == "ok"
        with opened(study) as s:  # this open also clears what the killed merge left
            after = coding_set(s)
        assert after == before or after == before | {
            ("P1 interview", "The nurse never came back", "Access to care/Waiting/Time lost/Waiting time", "Bob"),
            ("P2 interview", "The pharmacist phones me", "Family support", "Bob"),
        }
        outcomes.append((ended, after != before))
        if after != before:
            break
    assert outcomes[0] == (-signal.SIGKILL, False)
    # No copy of Bob's project is left anywhere: not beside the projects, not in a temp folder.
    assert _hidden(tmp_path) == []
    assert [p.name for p in shared.iterdir() if "locks" not in p.name] == []
    assert not list(backup_dir_for(study).glob("*.part"))


def test_merge_copies_of_other_coders_projects_never_go_to_a_shared_temp_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = _shared_temp(tmp_path, monkeypatch)
    work = tmp_path / "team"
    work.mkdir()
    study = build_study(work / "lead.qualcode")
    bob = copy_project(study, work / "bob.qualcode")
    seen: list[list[str]] = []

    class Watch:
        def update(self, done: int, total: int, message: str = "") -> None:
            seen.append(_hidden(work) + [p.name for p in shared.iterdir()])

        def cancelled(self) -> bool:
            return False

    with Project.open(study) as project, project.session() as s:
        preview_merge(s, others=[bob], base_path=study, progress=Watch())
    # (The host's lock registry lives there: it holds process ids, no research data.)
    assert seen and all(not any(n.startswith("qualcode-") and "locks" not in n for n in names) for names in seen)
    assert any(any(name.startswith(".qualcode-work-merge-") for name in names) for names in seen)
    assert [p.name for p in shared.iterdir() if "locks" not in p.name] == [] and _hidden(work) == []


def test_a_killed_import_as_new_project_leaves_no_empty_project_and_the_rerun_works(tmp_path: Path) -> None:
    source = build_study(tmp_path / "source.qualcode")
    qdpx = tmp_path / "from nvivo.qdpx"
    assert main(["export", "qdpx", str(source), str(qdpx)]) == 0
    target = tmp_path / "imported.qualcode"
    # Updates 1-3 come while reading the file, 4-5 while the new project is being written.
    for at in (2, 4, 5):
        ended = _in_killed_child(
            lambda at=at: refi.import_qdpx_as_new_project(qdpx, target, coder_name="Ann", progress=_KillAt(at))
        )
        assert ended == -signal.SIGKILL
        assert not target.exists()
    assert main(["import", "qdpx", str(target), str(qdpx), "--new"]) == 0
    with opened(target) as s:
        assert s.scalar(select(m.ProjectInfo.title)) == "Clinic study"
        assert len(list(s.scalars(select(m.Document.id)))) == 2
    # The killed attempts' hidden files were cleared by the rerun.
    assert _hidden(tmp_path) == []


def test_backup_debris_and_repeated_migration_copies_are_cleared(tmp_path: Path) -> None:
    path = tmp_path / "study.qualcode"
    Project.create(path).close()
    folder = backup_dir_for(path)
    folder.mkdir()
    (folder / "study-20260101-000000-000001.qualcode.part").write_bytes(b"half a copy")
    first = pre_migration_backup(path, 3)
    time.sleep(1.01)
    second = pre_migration_backup(path, 3)  # the migration is retried after a crash
    assert not first.exists() and second.exists()
    Project.open(path, backup=False).close()
    assert sorted(p.name for p in folder.iterdir()) == [second.name]


def test_merge_copies_an_older_version_left_in_the_temp_folder_are_cleared(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = _shared_temp(tmp_path, monkeypatch)
    old = shared / "qualcode-merge-k3j2h1"
    (old / "source-0").mkdir(parents=True)
    (old / "source-0" / "bob.qualcode").write_bytes(b"another coder's data")
    recent = shared / "qualcode-merge-running"
    recent.mkdir()
    an_hour_ago = time.time() - 3700
    os.utime(old, (an_hour_ago, an_hour_ago))
    path = tmp_path / "study.qualcode"
    Project.create(path).close()
    from qualcode.store import scratch

    monkeypatch.setattr(scratch, "_legacy_checked", [])  # as in a fresh process
    Project.open(path).close()
    assert not old.exists()
    assert recent.exists()  # it may belong to a merge running now


def test_a_new_project_killed_while_being_created_leaves_nothing_at_its_name(tmp_path: Path) -> None:
    warm = tmp_path / "warm"
    warm.mkdir()
    started = time.perf_counter()
    Project.create(warm / "timing.qualcode").close()  # also loads the migrations before forking
    took = time.perf_counter() - started
    target = tmp_path / "new.qualcode"
    outcomes = []
    for share in (0.1, 0.3, 0.5, 0.7):
        _kill_after(took * share, lambda: Project.create(target).close())
        if target.exists():  # it finished before the kill: then it is whole
            assert _integrity(target) == "ok"
            with opened(target) as s:
                assert s.scalar(select(m.ProjectInfo.title)) == "new"
            target.unlink()
        outcomes.append(target.exists())
    assert main(["new", str(target)]) == 0  # no "already exists"
    assert _hidden(tmp_path) == []  # the killed attempts' hidden files were cleared


def test_a_write_probe_left_by_a_killed_process_is_cleared_at_the_next_open(tmp_path: Path) -> None:
    path = tmp_path / "study.qualcode"
    Project.create(path).close()
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                           check=True)
    dead = tmp_path / f"{WRITE_PROBE}{int(ended.stdout)}"
    live = tmp_path / f"{WRITE_PROBE}{os.getppid()}"  # a process that runs: it may be probing now
    dead.touch()
    live.touch()
    Project.open(path).close()
    assert not dead.exists()
    assert live.exists()
