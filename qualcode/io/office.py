"""Word (.docx) and OpenDocument (.odt) documents: body paragraphs and tables in order.

Each paragraph becomes one line; a table row becomes one line with its cells separated by a
tab (so a two-column "speaker | words" transcript table yields speaker turns). Headers,
footers, comments and footnotes are not part of the transcript and are left out.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from typing import Any

from qualcode.io.base import MAX_PACKAGE_FILE_BYTES, check_size, file_error

_OLE = b"\xd0\xcf\x11\xe0"


def _check_package(path: Path, what: str, old_name: str) -> None:
    check_size(path, MAX_PACKAGE_FILE_BYTES, "documents")
    with path.open("rb") as handle:
        head = handle.read(4)
    if head == _OLE:
        raise file_error(path, f"this is an old {old_name} file; save it as {what} and import that.")
    if head != b"PK\x03\x04":
        raise file_error(path, f"is not a {what} file (the content is not a document package).")
    try:
        with zipfile.ZipFile(path) as package:
            broken = package.testzip()
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error, RuntimeError, NotImplementedError):
        raise file_error(path, f"the {what} file is damaged or incomplete (was it cut short while copying?).") from None
    if broken is not None:
        raise file_error(path, f"the {what} file is damaged: its part '{broken}' cannot be read.")


def read_docx(path: Path) -> str:
    """The text of a Word document, one paragraph per line."""
    _check_package(path, ".docx", "Word 97-2003 (.doc)")
    import docx
    from docx.table import Table

    try:
        document = docx.Document(str(path))
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                lines.extend(_docx_table_rows(block))
            else:
                lines.append(block.text)
    except Exception as exc:
        raise file_error(path, f"is not a readable Word document ({type(exc).__name__}: the file is damaged "
                         "or is not really a .docx).") from None
    return "\n".join(lines)


def _docx_table_rows(table: Any) -> list[str]:
    rows = []
    for row in table.rows:
        seen: set[int] = set()
        cells = []
        for cell in row.cells:  # merged cells repeat: keep each once
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(p.text.strip() for p in cell.paragraphs if p.text.strip()))
        rows.append("\t".join(cells).rstrip("\t"))
    return rows


def read_odt(path: Path) -> str:
    """The text of an OpenDocument text file, one paragraph or heading per line."""
    _check_package(path, ".odt", "StarOffice")
    from odf.namespaces import TABLENS, TEXTNS
    from odf.opendocument import load

    try:
        document = load(str(path))
        lines: list[str] = []
        _walk_odf(document.text, lines, TEXTNS, TABLENS)
    except Exception as exc:
        raise file_error(path, f"is not a readable OpenDocument text ({type(exc).__name__}: the file is damaged "
                         "or is not really an .odt).") from None
    return "\n".join(lines)


def _walk_odf(element: Any, lines: list[str], textns: str, tablens: str) -> None:
    for child in element.childNodes:
        qname = getattr(child, "qname", None)
        if qname in ((textns, "p"), (textns, "h")):
            lines.append(_odf_text(child, textns))
        elif qname == (tablens, "table-row"):
            cells = []
            for cell in child.childNodes:
                if getattr(cell, "qname", None) == (tablens, "table-cell"):
                    parts: list[str] = []
                    _walk_odf(cell, parts, textns, tablens)
                    cells.append(" ".join(p.strip() for p in parts if p.strip()))
            lines.append("\t".join(cells).rstrip("\t"))
        elif qname is not None and qname[1] not in ("tracked-changes", "sequence-decls", "variable-decls"):
            _walk_odf(child, lines, textns, tablens)


def _odf_text(element: Any, textns: str) -> str:
    """A paragraph's text with ODF's space, tab and line-break elements expanded."""
    parts: list[str] = []
    for node in element.childNodes:
        if node.nodeType == node.TEXT_NODE:
            parts.append(str(node.data))
            continue
        qname = getattr(node, "qname", None)
        if qname == (textns, "s"):
            parts.append(" " * int(node.getAttrNS(textns, "c") or 1))
        elif qname == (textns, "tab"):
            parts.append("\t")
        elif qname == (textns, "line-break"):
            parts.append("\n")
        elif qname in ((textns, "note"), (textns, "annotation")) or (qname and qname[1] == "annotation"):
            continue
        else:
            parts.append(_odf_text(node, textns))
    return "".join(parts)
