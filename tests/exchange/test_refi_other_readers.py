"""QualCode's REFI-QDA files as other tools read them, and other tools' files as QualCode reads them.

- pyqdpx (PyPI) is a real, independent reader: it must find every code, source and coding
  of a QualCode export.
- QualCoder is a desktop application (PyQt6, not installable as a library here), so its
  importer's rules are applied to the exported XML as its refi.py states them: a note needs
  a creation or modification date, the coder of a coding is the selection's creatingUser,
  a selection's Description is the coding memo, and a named note with a plainTextPath is a
  journal entry whose text is read from that file.
- QualCoder's own files, with its "line endings for MAXQDA" option (CRLF text, positions
  counted with LF), must land on the right words.
"""

from __future__ import annotations

import zipfile
from collections import Counter
from pathlib import Path

from lxml import etree
from sqlalchemy import select

from qualcode.services.exchange import refi as exchange
from qualcode.store import models as m
from qualcode.store.project import Project
from tests.exchange.refi_fixtures import QdpxBuilder

NS = {"q": "urn:QDA-XML:project:1.0"}


def _export(project: Project, tmp_path: Path) -> tuple[exchange.ExchangeReport, etree._Element]:
    with project.session() as s:
        report = exchange.export_qdpx(s, path=tmp_path / "ours.qdpx")
    with zipfile.ZipFile(report.path) as archive:
        return report, etree.fromstring(archive.read("project.qde"))


def _ours(project: Project) -> dict[str, tuple[str, int, int, str, str, str]]:
    """Every coding: uid -> (document uid, start, end, node uid, coder uid, memo)."""
    with project.session() as s:
        documents = {d.id: d.uid for d in s.scalars(select(m.Document))}
        nodes = {n.id: n.uid for n in s.scalars(select(m.Node))}
        coders = {c.id: c.uid for c in s.scalars(select(m.Coder))}
        return {c.uid: (documents[c.document_id], c.start, c.end, nodes[c.node_id], coders[c.coder_id], c.memo)
                for c in s.scalars(select(m.Coding))}


# -- pyqdpx ---------------------------------------------------------------------------------------


def test_pyqdpx_finds_every_code_source_and_coding(rich_project: Project, tmp_path: Path) -> None:
    from pyqdpx import QDPX

    report, _ = _export(rich_project, tmp_path)
    qde = QDPX(str(report.path)).get_project()
    assert qde is not None
    with rich_project.session() as s:
        node_uids = {n.uid for n in s.scalars(select(m.Node))}
        texts = {d.uid: d.text for d in s.scalars(select(m.Document))}
        coder_names = {c.uid: c.name for c in s.scalars(select(m.Coder))}
    assert set(qde.codes) == node_uids
    assert set(qde.sources) == set(texts)
    found = {}
    for guid, source in qde.sources.items():
        # pyqdpx reads positions as NVivo's UTF-16 units, marking each character beyond U+FFFF
        # with a zero-width space; without those marks it holds exactly QualCode's text
        assert source.text_content.replace("\u200b", "") == texts[guid]
        for selection in source.coded_selections.values():
            coding = selection._xml_tag.find("Coding")  # one Coding per selection: the one pyqdpx reads
            found[coding["guid"]] = (guid, selection.start, selection.end, selection.code.guid,
                                     selection.user.guid)
            assert selection.user.name == coder_names[selection.user.guid]
    assert found == {uid: c[:5] for uid, c in _ours(rich_project).items()}
    # QualCode tells the user that NVivo-style readers shift codings after emoji
    assert {d.kind for d in report.deviations} >= {"non-bmp-text"}


# -- what QualCoder's importer needs ---------------------------------------------------------------


def _qualcoder_reads(root: etree._Element, archive: zipfile.ZipFile) -> tuple[Counter[tuple], dict[str, str]]:
    """The codings and journal entries QualCoder's importer takes from a file (its refi.py rules)."""
    users = {u.get("guid"): u.get("name") for u in root.iterfind("q:Users/q:User", NS)}
    codings: Counter[tuple] = Counter()
    annotations = set()
    for source in root.iterfind("q:Sources/q:TextSource", NS):
        annotations |= {r.get("targetGUID") for r in source.iterfind("q:NoteRef", NS)}
        for selection in source.iterfind("q:PlainTextSelection", NS):
            owner = users.get(selection.get("creatingUser"), "default")  # the selection's user codes it
            memo = selection.findtext("q:Description", default="", namespaces=NS)
            for coding in selection.iterfind("q:Coding", NS):
                code = coding.find("q:CodeRef", NS).get("targetGUID")
                # code_text is unique on (cid, fid, pos0, pos1, owner): a repeat is dropped
                codings[(code, source.get("guid"), int(selection.get("startPosition")),
                         int(selection.get("endPosition")), owner, memo)] = 1
    journal = {}
    for note in root.iterfind("q:Notes/q:Note", NS):
        date = note.get("creationDateTime") or note.get("modifiedDateTime")
        date.replace("T", " ")  # QualCoder does this unconditionally: a note without a date stops the import
        if note.get("plainTextPath") is not None and note.get("guid") not in annotations and note.get("name") != "":
            path = note.get("plainTextPath").split("internal:/")[1]
            journal[note.get("name")] = archive.read("sources" + path).decode("utf-8")
    return codings, journal


