"""What the REFI-QDA writers share: results, nested codes, and files written atomically."""

from __future__ import annotations

import zipfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qualcode.domain.progress import Progress, check_cancelled
from qualcode.io.files import atomic_output
from qualcode.io.refi import conventions as cv
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


def write_zip_atomically(path: Path, files: list[tuple[str, bytes]], progress: Progress) -> None:
    """Write a zip beside `path`, then move it into place; nothing is left behind on failure."""
    with atomic_output(path) as temp, zipfile.ZipFile(temp, "w", compression=zipfile.ZIP_DEFLATED,
                                                      compresslevel=1) as archive:
        for index, (name, content) in enumerate(files):
            check_cancelled(progress)
            progress.update(index, len(files), f"Packing {name}")
            archive.writestr(name, content)


def write_file_atomically(path: Path, content: bytes) -> None:
    with atomic_output(path) as temp:
        temp.write_bytes(content)

