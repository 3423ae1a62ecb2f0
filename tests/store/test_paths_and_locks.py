"""Projects at any path, on read-only media, and one writer per project however it is named."""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

import qualcode
from qualcode.cli.main import main
from qualcode.domain.errors import ProjectLockedError
from qualcode.services import documents
from qualcode.store.backup import backup_dir_for
from qualcode.store.lock import ProjectLock, boot_id, process_started
from qualcode.store.models import Document
from qualcode.store.project import Project

ODD_FOLDERS = [
    "Study #2",
    "what?",
    "x%41y",
    "100% & more",
    "[draft] 'one' \"two\"",
    " leading and trailing spaces ",
    "Entrevistas ñandú — 中文 😀",
    "ł" * 120,  # 240 bytes: near the 255-byte limit of one name
]


@pytest.mark.parametrize("folder", ODD_FOLDERS)
def test_every_folder_name_the_file_system_allows_works(
    tmp_path: Path, folder: str, capsys: pytest.CaptureFixture[str]
) -> None:
    place = tmp_path / folder
    place.mkdir()
    path = place / "p #1?.qualcode"
    transcript = place / "Interview %20 #3.txt"
    transcript.write_text("Ana: the garden helps.\nBo: it does.\n", encoding="utf-8")

    assert main(["new", str(path), "--title", "Odd"]) == 0
    assert main(["import", str(path), str(transcript)]) == 0
    assert main(["info", str(path)]) == 0
    assert re.search(r"^Documents:\s+1$", capsys.readouterr().out, re.M)
    exported = place / "out #1.qdpx"
    assert main(["export", "qdpx", str(path), str(exported)]) == 0
    with zipfile.ZipFile(exported) as archive:
        assert "project.qde" in archive.namelist()

    with Project.open(path) as project, project.session() as session:
        assert list(session.scalars(select(Document.name))) == ["Interview %20 #3"]
    with Project.open(path, read_only=True) as project, project.session() as session:
        assert session.scalar(select(Document.id)) is not None
    # Nothing was written anywhere but where it belongs.
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder]
    assert sorted(p.name for p in place.iterdir()) == sorted(
        ["p #1?.qualcode", "p #1?-backups", transcript.name, exported.name]
    )
    assert len(list(backup_dir_for(path).glob("*.qualcode"))) == 2


# -- read-only places --------------------------------------------------------------------


def _without_root_powers() -> None:
    """In a child of root: drop the capabilities that let root write where others cannot."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2, 3):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl")


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[tuple[Path, Path, dict[str, object]]]:
    """A project in a folder that cannot be written, and how to run a process that is bound by
    that (root writes everywhere, so its children run without those powers)."""
    folder = tmp_path / "archive #1"
    folder.mkdir()
    home = tmp_path / "home"
    home.mkdir()
    path = folder / "study.qualcode"
    with Project.create(path, title="Archived") as project, project.session() as session:
        documents.add_document(session, name="P1", text="The garden.")
    shutil.rmtree(backup_dir_for(path), ignore_errors=True)
    path.chmod(0o444)
    folder.chmod(0o555)
    env = {**os.environ, "HOME": str(home), "PYTHONPATH": str(Path(qualcode.__file__).parents[1])}
    run: dict[str, object] = {"env": env, "cwd": str(home), "capture_output": True, "text": True}
    if os.geteuid() == 0:
        run["preexec_fn"] = _without_root_powers
    try:
        yield tmp_path, path, run
    finally:
        folder.chmod(0o755)


_READ_ONLY_SESSION = """
import sys
from pathlib import Path
from qualcode.cli.main import main
from qualcode.store.project import Project

