"""Parts of other tools' files QualCode has no model for: sets, codes without colours, codings
of sources it cannot import. Each is kept, made usable, or counted, never silently lost."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree
from sqlalchemy import select

from qualcode.services import memos
from qualcode.services.codebook.nodes import LEVEL_COLORS
from qualcode.services.exchange import refi as exchange
from qualcode.store import models as m
from qualcode.store.project import Project
from tests.exchange.refi_fixtures import QdpxBuilder

NS = {"q": "urn:QDA-XML:project:1.0"}
TEXT = "We met at the clinic. The nurse was kind. It rained all day."


def _g(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


def _file(qdpx: QdpxBuilder, codes: int = 3, missing_source: bool = False) -> Path:
    code_xml = "".join(f'<Code guid="{_g(100 + n)}" name="Code {n}" isCodable="true"/>' for n in range(codes))
    kind = TEXT.index("kind")
    lost = (f'<TextSource guid="{_g(3)}" name="Lost interview" plainTextPath="internal://{_g(3)}.txt">'
            + "".join(f'<PlainTextSelection guid="{_g(400 + n)}" startPosition="0" endPosition="4">'
                      f'<Coding guid="{_g(500 + n)}"><CodeRef targetGUID="{_g(100 + n)}"/></Coding>'
                      "</PlainTextSelection>" for n in range(3))
            + "</TextSource>") if missing_source else ""
    xml = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Groups" origin="MAXQDA 24 (Release 24.7.0)">
  <CodeBook><Codes>{code_xml}</Codes></CodeBook>
  <Sources>
    <TextSource guid="{_g(2)}" name="Clinic visit" plainTextPath="internal://{_g(2)}.txt">
      <PlainTextSelection guid="{_g(300)}" startPosition="{kind}" endPosition="{kind + 4}">
        <Coding guid="{_g(301)}"><CodeRef targetGUID="{_g(100)}"/></Coding></PlainTextSelection>
    </TextSource>{lost}
  </Sources>
  <Notes><Note guid="{_g(7)}" name="Reading notes" creationDateTime="2024-01-02T03:04:05Z">
    <PlainTextContent>Read twice.</PlainTextContent></Note></Notes>
  <Sets>
    <Set guid="{_g(9)}" name="Wave 1"><Description>First wave of interviews</Description>
      <MemberCode targetGUID="{_g(101)}"/><MemberSource targetGUID="{_g(2)}"/><MemberNote targetGUID="{_g(7)}"/>
    </Set>
  </Sets>
</Project>"""
    return qdpx.write("groups.qdpx", xml, {f"sources/{_g(2)}.txt": TEXT.encode()})


def test_a_set_is_kept_as_a_memo_and_exported_again_as_the_same_set(qdpx: QdpxBuilder, tmp_path: Path) -> None:
    report = exchange.import_qdpx_as_new_project(_file(qdpx), tmp_path / "groups.qualcode")
    assert [d.message for d in report.deviations if d.kind == "set"] == [
        "has no equivalent in QualCode; kept as the project memo 'Set: Wave 1' and exported again as a set"]
    with Project.open(report.path) as project:
        with project.session() as s:
            memo = s.scalars(select(m.Memo).where(m.Memo.title == "Set: Wave 1")).one()
            assert memo.text == ("First wave of interviews\n\nCode: Code 1\nSource: Clinic visit\n"
                                 "Note: Reading notes")
            # the researcher edits the set as text: one more code
            memos.update_memo(s, memo_id=memo.id, text=memo.text + "\nCode: Code 2")
        with project.session() as s:
            again = exchange.export_qdpx(s, path=tmp_path / "again.qdpx")
    with zipfile.ZipFile(again.path) as archive:
        root = etree.fromstring(archive.read("project.qde"))
    (group,) = root.findall(".//q:Set[@name='Wave 1']", NS)
    assert group.get("guid") == _g(9)
    assert group.findtext("q:Description", namespaces=NS) == "First wave of interviews"
    assert [e.get("targetGUID") for e in group.findall("q:MemberCode", NS)] == [_g(101), _g(102)]
    assert [e.get("targetGUID") for e in group.findall("q:MemberSource", NS)] == [_g(2)]
    assert [e.get("targetGUID") for e in group.findall("q:MemberNote", NS)] == [_g(7)]
    # the set is not also written as a note
    assert not root.findall(".//q:Note[@name='Set: Wave 1']", NS)


def test_codes_without_a_colour_get_distinct_colours(qdpx: QdpxBuilder, tmp_path: Path) -> None:
    report = exchange.import_qdpx_as_new_project(_file(qdpx, codes=60), tmp_path / "colours.qualcode")
    with Project.open(report.path) as project, project.session() as s:
        colours = [n.color for n in s.scalars(select(m.Node))]
    assert len(colours) == 60 and len(set(colours)) == 60
    assert not set(colours) & set(LEVEL_COLORS.values())


def test_codings_of_a_source_that_cannot_be_imported_are_counted_and_listed(qdpx: QdpxBuilder,
                                                                             tmp_path: Path) -> None:
    report = exchange.import_qdpx_as_new_project(_file(qdpx, missing_source=True), tmp_path / "lost.qualcode")
    assert report.counts["codings"] == 1 and report.counts["codings_not_imported"] == 3
    assert "3 codings not imported" in report.summary()
    (line,) = [str(d) for d in report.deviations if d.kind == "codings-dropped"]
    assert line == ("3 coding(s) were not imported because their source was not: source 'Lost interview': 3 "
                    "(its text is missing)")
