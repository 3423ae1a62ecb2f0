"""Write a codebook as a REFI-QDA codebook exchange file (.qdc, Codebook-mrt2019.xsd)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from qualcode.io.refi.errors import ExchangeFileError
from qualcode.io.refi.export_project import ExportResult, make_shareable, write_codes
from qualcode.io.refi.model import Deviation, NodeData
from qualcode.io.refi.schemas import CODEBOOK_NS, CODEBOOK_SCHEMA_LOCATION, XSI_NS, schema_errors
from qualcode.io.refi.xmltext import ElementMaker


def codebook_xml(nodes: list[NodeData], *, origin: str) -> tuple[bytes, list[Deviation]]:
    """The .qdc XML for these nodes (tree order), validated, and what could not be kept."""
    from lxml import etree

    if not nodes:
        raise ExchangeFileError("The project has no codes or themes, so there is no codebook to export.")
    e = ElementMaker(CODEBOOK_NS)
    deviations: list[Deviation] = []
    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", nsmap={None: CODEBOOK_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", CODEBOOK_SCHEMA_LOCATION)
    root.set("origin", origin)
    write_codes(e, e.sub(root, "Codes"), nodes, deviations)
    for where in dict.fromkeys(e.replaced):
        deviations.append(Deviation("xml-character", "characters XML cannot hold were replaced by �", where))
    errors = schema_errors(root, "codebook")
    if errors:
        raise ExchangeFileError(
            "QualCode built a codebook that does not follow the REFI-QDA schema, so nothing was written "
            f"({errors[0]}). Please report this."
        )
    return etree.tostring(root, xml_declaration=True, encoding="utf-8"), deviations


def write_qdc(nodes: list[NodeData], path: Path, *, origin: str) -> ExportResult:
    """Write the codebook to `path` (replaced only when everything succeeded)."""
    xml, deviations = codebook_xml(nodes, origin=origin)
    write_file_atomically(path, xml)
    return ExportResult(path, tuple(deviations), {"codes": len(nodes)})


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
