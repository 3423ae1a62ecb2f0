"""Consistent copies of a project through SQLite's online backup API, rotated."""

from __future__ import annotations

import sqlite3
from contextlib import closing, suppress
from datetime import datetime
from pathlib import Path

from qualcode.domain.errors import ProjectError
from qualcode.store.sqlite_files import connect

KEEP_BACKUPS = 5


def backup_dir_for(project_path: Path) -> Path:
    return project_path.with_name(project_path.stem + "-backups")


def copy_database(source: Path, target: Path) -> Path:
    """Copy a live project to `target` (a new file) without stopping writers."""
    tmp = target.with_name(target.name + ".part")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp.unlink(missing_ok=True)
        with closing(connect(source, read_only=True)) as src, closing(connect(tmp)) as dst:
            src.backup(dst)
        tmp.replace(target)
    except (OSError, sqlite3.Error) as exc:
        with suppress(OSError):
            tmp.unlink(missing_ok=True)
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise ProjectError(f"Could not back up '{source.name}' to {target.parent}: {reason}.") from None
    return target


def rotating_backup(project_path: Path, *, keep: int = KEEP_BACKUPS) -> Path:
    """Write a timestamped backup beside the project and keep only the newest `keep`."""
    folder = backup_dir_for(project_path)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = copy_database(project_path, folder / f"{project_path.stem}-{stamp}.qualcode")
    backups = sorted(folder.glob(f"{project_path.stem}-*.qualcode"))
    rotating = [p for p in backups if "-before-schema-" not in p.name]
    for old in rotating[: max(0, len(rotating) - keep)]:
        old.unlink(missing_ok=True)
    return target


def pre_migration_backup(project_path: Path, from_version: int) -> Path:
    """A backup kept for good before a schema migration changes the file."""
    folder = backup_dir_for(project_path)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    name = f"{project_path.stem}-before-schema-{from_version}-{stamp}.qualcode"
    kept = copy_database(project_path, folder / name)
    # A retried migration starts from the same file: one copy of it is enough.
    for older in folder.glob(f"{project_path.stem}-before-schema-{from_version}-*.qualcode"):
        if older != kept:
            older.unlink(missing_ok=True)
    return kept


def named_backup(project_path: Path, before: str) -> Path:
    """A backup kept for good (never rotated away) before a change that cannot be taken
    back outside QualCode, e.g. `before="anonymisation"`."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    name = f"{project_path.stem}.before-{before}-{stamp}.qualcode"
    return copy_database(project_path, backup_dir_for(project_path) / name)
