"""Opening the projects a merge reads, with clear refusals, and the backup made before a merge.

An incoming project is copied (SQLite online backup) into a scratch folder and opened there:
the original is never written, may stay open in another QualCode, and an older one is
upgraded on the copy only.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from qualcode.domain.errors import ProjectError, QualCodeError, ValidationError
from qualcode.store.backup import backup_dir_for, copy_database
from qualcode.store.project import Project

_SQLITE_HEADER = b"SQLite format 3\x00"


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def check_project_file(path: Path, *, role: str) -> Path:
    """The absolute path of an existing file that looks like a project, or a clear error."""
    path = Path(path).expanduser().absolute()
    if not path.exists():
        raise ProjectError(f"Cannot merge: there is no {role} project at '{path}'.")
    if path.is_dir():
        raise ProjectError(f"Cannot merge: '{path}' is a folder, not a QualCode project.")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(_SQLITE_HEADER))
    except OSError as exc:
        raise ProjectError(f"Cannot merge: '{path.name}' cannot be read ({exc.strerror or exc}).") from None
    if header != _SQLITE_HEADER:
        raise ProjectError(f"Cannot merge '{path.name}': it is not a QualCode project.")
    return path


def check_sources(base: Path, others: list[Path]) -> list[Path]:
    """Refuse merging a project into itself or listing one project twice."""
    if not others:
        raise ValidationError("Choose at least one project to merge in.")
    checked: list[Path] = []
    for other in others:
        path = check_project_file(other, role="incoming")
        if _same_file(path, base):
            raise ValidationError(f"Cannot merge '{path.name}' into itself: choose another coder's project.")
        if any(_same_file(path, seen) for seen in checked):
            raise ValidationError(f"'{path.name}' is listed twice: merge each project once.")
        checked.append(path)
    return checked


def open_copy(path: Path, workdir: Path, index: int) -> Project:
    """Copy a project into `workdir` and open the copy (upgraded there if it is older)."""
    folder = workdir / f"source-{index}"
    copy = folder / path.name
    copy_database(path, copy)
    try:
        return Project.open(copy, backup=False, full_check=False)
    except QualCodeError as exc:
        message = str(exc)
        raise type(exc)(f"Cannot merge: {message[0].lower()}{message[1:]}" if message else "Cannot merge.") from None


def before_merge_backup(path: Path) -> Path:
    """A backup of the base kept for good (not rotated away) before an in-place merge."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    return copy_database(path, backup_dir_for(path) / f"{path.stem}.before-merge-{stamp}.qualcode")


def scratch_files(path: Path) -> list[Path]:
    """A project file with its write-ahead log, shared-memory and lock companions."""
    return [path] + [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", ".lock")]


def check_output(output: Path, base: Path) -> Path:
    output = Path(output).expanduser().absolute()
    if output.suffix != ".qualcode":
        output = output.with_name(output.name + ".qualcode")
    if output.exists():
        raise ValidationError(f"'{output}' already exists: choose a new file for the merged project.")
    if not output.parent.is_dir():
        raise ProjectError(f"Cannot write '{output.name}': the folder {output.parent} does not exist.")
    if _same_file(output.parent, base.parent) and output.name == base.name:
        raise ValidationError("The merged project must be a new file, not the base itself.")
    return output
