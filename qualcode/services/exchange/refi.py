"""REFI-QDA exchange: export a project (.qdpx) or its codebook (.qdc); import either,
into a new project or into the open one, with a report of every deviation tolerated.

Exports are validated against the REFI-QDA schemas before they are written and are
written atomically. Imports read and check the whole file first (safety, schema, positions)
and then write everything in one undoable command, so a refused file changes nothing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from qualcode import __version__
from qualcode.domain.errors import ProjectError
from qualcode.domain.progress import NullProgress, Progress
from qualcode.domain.text import plural
from qualcode.io.refi.errors import ExchangeFileError, UnsafeFileError
from qualcode.io.refi.export_codebook import write_qdc
from qualcode.io.refi.export_project import write_qdpx
from qualcode.io.refi.import_project import ImportedProject
from qualcode.io.refi.model import Deviation
from qualcode.io.refi.safety import DEFAULT_LIMITS, LARGE_LIMITS, Limits
from qualcode.io.refi.writing import ExportResult
from qualcode.services.commands import Change
from qualcode.services.exchange._snapshot import snapshot_nodes, snapshot_project, snapshot_set_memos
from qualcode.services.exchange._write import ImportOptions, write_project_data
from qualcode.store.scratch import building_name

ORIGIN = f"QualCode {__version__}"


@dataclass(frozen=True)
class ExchangeReport:
    """What an export or import did: the file, counts per kind, and every deviation."""

    path: Path
    counts: dict[str, int]
    deviations: tuple[Deviation, ...]
    producer: str = ""  # the `origin` the file names (imports)
    counting: str = ""  # how positions were counted (imports)

    def summary(self) -> str:
        counted = ", ".join(_counted(name, count) for name, count in sorted(
            self.counts.items(), key=lambda item: _ORDER.index(item[0]) if item[0] in _ORDER else len(_ORDER))
            if count)
        notes = f"; {plural(len(self.deviations), 'note')} below" \
            if self.deviations else ""
        return f"{self.path.name}: {counted or 'nothing new'}{notes}"


_ORDER = ["documents", "codes", "codings", "codings_not_imported", "coders", "cases", "attributes", "memos", "journal_entries",
          "cmo_configurations"]
_SINGULAR = {"documents": "document", "codes": "code", "codings": "coding", "coders": "coder", "cases": "case",
             "attributes": "attribute", "memos": "memo", "journal_entries": "journal entry",
             "cmo_configurations": "CMO configuration", "codings_not_imported": "coding not imported"}


def _counted(name: str, count: int) -> str:
    label = _SINGULAR.get(name, name.replace("_", " ")) if count == 1 else name.replace("_", " ").replace(
        "cmo ", "CMO ")
    return f"{count} {label}"


def _with_suffix(path: Path, suffix: str) -> Path:
    return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)


def _report(result: ExportResult) -> ExchangeReport:
    return ExchangeReport(result.path, dict(result.counts), result.deviations)


def export_qdpx(session: Session, *, path: Path, progress: Progress | None = None) -> ExchangeReport:
    """Write the whole project as a REFI-QDA project file (.qdpx)."""
    data = snapshot_project(session)
    return _report(write_qdpx(data, _with_suffix(Path(path), ".qdpx"), origin=ORIGIN, progress=progress))


def export_qdc(session: Session, *, path: Path) -> ExchangeReport:
    """Write the codes and themes (with levels, criteria, colours) as a REFI-QDA codebook (.qdc)."""
    return _report(write_qdc(snapshot_nodes(session), _with_suffix(Path(path), ".qdc"), origin=ORIGIN,
                             sets=snapshot_set_memos(session)))


@dataclass(frozen=True)
class PreparedImport:
    """A .qdpx read and checked, not yet written anywhere (reading can run off the UI thread)."""

    path: Path
    imported: ImportedProject


def _limits(allow_large: bool) -> Limits:
    return LARGE_LIMITS if allow_large else DEFAULT_LIMITS


def read_qdpx_file(path: Path, *, progress: Progress | None = None, allow_large: bool = False) -> PreparedImport:
    """Read and check a .qdpx completely; raises a QualCodeError when it cannot be imported.
    `allow_large` lifts the limits on the total size for a genuinely large project."""
    from qualcode.io.refi.import_project import read_qdpx

    imported = read_qdpx(Path(path), progress=progress or NullProgress(), limits=_limits(allow_large))
    return PreparedImport(Path(path), imported)


def apply_import(session: Session, *, prepared: PreparedImport, coder_id: int | None = None,
                 progress: Progress | None = None) -> tuple[Change, ExchangeReport]:
    """Write a prepared .qdpx into the open project as one undoable step.

    Things already in the project (same uid, or same text / name path) are matched, not
    duplicated. `coder_id` is credited with codings the file does not attribute.
    """
    imported = prepared.imported
    change, counts, deviations = write_project_data(
        session, imported.data, ImportOptions(into_existing=True, fallback_coder_id=coder_id,
                                              title=f"Import {prepared.path.name}"), progress or NullProgress())
    return change, ExchangeReport(prepared.path, _with_dropped(counts, imported), tuple(imported.deviations + deviations),
                                  imported.producer, imported.counting)


def import_qdpx(session: Session, *, path: Path, coder_id: int | None = None,
                progress: Progress | None = None, allow_large: bool = False) -> tuple[Change, ExchangeReport]:
    """Import a .qdpx into the open project as one undoable step (see `apply_import`)."""
    return apply_import(session, prepared=read_qdpx_file(path, progress=progress, allow_large=allow_large),
                        coder_id=coder_id, progress=progress)


def import_qdpx_as_new_project(path: Path, project_path: Path, *, coder_name: str = "",
                               progress: Progress | None = None, allow_large: bool = False) -> ExchangeReport:
    """Create a new project at `project_path` holding everything in the .qdpx.

    The file is read and checked before the project is created; if anything fails the
    new project file is removed again.
    """
    from qualcode.io.refi.import_project import read_qdpx
    from qualcode.store.project import PROJECT_SUFFIX, Project

    progress = progress or NullProgress()
    target = _with_suffix(Path(project_path), PROJECT_SUFFIX)
    if target.exists():
        raise ProjectError(f"'{target}' already exists: choose another name for the new project.")
    imported = read_qdpx(Path(path), progress=progress, limits=_limits(allow_large))
    # Built under a hidden name and renamed into place when whole: a killed import leaves no
    # empty project behind (its hidden file is cleared by the next open in that folder).
    building = building_name(target)
    project = Project.create(building, title=imported.data.title or target.stem)
    try:
        with project.session() as session:
            _, counts, deviations = write_project_data(
                session, imported.data, ImportOptions(into_existing=False, fallback_coder_name=coder_name,
                                                      title=f"Import {Path(path).name}"), progress)
        project.close()
        if target.exists():
            raise ProjectError(f"'{target}' already exists: choose another name for the new project.")
        os.replace(building, target)
    except BaseException:
        project.close()
        _remove_project_files(building)
        raise
    return ExchangeReport(target, _with_dropped(counts, imported), tuple(imported.deviations + deviations),
                          imported.producer, imported.counting)


def _with_dropped(counts: dict[str, int], imported: ImportedProject) -> dict[str, int]:
    """The counts, plus the codings lost with sources that could not be imported."""
    return {**counts, "codings_not_imported": imported.dropped_codings} if imported.dropped_codings else counts


def _remove_project_files(path: Path) -> None:
    import shutil

    from qualcode.store.backup import backup_dir_for

    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)
    shutil.rmtree(backup_dir_for(path), ignore_errors=True)


def import_qdc(session: Session, *, path: Path, coder_id: int | None = None) -> tuple[Change, ExchangeReport]:
    """Add the codes of a .qdc codebook to the open project as one undoable step."""
    from qualcode.io.refi.import_codebook import read_qdc

    imported = read_qdc(Path(path))
    change, counts, deviations = write_project_data(
        session, imported.data, ImportOptions(into_existing=True, fallback_coder_id=coder_id,
                                              title=f"Import codebook {Path(path).name}"), NullProgress())
    return change, ExchangeReport(Path(path), counts, tuple(imported.deviations + deviations), imported.producer)


__all__ = [
    "ExchangeFileError", "ExchangeReport", "PreparedImport", "UnsafeFileError", "apply_import", "export_qdc",
    "export_qdpx", "import_qdc", "import_qdpx", "import_qdpx_as_new_project", "read_qdpx_file",
]