def test_export_follows_what_qualcoders_importer_needs(rich_project: Project, tmp_path: Path) -> None:
    report, root = _export(rich_project, tmp_path)
    notes = root.findall("q:Notes/q:Note", NS)
    assert notes and all(n.get("creationDateTime") and n.get("modifiedDateTime") for n in notes)
    assert root.find(".//q:Note[@name='QualCode project data']", NS).get("creationDateTime")
    # one selection per coding, so one coder per selection
    for selection in root.iterfind(".//q:PlainTextSelection", NS):
        found = selection.findall("q:Coding", NS)
        assert len(found) <= 1
        if found:
            assert found[0].get("creatingUser") == selection.get("creatingUser")

    ours = _ours(rich_project)
    with zipfile.ZipFile(report.path) as archive:
        codings, journal = _qualcoder_reads(root, archive)
    with rich_project.session() as s:
        coder_names = {c.uid: c.name for c in s.scalars(select(m.Coder))}
        entries = {(e.title, e.text) for e in s.scalars(select(m.JournalEntry))}
    # every coding arrives, with its coder and its memo (the selection's Description)
    assert codings == Counter({(node, doc, start, end, coder_names[coder], memo): 1
                               for doc, start, end, node, coder, memo in ours.values()})
    assert any(memo for *_, memo in codings)
    # the "called me twice" passage coded by three coders (two with the same code) keeps all three
    assert len({key[4] for key in codings if key[2:4] == next(
        (c[1], c[2]) for c in ours.values() if c[5].startswith("First call"))}) == 3
    # journal entries reach it as journal entries, and nothing else does
    assert set(journal.values()) == {text for _, text in entries}
    assert "Day 1" in journal and len(journal) == len(entries)


# -- QualCoder's files ----------------------------------------------------------------------------

QUALCODER_LINES = [f"Speaker {n % 3 + 1}: On day {n} the clinic phoned {'early' if n % 2 else 'late'} "
                   f"and we talked about worry number {n}." for n in range(50)]


def _qualcoder_file(qdpx: QdpxBuilder, origin: str, crlf: bool) -> tuple[Path, dict[str, str]]:
    """A QualCoder export: text files written as utf-8-sig (with a BOM), and with its MAXQDA line-ending
    option CRLF text whose positions are still counted with LF."""
    lf_text = "\n".join(QUALCODER_LINES) + "\n"
    file_text = lf_text.replace("\n", "\r\n") if crlf else lf_text
    wanted = {}
    selections = []
    for n, line in enumerate(QUALCODER_LINES):
        fragment = f"worry number {n}"
        start = lf_text.index(line) + line.index(fragment)
        guid = f"0000{n:04d}-0000-4000-8000-00000000c0de"
        wanted[guid] = fragment
        selections.append(
            f'<PlainTextSelection guid="0000{n:04d}-0000-4000-8000-000000005e1e" name="line:{n}" '
            f'startPosition="{start}" endPosition="{start + len(fragment)}" creatingUser="{USER}" '
            f'creationDateTime="2024-02-01T10:00:00Z"><Description/><Coding guid="{guid}" creatingUser="{USER}">'
            f'<CodeRef targetGUID="{CODE}"/></Coding></PlainTextSelection>')
    xml = (f'<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" name="Clinic" '
           f'origin="{origin}"><Users><User guid="{USER}" name="colin"/></Users>'
           f'<CodeBook><Codes><Code guid="{CODE}" name="Worry" isCodable="true" color="#F0A0A0"/></Codes></CodeBook>'
           f'<Sources><TextSource guid="{SOURCE}" name="clinic.txt" plainTextPath="internal://{SOURCE}.txt">'
           + "".join(selections) + "</TextSource></Sources></Project>")
    return qdpx.write("qualcoder.qdpx", xml, {f"sources/{SOURCE}.txt": file_text.encode("utf-8-sig")}), wanted


USER = "6a3e1c1e-0000-4000-8000-000000000001"
CODE = "6a3e1c1e-0000-4000-8000-000000000002"
SOURCE = "6a3e1c1e-0000-4000-8000-000000000003"


def _landed(qdpx: QdpxBuilder, tmp_path: Path, origin: str, crlf: bool) -> tuple[exchange.ExchangeReport, int, int]:
    path, wanted = _qualcoder_file(qdpx, origin, crlf)
    report = exchange.import_qdpx_as_new_project(path, tmp_path / f"{origin}.qualcode".replace(" ", "_"))
    with Project.open(report.path) as project, project.session() as s:
        text = s.scalars(select(m.Document.text)).one()
        quotes = {c.uid: text[c.start:c.end] for c in s.scalars(select(m.Coding))}
    return report, sum(quotes[g] == fragment for g, fragment in wanted.items()), len(quotes)


def test_qualcoder_file_with_crlf_text_and_lf_positions_lands_on_the_right_words(qdpx: QdpxBuilder,
                                                                                tmp_path: Path) -> None:
    report, right, total = _landed(qdpx, tmp_path, "QualCoder 3.6", crlf=True)
    assert (right, total) == (50, 50)
    assert report.counting == "code points, each CRLF counted once"
    (note,) = [d.message for d in report.deviations if d.kind == "position-unit"]
    assert "'QualCoder 3.6' is not one whose counting QualCode knows" in note
    assert "100 of 100 selection ends" in note


def test_qualcoder_file_with_lf_text_is_read_as_code_points(qdpx: QdpxBuilder, tmp_path: Path) -> None:
    report, right, total = _landed(qdpx, tmp_path, "Qualcoder-1.4", crlf=False)
    assert (right, total) == (50, 50)
    assert report.counting == "code points"
    assert "position-unit" not in {d.kind for d in report.deviations}


def test_a_known_producers_convention_gives_way_to_the_data_and_says_so(qdpx: QdpxBuilder, tmp_path: Path) -> None:
    # a file claiming QualCode's origin, but rewritten with CRLF by another tool
    report, right, total = _landed(qdpx, tmp_path, "QualCode 0.9.0", crlf=True)
    assert (right, total) == (50, 50)
    (note,) = [d.message for d in report.deviations if d.kind == "position-unit"]
    assert "whose convention is code points, but its selections fit word boundaries far better" in note
