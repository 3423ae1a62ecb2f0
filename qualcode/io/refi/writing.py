"""What the REFI-QDA writers share: results, nested codes, and files written atomically."""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qualcode.domain.progress import Progress, check_cancelled
from qualcode.io.refi import conventions as cv
from qualcode.io.refi.errors import ExchangeFileError
from qualcode.io.refi.model import Deviation, NodeData
from qualcode.io.refi.xmltext import ElementMaker


@dataclass(frozen=True)
class ExportResult:
    path: Path
    deviations: tuple[Deviation, ...]
    counts: dict[str, int]


def write_codes(e: ElementMaker, parent: Any, nodes: Iterable[NodeData], deviations: list[Deviation], *,
                note_refs: Any = None) -> None:
    """Nested Code elements (for a project's CodeBook or a .qdc), in tree order."""
    children: dict[str | None, list[NodeData]] = defaultdict(list)
    for node in nodes:
        children[node.parent_uid.lower() if node.parent_uid else None].append(node)

    def walk(element: Any, parent_uid: str | None) -> None:
        for node in children.get(parent_uid, []):
            color = node.color if _valid_color(node.color) else None
            if node.color and color is None:
                deviations.append(Deviation("colour", f"'{node.color}' is not a colour; left out",
                                            f"code '{node.name}'"))
            code = e.sub(element, "Code", {"guid": cv.guid_out(node.uid), "name": node.name, "isCodable": "true",
                                           "color": color}, where=f"code '{node.name}'")
            description = cv.render_code_description(node.level, node.origin, node.definition, node.inclusion,
                                                     node.exclusion)
            e.sub(code, "Description", text=description, where=f"code '{node.name}'")
            for ref in (note_refs(node.uid) if note_refs else []):
                e.sub(code, "NoteRef", {"targetGUID": ref})
            walk(code, node.uid.lower())

    walk(parent, None)


def _valid_color(color: str) -> bool:
    value = color[1:] if color.startswith("#") else ""
    return len(value) in (3, 6) and all(c in "0123456789abcdefABCDEF" for c in value)


def make_shareable(path: Path) -> None:
    """Give a temporary file (created private) the permissions a newly written file gets."""
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(path, 0o666 & ~mask)


def write_zip_atomically(path: Path, files: list[tuple[str, bytes]], progress: Progress) -> None:
    """Write a zip beside `path`, then move it into place; nothing is left behind on failure."""
    folder = path.parent
    if not folder.is_dir():
        raise ExchangeFileError(f"Cannot write '{path.name}': the folder {folder} does not exist.")
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    os.close(handle)
    temp = Path(temp_name)
    try:
        with zipfile.ZipFile(temp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            for index, (name, content) in enumerate(files):
                check_cancelled(progress)
                progress.update(index, len(files), f"Packing {name}")
                archive.writestr(name, content)
        make_shareable(temp)
        os.replace(temp, path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise ExchangeFileError(f"Cannot write '{path}': {exc.strerror or exc}.") from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_file_atomically(path: Path, content: bytes) -> None:
    folder = path.parent
    if not folder.is_dir():
        raise ExchangeFileError(f"Cannot write '{path.name}': the folder {folder} does not exist.")
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        make_shareable(Path(temp_name))
        os.replace(temp_name, path)
    except OSError as exc:
        Path(temp_name).unlink(missing_ok=True)
        raise ExchangeFileError(f"Cannot write '{path}': {exc.strerror or exc}.") from None
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
