"""Write a codebook as a REFI-QDA codebook exchange file (.qdc, Codebook-mrt2019.xsd)."""

from __future__ import annotations

from pathlib import Path

from qualcode.io.refi.errors import ExchangeFileError
from qualcode.io.refi.model import Deviation, NodeData
from qualcode.io.refi.schemas import CODEBOOK_NS, CODEBOOK_SCHEMA_LOCATION, XSI_NS, schema_errors
from qualcode.io.refi.writing import ExportResult, write_codes, write_file_atomically
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
