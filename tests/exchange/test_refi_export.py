"""What an exported .qdpx/.qdc contains, checked against the REFI-QDA schemas and the text."""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

import pytest
import xmlschema
from sqlalchemy.orm import Session

from qualcode.domain.errors import CancelledError
from qualcode.domain.progress import RecordingProgress
from qualcode.io.refi.schemas import schema_path
from qualcode.services.exchange import refi as exchange
from qualcode.store.project import Project
from tests.exchange.refi_fixtures import TEXTS

NS = {"q": "urn:QDA-XML:project:1.0"}


def _export(project: Project, tmp_path: Path) -> tuple[Path, zipfile.ZipFile]:
    with project.session() as s:
        report = exchange.export_qdpx(s, path=tmp_path / "out")
    return report.path, zipfile.ZipFile(report.path)


def test_exported_project_validates_against_the_project_schema(rich_project: Project, tmp_path: Path) -> None:
    path, archive = _export(rich_project, tmp_path)
    assert path.name == "out.qdpx"
    mask = os.umask(0)
    os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask  # permissions like any newly written file
    schema = xmlschema.XMLSchema(str(schema_path("project")))
    xml = archive.read("project.qde")
    schema.validate(xml.decode("utf-8"))  # raises on the first violation
    assert xml.startswith(b"<?xml version='1.0' encoding='utf-8'?>")


def test_archive_layout_follows_the_standard(rich_project: Project, tmp_path: Path) -> None:
    _, archive = _export(rich_project, tmp_path)
    names = archive.namelist()
    assert names[0] == "project.qde"
    sources = [n for n in names if n != "project.qde"]
    journal = len(re.findall(r"<Note [^>]*plainTextPath=", archive.read("project.qde").decode()))
    assert len(sources) == len(TEXTS) + journal and journal == 2  # the texts, and each journal entry's text
    for name in sources:
        assert re.fullmatch(r"sources/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.txt", name)
        raw = archive.read(name)
        assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw
    xml = archive.read("project.qde").decode()
    for guid in re.findall(r'guid="([^"]+)"', xml):
        assert guid == guid.lower() and not guid.startswith("{")


def test_positions_are_code_points_into_the_exported_text(rich_project: Project, tmp_path: Path) -> None:
    from lxml import etree

    _, archive = _export(rich_project, tmp_path)
    root = etree.fromstring(archive.read("project.qde"))
    checked = 0
    for source in root.iterfind(".//q:TextSource", NS):
        path = source.get("plainTextPath")
        assert path.startswith("internal://") and source.get("richTextPath") is None
        text = archive.read("sources/" + path.removeprefix("internal://")).decode("utf-8")
        assert text in TEXTS.values()
        for selection in source.iterfind("q:PlainTextSelection", NS):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            assert 0 <= start < end <= len(text)
            quoted = " ".join(text[start:end].split())
            if selection.find("q:Coding", NS) is None:  # a CMO evidence passage
                assert selection.find("q:NoteRef", NS) is not None
                continue
            assert selection.get("name") == (quoted if len(quoted) <= 60 else quoted[:59] + "…")
            checked += 1
    assert checked == 11  # one selection per coding: eleven codings, one passage coded three times
    # the passage coded three times is three selections, each with one Coding by the selection's coder
    shared = root.findall(".//q:PlainTextSelection[@name='called me twice']", NS)
    assert len(shared) == 3
    for selection in shared:
        (coding,) = selection.findall("q:Coding", NS)
        assert coding.get("creatingUser") == selection.get("creatingUser")


def test_qualcode_conventions_are_visible_to_other_tools(rich_project: Project, tmp_path: Path) -> None:
    from lxml import etree

    _, archive = _export(rich_project, tmp_path)
    root = etree.fromstring(archive.read("project.qde"))
    descriptions = {c.get("name"): c.findtext("q:Description", namespaces=NS) for c in root.iter("{*}Code")}
    assert descriptions["Belonging 🏠"] == "Level: Global theme\n\nDefinition:\nGlobal theme\nwith two lines"
    assert descriptions["Trust & safety"].startswith("Level: Organising theme\nOrigin: deductive\n\nDefinition:\n")
    assert "\\Definition:" in descriptions["Trust & safety"]
    notes = {n.get("name"): n for n in root.iterfind(".//q:Note", NS)}
    cmo = notes["CMO configuration: Enrolment 1 🚪"]
    body = cmo.findtext("q:PlainTextContent", namespaces=NS)
    assert "Concept: Enrolment" in body and "C: Nurse phones new patients 📞" in body and "O: Stays a year" in body
    assert cmo.findtext("q:Description", namespaces=NS).startswith('{"components"')
    sets = {s.get("name") for s in root.iterfind(".//q:Set", NS)}
    assert {"Interviews", "Follow-up interviews", "Field notes", "Reflexive journal", "CMO concept: Enrolment",
            "CMO configuration: Enrolment 1 🚪"} <= sets
    assert notes["Exemplar quote"].findtext("q:PlainTextContent", namespaces=NS) in ("", None)
    assert root.findtext("q:Description", namespaces=NS) == "Reflexive thematic analysis\n— with realist CMOs"


def test_codebook_export_validates_against_the_codebook_schema(rich_project: Project, tmp_path: Path) -> None:
    with rich_project.session() as s:
        report = exchange.export_qdc(s, path=tmp_path / "codes")
    assert report.path.name == "codes.qdc" and report.counts == {"codes": 9}
    schema = xmlschema.XMLSchema(str(schema_path("codebook")))
    schema.validate(report.path.read_text(encoding="utf-8"))
    xml = report.path.read_text(encoding="utf-8")
    assert 'xmlns="urn:QDA-XML:codebook:1.0"' in xml and "NoteRef" not in xml


