"""Read a REFI-QDA codebook exchange file (.qdc) into nodes with theme levels.

Codebook Sets (groups of codes) have no QualCode equivalent and are kept as project memos.
"""

from __future__ import annotations

from pathlib import Path

from qualcode.io.refi import conventions as cv
from qualcode.io.refi.errors import ExchangeFileError
from qualcode.io.refi.import_codes import read_codes
from qualcode.io.refi.import_project import SCHEMA_REPORT_LIMIT, ImportedProject
from qualcode.io.refi.model import MemoData, ProjectData
from qualcode.io.refi.reading import Guids, Report, grandkids, kid, kids, local, namespace, text_of
from qualcode.io.refi.safety import ZIP_MAGIC, parse_xml, read_limited
from qualcode.io.refi.schemas import CODEBOOK_NS, validate_bytes

MAX_CODEBOOK_BYTES = 256 * 2**20


def read_qdc(path: Path) -> ImportedProject:
    """The codes of a .qdc as project data (nodes, and memos for code sets)."""
    xml = read_limited(path, MAX_CODEBOOK_BYTES, f"'{path.name}'")
    if xml.startswith(ZIP_MAGIC):
        raise ExchangeFileError(f"'{path.name}' is a REFI-QDA project (.qdpx), not a codebook: import it as a "
                                "project (import qdpx).")
    root = parse_xml(xml, f"'{path.name}'")
    report = Report()
    name = local(root.tag)
    if name == "Project":
        raise ExchangeFileError(f"'{path.name}' is a REFI-QDA project, not a codebook: import it as a project "
                                "(.qdpx, import qdpx).")
    if name != "CodeBook":
        raise ExchangeFileError(f"'{path.name}' is not a REFI-QDA codebook (its root is <{name}>, not <CodeBook>).")
    ns = namespace(root)
    if ns != CODEBOOK_NS:
        report.add("namespace", f"the XML namespace is '{ns or 'none'}', not '{CODEBOOK_NS}'; read by element names")
    else:
        errors = validate_bytes(xml, "codebook", limit=SCHEMA_REPORT_LIMIT + 1)
        for error in errors[:SCHEMA_REPORT_LIMIT]:
            report.add("schema", f"does not follow the REFI-QDA schema: {error}", path.name)
    guids = Guids(report)
    tree = read_codes(kid(root, "Codes"), guids, report)
    if not tree.nodes:
        raise ExchangeFileError(f"'{path.name}' holds no codes.")
    names = {node.uid: node.name for node in tree.nodes}
    memos: list[MemoData] = []
    for element in grandkids(root, "Sets", "Set"):
        set_name = element.get("name") or "Unnamed set"
        members = [guids.canonical(m.get("guid") or m.get("targetGUID")) or "" for m in kids(element, "MemberCode")]
        description = text_of(element, "Description") or ""
        set_guid = guids.canonical(element.get("guid"))
        memos.append(MemoData(set_guid or cv.derived_guid("codebook-set", set_name), "project", "",
                              cv.SET_MEMO_PREFIX + set_name,
                              cv.render_set_memo(description, [("Code", names.get(uid, uid)) for uid in members])))
        report.add("set", f"is a set of codes; kept as the project memo 'Set: {set_name}' and exported again as a "
                          "set", f"set '{set_name}'")
    guids.summarise()
    return ImportedProject(ProjectData(nodes=tree.nodes, memos=memos), report.deviations, root.get("origin") or "", "")