path, home = Path(sys.argv[1]), Path(sys.argv[2])
codes = [
    main(["info", str(path)]),
    main(["query", "search", str(path), "garden"]),
    main(["export", "qdpx", str(path), str(home / "copy.qdpx")]),
]
print("CODES", codes, flush=True)
(home / "note.txt").write_text("A new note.", encoding="utf-8")
print("IMPORT", main(["import", str(path), str(home / "note.txt")]), flush=True)
project = Project.open(path, read_only_if_needed=True)
print("OPENED", project.read_only, project.read_only_reason, flush=True)
project.close()
print("FILE", main(["import", str(home / "locked.qualcode"), str(home / "note.txt")]), flush=True)
"""


def test_a_project_in_a_read_only_place_reads_and_refuses_writes_naming_the_cause(
    read_only_folder: tuple[Path, Path, dict[str, object]],
) -> None:
    base, path, run = read_only_folder
    home = base / "home"
    Project.create(home / "locked.qualcode").close()
    (home / "locked.qualcode").chmod(0o444)
    done = subprocess.run([sys.executable, "-c", _READ_ONLY_SESSION, str(path), str(home)], **run)  # type: ignore[call-overload]
    out, err = done.stdout, done.stderr.splitlines()
    # Reading works: info, query and export.
    assert re.search(r"^Documents:\s+1$", out, re.M)
    assert "garden" in out.split("CODES")[0]
    assert "CODES [0, 0, 0]" in out, done.stderr
    assert (home / "copy.qdpx").exists()
    # Writing is refused in one line that names the real cause, not damage.
    assert "IMPORT 1" in out
    assert "FILE 1" in out
    assert len(err) == 2, done.stderr
    assert not any("damaged" in line or "backup" in line for line in err)
    assert err[0].startswith("qualcode: error: 'study.qualcode' cannot be changed here: you do not have permission")
    assert "'locked.qualcode' cannot be changed here: the file itself is read-only" in err[1]
    # The store opens it read-only on request, saying why, and leaves nothing beside it.
    assert "OPENED True you do not have permission to write in its folder" in out
    assert sorted(p.name for p in path.parent.iterdir()) == ["study.qualcode"]


# -- one writer per project ----------------------------------------------------------------


def test_a_symlinked_project_shares_the_lock_and_backups_of_the_real_file(tmp_path: Path) -> None:
    real = tmp_path / "real" / "study.qualcode"
    real.parent.mkdir()
    Project.create(real).close()
    elsewhere = tmp_path / "desktop"
    elsewhere.mkdir()
    link = elsewhere / "shortcut.qualcode"
    link.symlink_to(real)
    with Project.open(real), pytest.raises(ProjectLockedError, match=f"lock file {real}.lock"):
        Project.open(link)
    with Project.open(link):
        assert (real.parent / "study.qualcode.lock").exists()
        with pytest.raises(ProjectLockedError):
            Project.open(real)
    assert sorted(p.name for p in elsewhere.iterdir()) == ["shortcut.qualcode"]
    assert len(list(backup_dir_for(real).glob("*.qualcode"))) == 2


def test_a_hard_linked_project_is_locked_by_identity(tmp_path: Path) -> None:
    first = tmp_path / "a" / "study.qualcode"
    first.parent.mkdir()
    Project.create(first).close()
    second = tmp_path / "b" / "copy.qualcode"
    second.parent.mkdir()
    os.link(first, second)
    with Project.open(first):
        with pytest.raises(ProjectLockedError, match=f"lock file {first}.lock"):
            Project.open(second)
        # And from another process, too.
        other = _open_in_other_process(second)
        assert other.returncode == 3, other.stderr
        assert f"lock file {first}.lock" in other.stdout
    with Project.open(second):
        pass


def _open_in_other_process(path: Path) -> subprocess.CompletedProcess[str]:
    script = (
        "import sys\n"
        "from qualcode.domain.errors import ProjectLockedError\n"
        "from qualcode.store.project import Project\n"
        "try:\n"
        f"    Project.open({str(path)!r}).close()\n"
        "except ProjectLockedError as exc:\n"
        "    print(exc); sys.exit(3)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(qualcode.__file__).parents[1])}
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)


def _lock_naming(path: Path, pid: int, **extra: str) -> Path:
    lock = path.with_name(path.name + ".lock")
    info = {"host": socket.gethostname(), "pid": pid, "since": "2026-01-01T09:00:00+00:00", **extra}
    lock.write_text(json.dumps(info), encoding="utf-8")
    return lock


def test_a_lock_whose_process_id_now_belongs_to_another_process_is_stale(tmp_path: Path) -> None:
    path = tmp_path / "rebooted.qualcode"
    Project.create(path).close()
    parent = os.getppid()  # alive, but not the process that wrote the lock
    lock = _lock_naming(path, parent, started="1", boot_id="0c7e6b2a-0000-4000-8000-000000000000")
    with Project.open(path):
        assert json.loads(lock.read_text(encoding="utf-8"))["pid"] == os.getpid()
    _lock_naming(path, parent, started="1")  # same boot, other start time: reused id
    Project.open(path).close()
    _lock_naming(path, parent)  # an old-style lock written before this boot
    Project.open(path).close()
    assert not lock.exists()


def test_a_lock_of_a_running_process_is_respected_and_named(tmp_path: Path) -> None:
    path = tmp_path / "busy.qualcode"
    Project.create(path).close()
    parent = os.getppid()
    lock = _lock_naming(path, parent, started=process_started(parent), boot_id=boot_id())
    with pytest.raises(ProjectLockedError, match=f"already open by {socket.gethostname()}/{parent}") as refused:
        Project.open(path)
    assert f"(lock file {lock})" in str(refused.value)
    assert lock.exists()  # someone else's lock is left alone


def _contend(path: str, start: float, holders: multiprocessing.Value, peak: multiprocessing.Value,  # type: ignore[valid-type]
             wins: multiprocessing.Value) -> None:  # type: ignore[valid-type]
    lock = ProjectLock(Path(path))
    while time.monotonic() < start:
        pass
    try:
        lock.acquire()
    except ProjectLockedError:
        os._exit(0)
    with holders.get_lock():  # type: ignore[attr-defined]
        holders.value += 1  # type: ignore[attr-defined]
        peak.value = max(peak.value, holders.value)  # type: ignore[attr-defined]
        wins.value += 1  # type: ignore[attr-defined]
    time.sleep(0.03)
    with holders.get_lock():  # type: ignore[attr-defined]
        holders.value -= 1  # type: ignore[attr-defined]
    lock.release()
    os._exit(0)


@pytest.mark.skipif(sys.platform == "win32", reason="fork")
def test_fourteen_processes_opening_at_the_same_instant_get_one_holder_at_a_time(tmp_path: Path) -> None:
    path = tmp_path / "contended.qualcode"
    Project.create(path).close()
    context = multiprocessing.get_context("fork")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    peaks = []
    for round_ in range(6):
        if round_ % 2:
            # As after a crash: every process finds a stale lock and wants to clear it.
            _lock_naming(path, int(dead.stdout), boot_id=boot_id())
        holders, peak, wins = (context.Value("i", 0) for _ in range(3))
        start = time.monotonic() + 0.2
        workers = [
            context.Process(target=_contend, args=(str(path), start, holders, peak, wins)) for _ in range(14)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(10)
        assert all(worker.exitcode == 0 for worker in workers)
        assert wins.value >= 1
        peaks.append(peak.value)
    assert peaks == [1] * 6
    assert not path.with_name(path.name + ".lock").exists()
