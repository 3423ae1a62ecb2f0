"""Work in progress beside a project, never half-visible, and cleared after a crash.

Long jobs (a merge reading copies of other coders' projects, a new project being built
from an import) work in a private folder or under a hidden name beside the project: the
same disk, the same permissions, never a shared temporary folder. While the job runs its
process holds a lock on the work; a later open removes work whose process has gone.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from qualcode.store.lock import held_lock
from qualcode.store.sqlite_files import WRITE_PROBE

_WORK_MARK = ".qualcode-work-"
_IN_USE = "in-use.lock"


def _work_parent(near: Path) -> Path:
    """The folder of `near` when it can be written there, else a private temporary folder."""
    import tempfile

    folder = near.parent
    if os.access(folder, os.W_OK | os.X_OK):
        return folder
    private = Path(tempfile.gettempdir()) / f"qualcode-work-{os.getuid() if hasattr(os, 'getuid') else 0}"
    private.mkdir(mode=0o700, exist_ok=True)
    return private


@contextmanager
def work_folder(near: Path, purpose: str) -> Iterator[Path]:
    """A private folder for a job about the project at `near`, removed when the job ends."""
    folder = _work_parent(near) / f"{_WORK_MARK}{purpose}-{os.getpid()}-{secrets.token_hex(4)}"
    folder.mkdir(mode=0o700)
    try:
        with held_lock(folder / _IN_USE):
            yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def building_name(target: Path) -> Path:
    """The hidden name a new project is built under, beside `target`, until it is complete."""
    return target.with_name(f".{target.stem}.building-{os.getpid()}-{secrets.token_hex(4)}{target.suffix}")


def companions(path: Path) -> list[Path]:
    """A project file with its log, index and lock files."""
    return [path] + [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal", ".lock")]


_GRACE_SECONDS = 3600
_legacy_checked: list[bool] = []


_MAKER = re.compile(r"-(\d+)-[0-9a-f]{8}(?:\.qualcode)?(?:\.lock)?$")


def _maker_gone(work: Path) -> bool:
    """Whether the process whose id is in the name of `work` no longer runs."""
    match = _MAKER.search(work.name)
    return match is not None and _ended(int(match.group(1)))


def _ended(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def _unused(lock_file: Path, work: Path) -> bool:
    """Whether the process that made `work` has gone: its lock is free (or, for work caught
    without its lock file, the process named in it has ended or it is an hour old)."""
    if not lock_file.exists():
        try:
            return _maker_gone(work) or time.time() - work.stat().st_mtime > _GRACE_SECONDS
        except OSError:
            return False
    try:
        with held_lock(lock_file, remove=False):
            return True
    except OSError:  # held (BlockingIOError) or unreadable: leave it
        return False


def clean_debris(project_path: Path) -> list[Path]:
    """Remove what killed jobs left beside a project; return what was removed.

    Work folders and half-built projects whose process has gone, and `.part` copies in the
    backups folder (the caller holds the project's writer lock, so none is being written).
    """
    from qualcode.store.backup import backup_dir_for

    removed: list[Path] = []
    folders = [project_path.parent, _work_parent(project_path)]
    for folder in dict.fromkeys(folders):
        with suppress(OSError):
            for entry in folder.iterdir():
                if entry.name.startswith(_WORK_MARK) and entry.is_dir() and _unused(entry / _IN_USE, entry):
                    shutil.rmtree(entry, ignore_errors=True)
                    removed.append(entry)
                elif (
                    entry.name.startswith(".")
                    and ".building-" in entry.name
                    and entry.suffix == ".qualcode"
                    and _unused(entry.with_name(entry.name + ".lock"), entry)
                ):
                    for leftover in companions(entry):
                        leftover.unlink(missing_ok=True)
                    shutil.rmtree(backup_dir_for(entry), ignore_errors=True)
                    removed.append(entry)
                elif (
                    entry.name.startswith(".")
                    and ".building-" in entry.name
                    and entry.name.endswith(".qualcode.lock")
                    and not entry.with_name(entry.name.removesuffix(".lock")).exists()
                    and _unused(entry, entry)
                ):
                    entry.unlink(missing_ok=True)  # killed before its project file was made
                    removed.append(entry)
                elif (
                    entry.name.startswith(WRITE_PROBE)
                    and entry.name.removeprefix(WRITE_PROBE).isdigit()
                    and _ended(int(entry.name.removeprefix(WRITE_PROBE)))
                ):
                    entry.unlink(missing_ok=True)  # killed while it tried whether it could write here
                    removed.append(entry)
    if not _legacy_checked:
        _legacy_checked.append(True)  # once per process is enough
        removed += _legacy_temp_copies()
    with suppress(OSError):
        for part in backup_dir_for(project_path).glob("*.part"):
            part.unlink(missing_ok=True)
            removed.append(part)
    return removed


def _legacy_temp_copies() -> list[Path]:
    """Merge copies older QualCode versions left in the shared temporary folder when killed
    (`qualcode-merge-*`, `qualcode-dry-run-*`): this user's, untouched for an hour."""
    import tempfile

    removed = []
    uid = os.getuid() if hasattr(os, "getuid") else None
    with suppress(OSError):
        for entry in Path(tempfile.gettempdir()).iterdir():
            if not entry.name.startswith(("qualcode-merge-", "qualcode-dry-run-")):
                continue
            with suppress(OSError):
                info = entry.stat()
                if (uid is None or info.st_uid == uid) and time.time() - info.st_mtime > _GRACE_SECONDS:
                    shutil.rmtree(entry, ignore_errors=True)
                    removed.append(entry)
    return removed
