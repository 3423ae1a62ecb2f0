"""Write a codebook as a REFI-QDA codebook exchange file (.qdc, Codebook-mrt2019.xsd)."""

from __future__ import annotations

from pathlib import Path

from qualcode.io.refi import conventions as cv
from qualcode.io.refi.errors import ExchangeFileError
from qualcode.io.refi.model import Deviation, MemoData, NodeData
from qualcode.io.refi.schemas import CODEBOOK_NS, CODEBOOK_SCHEMA_LOCATION, XSI_NS, schema_errors
from qualcode.io.refi.writing import ExportResult, write_codes, write_file_atomically
from qualcode.io.refi.xmltext import ElementMaker


def codebook_xml(nodes: list[NodeData], *, origin: str, sets: list[MemoData] | None = None
                 ) -> tuple[bytes, list[Deviation]]:
    """The .qdc XML for these nodes (tree order), validated, and what could not be kept.

    `sets`: project memos that keep sets (see `conventions`); those listing codes are
    written as the codebook's Sets, their codes found by name.
    """
    from lxml import etree

    if not nodes:
        raise ExchangeFileError("The project has no codes or themes, so there is no codebook to export.")
    e = ElementMaker(CODEBOOK_NS)
    deviations: list[Deviation] = []
    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", nsmap={None: CODEBOOK_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", CODEBOOK_SCHEMA_LOCATION)
    root.set("origin", origin)
    write_codes(e, e.sub(root, "Codes"), nodes, deviations)
    _write_sets(e, root, nodes, sets or [], deviations)
    for where in dict.fromkeys(e.replaced):
        deviations.append(Deviation("xml-character", "characters XML cannot hold were replaced by �", where))
    errors = schema_errors(root, "codebook")
    if errors:
        raise ExchangeFileError(
            "QualCode built a codebook that does not follow the REFI-QDA schema, so nothing was written "
            f"({errors[0]}). Please report this."
        )
    return etree.tostring(root, xml_declaration=True, encoding="utf-8"), deviations


def _write_sets(e: ElementMaker, root: object, nodes: list[NodeData], sets: list[MemoData],
                deviations: list[Deviation]) -> None:
    by_name: dict[str, list[str]] = {}
    for node in nodes:
        by_name.setdefault(node.name, []).append(node.uid)
    planned = []
    for memo in sets:
        parsed = cv.parse_set_memo(memo.title, memo.text)
        if parsed is None or not any(kind == "Code" for kind, _ in parsed[2]):
            continue
        name, description, members = parsed
        codes = [uid for kind, member in members if kind == "Code" for uid in by_name.get(member, [])]
        missing = [member for kind, member in members if kind == "Code" and member not in by_name]
        if missing:
            deviations.append(Deviation("set-member", "lists codes the project does not hold, left out: "
                                        + ", ".join(f"'{m}'" for m in missing), f"set '{name}'"))
        planned.append((memo.uid, name, description, list(dict.fromkeys(codes))))
    if not planned:
        return
    element = e.sub(root, "Sets")
    for uid, name, description, codes in planned:
        group = e.sub(element, "Set", {"guid": cv.guid_out(uid), "name": name})
        if description:
            e.sub(group, "Description", text=description, where=f"set '{name}'")
        for code in codes:
            e.sub(group, "MemberCode", {"guid": cv.guid_out(code)})  # codebook sets name members by `guid`


def write_qdc(nodes: list[NodeData], path: Path, *, origin: str, sets: list[MemoData] | None = None) -> ExportResult:
    """Write the codebook to `path` (replaced only when everything succeeded)."""
    xml, deviations = codebook_xml(nodes, origin=origin, sets=sets)
    write_file_atomically(path, xml)
    return ExportResult(path, tuple(deviations), {"codes": len(nodes)})