def test_empty_project_exports_a_valid_file_and_refuses_an_empty_codebook(project: Project, tmp_path: Path) -> None:
    with project.session() as s:
        report = exchange.export_qdpx(s, path=tmp_path / "empty.qdpx")
        with zipfile.ZipFile(report.path) as archive:
            xmlschema.XMLSchema(str(schema_path("project"))).validate(archive.read("project.qde").decode())
        with pytest.raises(exchange.ExchangeFileError, match="no codes"):
            exchange.export_qdc(s, path=tmp_path / "empty.qdc")
    assert not (tmp_path / "empty.qdc").exists()


def test_cancelled_export_leaves_no_file(rich_project: Project, tmp_path: Path) -> None:
    target = tmp_path / "out.qdpx"
    target.write_bytes(b"previous export")
    with rich_project.session() as s, pytest.raises(CancelledError):
        exchange.export_qdpx(s, path=target, progress=RecordingProgress(cancel_after=2))
    assert target.read_bytes() == b"previous export"
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_export_reports_texts_nvivo_would_shift(rich_project: Project, tmp_path: Path) -> None:
    with rich_project.session() as s:
        report = exchange.export_qdpx(s, path=tmp_path / "out.qdpx")
    shifted = [d.where for d in report.deviations if d.kind == "non-bmp-text"]
    assert sorted(shifted) == sorted(f"source '{name}'" for name in TEXTS)


def test_characters_xml_cannot_hold_are_replaced_and_reported(project: Project, tmp_path: Path) -> None:
    from qualcode.services import memos

    with project.session() as s:
        memos.add_memo(s, target_type="project", title="bell\x07", text="form\x0cfeed")
        report = exchange.export_qdpx(s, path=tmp_path / "out.qdpx")
    assert [d.kind for d in report.deviations] == ["xml-character"]
    with zipfile.ZipFile(report.path) as archive:
        xml = archive.read("project.qde").decode()
    assert "bell\ufffd" in xml and "form\ufffdfeed" in xml


def test_selection_names_flatten_the_passage_however_its_whitespace_falls(project: Project, tmp_path: Path) -> None:
    from lxml import etree

    from qualcode.services import coders, documents
    from qualcode.services.codebook import nodes
    from qualcode.services.coding import codings

    passages = {
        "spread": "\n\n" + " \t \n" * 60 + "It started   when the\nnurse called " + "and called " * 20,
        "short": "Waiting\n\n\n" + " " * 150 + "   lists\n",
        "exact": "x" * 60 + "\n" * 90,
        "long": "word " * 30,
    }
    text = "".join(passages.values())
    with project.session() as s:
        coder = coders.add_coder(s, name="Ana").result
        document = documents.add_document(s, name="Whitespace", text=text).result
        node = nodes.create_node(s, name="Passage").result
        start = 0
        for passage in passages.values():
            codings.apply_code(s, document_id=document, start=start, end=start + len(passage), node_id=node,
                               coder_id=coder)
            start += len(passage)
    _, archive = _export(project, tmp_path)
    root = etree.fromstring(archive.read("project.qde"))
    names = [selection.get("name") for selection in root.iterfind(".//q:PlainTextSelection", NS)]
    assert names == [
        "It started when the nurse called and called and called and …",
        "Waiting lists",
        "x" * 60,
        "word word word word word word word word word word word word…",
    ]


def _code_all_of(session: Session, name: str, text: str, memo: str) -> None:
    """A document of `text` coded whole by Ana, the coding with `memo`."""
    from qualcode.services import coders, documents
    from qualcode.services.codebook import nodes
    from qualcode.services.coding import codings

    coder = coders.add_coder(session, name="Ana").result
    document = documents.add_document(session, name=name, text=text).result
    node = nodes.create_node(session, name="Quote").result
    coding = codings.apply_code(session, document_id=document, start=0, end=len(text), node_id=node,
                                coder_id=coder).result
    codings.update_coding(session, coding_id=coding, memo=memo)


def test_selections_keep_markup_characters_in_names_and_memos(project: Project, tmp_path: Path) -> None:
    from lxml import etree

    text = 'She said "A & B <are> fine" \'twice\'\nthen left.'
    memo = 'Quote: "x < y && y > z"\r\n\ttabbed ]]> end'
    with project.session() as s:
        _code_all_of(s, "Markup", text, memo)
    _, archive = _export(project, tmp_path)
    root = etree.fromstring(archive.read("project.qde"))
    (selection,) = root.iterfind(".//q:PlainTextSelection", NS)
    assert selection.get("name") == 'She said "A & B <are> fine" \'twice\' then left.'
    assert selection.findtext("q:Description", namespaces=NS) == memo
    assert selection.find("q:Coding/q:CodeRef", NS) is not None


def test_selection_names_and_coding_memos_replace_characters_xml_cannot_hold(project: Project, tmp_path: Path) -> None:
    from lxml import etree

    text = "Page one\x01page two"
    with project.session() as s:
        _code_all_of(s, "Scanned", text, "see\x07here")
        report = exchange.export_qdpx(s, path=tmp_path / "out.qdpx")
    # the memo is written twice: as the selection's description and as the coding's note
    assert [(d.kind, d.where) for d in report.deviations] == [("xml-character", "source 'Scanned'"),
                                                             ("xml-character", "note 'Memo'")]
    root = etree.fromstring(zipfile.ZipFile(report.path).read("project.qde"))
    (selection,) = root.iterfind(".//q:PlainTextSelection", NS)
    assert selection.get("name") == "Page one\ufffdpage two"
    assert selection.findtext("q:Description", namespaces=NS) == "see\ufffdhere"
    with zipfile.ZipFile(report.path) as archive:
        assert archive.read(f"sources/{selection.getparent().get('guid')}.txt").decode() == text
