"""Importing .qdpx files written the way NVivo, ATLAS.ti, MAXQDA and others write them."""

from __future__ import annotations

from pathlib import Path

from qualcode.services import memos
from qualcode.services.cases import cases
from qualcode.services.codebook.nodes import find_node, list_nodes
from qualcode.services.coders import list_coders
from qualcode.services.coding.codings import codings_of_node
from qualcode.services.documents import document_text, list_documents
from qualcode.services.exchange import refi as exchange
from qualcode.store.project import Project
from tests.exchange.refi_fixtures import QdpxBuilder


def u16(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


def quote_positions(text: str, fragment: str, *, utf16: bool = False, crlf_as_one: bool = False) -> tuple[int, int]:
    """Where a tool that counts this way puts a selection of `fragment` in `text` (the file's text)."""
    counted = text.replace("\r\n", "\n") if crlf_as_one else text
    start = counted.index(fragment)
    end = start + len(fragment)
    return (u16(counted, start), u16(counted, end)) if utf16 else (start, end)


def import_new(path: Path, tmp_path: Path) -> tuple[exchange.ExchangeReport, Project]:
    report = exchange.import_qdpx_as_new_project(path, tmp_path / "imported.qualcode", coder_name="Importer")
    return report, Project.open(report.path)


def kinds(report: exchange.ExchangeReport) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for deviation in report.deviations:
        found.setdefault(deviation.kind, []).append(str(deviation))
    return found


# -- NVivo for Windows ---------------------------------------------------------------------------

NVIVO_TEXT = ("Interviewer: How was it?\r\nParticipant: Honestly 🤣🤣🤣 it was great.\r\n"
              "Participant: The nurse 👩‍⚕️ called twice, which helped.\r\nInterviewer: Thanks.\r\n")


def nvivo_file(qdpx: QdpxBuilder) -> Path:
    sel = {f: quote_positions(NVIVO_TEXT, f, utf16=True) for f in ("it was great", "called twice", "Thanks")}
    selection = ('<PlainTextSelection guid="{g}" name="" startPosition="{s}" endPosition="{e}" '
                 'creatingUser="a1b2c3d4-0000-4000-8000-000000000001" creationDateTime="2021-03-04T10:00:00Z">'
                 '<Description /><Coding guid="{cg}" creatingUser="{user}" creationDateTime="2021-03-04T10:00:00Z">'
                 '<CodeRef targetGUID="{code}" /></Coding></PlainTextSelection>')
    alice, bob = "a1b2c3d4-0000-4000-8000-000000000001", "a1b2c3d4-0000-4000-8000-000000000002"
    codes = {"positive": "c0000000-0000-4000-8000-00000000000a", "care": "c0000000-0000-4000-8000-00000000000b",
             "closing": "c0000000-0000-4000-8000-00000000000c", "exp": "c0000000-0000-4000-8000-00000000000d"}
    selections = "".join([
        selection.format(g="5e1ec700-0000-4000-8000-000000000001", s=sel["it was great"][0], e=sel["it was great"][1],
                         cg="c0d10000-0000-4000-8000-000000000001", user=alice, code=codes["positive"]),
        # NVivo writes one selection per coding: the same passage again, another code, another coder
        selection.format(g="5e1ec700-0000-4000-8000-000000000002", s=sel["it was great"][0], e=sel["it was great"][1],
                         cg="c0d10000-0000-4000-8000-000000000002", user=bob, code=codes["exp"]),
        selection.format(g="5e1ec700-0000-4000-8000-000000000003", s=sel["called twice"][0], e=sel["called twice"][1],
                         cg="c0d10000-0000-4000-8000-000000000003", user=bob, code=codes["care"]),
        selection.format(g="5e1ec700-0000-4000-8000-000000000004", s=sel["Thanks"][0], e=sel["Thanks"][1],
                         cg="c0d10000-0000-4000-8000-000000000004", user=alice, code=codes["closing"]),
    ])
    xml = f"""<?xml version="1.0" encoding="utf-8"?>
<Project name="Wellbeing study" origin="NVivo 12.6.0.959" basePath="" xmlns="urn:QDA-XML:project:1.0">
  <Users>
    <User guid="{alice}" name="Alice Smith" id="AS" />
    <User guid="{bob}" name="Bob Jones" id="BJ" />
  </Users>
  <CodeBook><Codes>
    <Code guid="{codes['exp']}" name="Experiences" isCodable="true">
      <Description />
      <Code guid="{codes['positive']}" name="Positive" isCodable="true" color="#33CC33"><Description /></Code>
      <Code guid="{codes['care']}" name="Care" isCodable="true"><Description>Staff actions</Description></Code>
    </Code>
    <Code guid="{codes['closing']}" name="Closing" isCodable="true" />
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="d0c00000-0000-4000-8000-000000000001" name="Interview 01"
        richTextPath="internal://d0c00000-0000-4000-8000-000000000001.docx"
        plainTextPath="internal://d0c00000-0000-4000-8000-000000000001.txt"
        creatingUser="{alice}" creationDateTime="2021-03-01T09:00:00Z">
      <Description />
      {selections}
    </TextSource>
  </Sources>
</Project>"""
    return qdpx.write("nvivo.qdpx", xml, {
        "Sources/d0c00000-0000-4000-8000-000000000001.txt": b"\xef\xbb\xbf" + NVIVO_TEXT.encode("utf-8"),
        "Sources/d0c00000-0000-4000-8000-000000000001.docx": b"PK\x03\x04 not read",
    })


def test_nvivo_windows_positions_land_on_the_coded_words(qdpx: QdpxBuilder, tmp_path: Path) -> None:
    report, project = import_new(nvivo_file(qdpx), tmp_path)
    with project, project.session() as s:
        (document,) = list_documents(s)
        text = document_text(s, document.id)
        assert text == NVIVO_TEXT.replace("\r\n", "\n")
        quotes = {n.name: sorted((c.text, c.coder_name) for c in codings_of_node(s, n.id, include_descendants=False))
                  for n in list_nodes(s)}
        levels = {n.name: n.level.label for n in list_nodes(s)}
    assert quotes == {
        "Experiences": [("it was great", "Bob Jones")],
        "Positive": [("it was great", "Alice Smith")],
        "Care": [("called twice", "Bob Jones")],
        "Closing": [("Thanks", "Alice Smith")],
    }
    assert levels == {"Experiences": "Basic theme", "Positive": "Code", "Care": "Code", "Closing": "Code"}
    found = kinds(report)
    assert report.producer.startswith("NVivo") and report.counting == "UTF-16 code units"
    assert "UTF-16" in found["position-unit"][0]
    assert found["folder-case"] and found["crlf"] and found["levels-inferred"]
    assert "guid-case" not in found  # lower case is RFC 4122's own form, not a deviation
    assert found["text-encoding"] == ["source 'Interview 01': its text file starts with a UTF-8 byte-order mark "
                                      "(not counted in positions)"]
    assert found["duplicate-selection"] == ["source 'Interview 01': 1 selection(s) repeat a passage another "
                                            "selection already marks; merged, keeping all their codings"]
    assert "selection-position" not in found


# -- ATLAS.ti --------------------------------------------------------------------------------------

ATLAS_TEXT = "Q: Why did you join?\r\nA: My friend 😊 told me.\r\nA: And the bus was free.\r\n"


def atlas_file(qdpx: QdpxBuilder) -> Path:
    friend = quote_positions(ATLAS_TEXT, "My friend 😊 told me.", crlf_as_one=True)
    bus = quote_positions(ATLAS_TEXT, "the bus was free", crlf_as_one=True)
    xml = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="urn:QDA-XML:project:1.0 http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd"
    name="Bus study" origin="ATLAS.ti 8.4.15" creatingUserGUID="{{C32A2BD5-537F-4838-8B17-DF9EFBAFDF4B}}">
  <Users><User guid="{{C32A2BD5-537F-4838-8B17-DF9EFBAFDF4B}}" name="ATLAS.ti"/></Users>
  <CodeBook><Codes>
    <Code guid="{{8A1D3F5E-1111-4AAA-8AAA-000000000001}}" name="Recruitment::friends" isCodable="true" color="#FF0000"/>
    <Code guid="{{8A1D3F5E-1111-4AAA-8AAA-000000000002}}" name="Recruitment::transport" isCodable="true"/>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="{{D0C00000-2222-4BBB-8BBB-000000000001}}" name="P7.txt"
        plainTextPath="internal://{{D0C00000-2222-4BBB-8BBB-000000000001}}.txt">
      <PlainTextSelection guid="{{5E1EC700-2222-4BBB-8BBB-000000000001}}" name="My friend 😊 told me."
          startPosition="{friend[0]}" endPosition="{friend[1]}"
          creatingUser="{{C32A2BD5-537F-4838-8B17-DF9EFBAFDF4B}}">
        <Coding guid="{{C0D10000-2222-4BBB-8BBB-000000000001}}"
            creatingUser="{{C32A2BD5-537F-4838-8B17-DF9EFBAFDF4B}}">
          <CodeRef targetGUID="{{8A1D3F5E-1111-4AAA-8AAA-000000000001}}"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="{{5E1EC700-2222-4BBB-8BBB-000000000002}}" name="the bus was free"
          startPosition="{bus[0]}" endPosition="{bus[1]}">
        <Description>Free bus pass from the council</Description>
      </PlainTextSelection>
    </TextSource>
  </Sources>
  <Notes>
    <Note guid="{{0E0E0000-2222-4BBB-8BBB-000000000001}}" name="Memo: transport">
      <PlainTextContent>Transport matters more than expected.</PlainTextContent></Note>
  </Notes>
  <Links>
    <Link guid="{{11110000-2222-4BBB-8BBB-000000000001}}" name="is about" direction="OneWay"
        originGUID="{{0E0E0000-2222-4BBB-8BBB-000000000001}}" targetGUID="{{5E1EC700-2222-4BBB-8BBB-000000000002}}"/>
  </Links>
  <Sets>
    <Set guid="{{5E700000-2222-4BBB-8BBB-000000000001}}" name="gender: female">
      <MemberSource targetGUID="{{D0C00000-2222-4BBB-8BBB-000000000001}}"/></Set>
  </Sets>
  <Graphs><Graph guid="{{6A700000-2222-4BBB-8BBB-000000000001}}" name="Network">
    <Vertex guid="{{7E700000-2222-4BBB-8BBB-000000000001}}" firstX="1" firstY="2"/></Graph></Graphs>
</Project>"""
    return qdpx.write("atlas.qdpx", xml, {
        "sources/{D0C00000-2222-4BBB-8BBB-000000000001}.txt": ATLAS_TEXT.encode("utf-8")})


def test_atlas_ti_crlf_counted_once_braced_guids_comments_links_sets(qdpx: QdpxBuilder, tmp_path: Path) -> None:
    report, project = import_new(atlas_file(qdpx), tmp_path)
    with project, project.session() as s:
        node = find_node(s, "Recruitment::friends")
        (coding,) = codings_of_node(s, node.id)
        (document,) = list_documents(s)
        document_memos = memos.memos_for(s, target_type="document", target_uid=document.uid)
        project_memos = memos.memos_for(s, target_type="project")
        coder_names = [c.name for c in list_coders(s)]
    assert coding.text == "My friend 😊 told me." and coding.coder_name == "ATLAS.ti"
    assert node.color == "#ff0000" and coder_names == ["ATLAS.ti"]
    assert sorted((m.title, m.text) for m in document_memos) == [
        ("Comment on “the bus was free”", "Free bus pass from the council"),
        ("Memo: transport", "Transport matters more than expected."),
    ]
    assert [(m.title, m.text) for m in project_memos] == [("Set: gender: female", "Source: P7.txt")]
    found = kinds(report)
    assert "each CRLF counted once" in found["position-unit"][0]
    assert found["guid-braces"] and found["set"] and found["graphs"] == [
        "1 graph(s) were not imported (QualCode draws its own theme maps)"]
    assert "schema" not in found


# -- MAXQDA ------------------------------------------------------------------------------------------

MAXQDA_TEXT = "I: Tell me about the clinic.\nB: It is far, but the staff are kind.\n"


def maxqda_file(qdpx: QdpxBuilder) -> Path:
    far = quote_positions(MAXQDA_TEXT, "It is far")
    xml = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Clinic" origin="MAXQDA 24">
  <Users><User guid="AAAAAAAA-0000-4000-8000-000000000001" name="Maria"/></Users>
  <CodeBook><Codes>
    <Code guid="C0DE0000-0000-4000-8000-000000000001" name="Access" isCodable="true" color="#aa00ff">
      <Description>Category. Never apply this code directly.</Description>
      <Code guid="C0DE0000-0000-4000-8000-000000000002" name="Distance" isCodable="true" color="#00aaff">
        <Description>Travel time, distance, cost of getting there.</Description></Code>
    </Code>
  </Codes></CodeBook>
  <Variables>
    <Variable guid="7A700000-0000-4000-8000-000000000001" name="Age" typeOfVariable="Integer"/>
    <Variable guid="7A700000-0000-4000-8000-000000000002" name="Rural" typeOfVariable="Boolean"/>
    <Variable guid="7A700000-0000-4000-8000-000000000003" name="Interview date" typeOfVariable="Date"/>
  </Variables>
  <Cases>
    <Case guid="CA5E0000-0000-4000-8000-000000000001">
      <VariableValue><VariableRef targetGUID="7A700000-0000-4000-8000-000000000001"/><IntegerValue>47</IntegerValue>
      </VariableValue>
      <SourceRef targetGUID="D0C00000-0000-4000-8000-00000000000A"/>
    </Case>
  </Cases>
  <Sources>
    <TextSource guid="D0C00000-0000-4000-8000-00000000000A" name="B01"
        plainTextPath="internal://D0C00000-0000-4000-8000-00000000000A.txt">
      <PlainTextSelection guid="5E1E0000-0000-4000-8000-000000000001" startPosition="{far[0]}"
          endPosition="{far[1]}" creatingUser="AAAAAAAA-0000-4000-8000-000000000001">
        <Coding guid="C0D10000-0000-4000-8000-000000000001" creatingUser="AAAAAAAA-0000-4000-8000-000000000001">
          <CodeRef targetGUID="C0DE0000-0000-4000-8000-000000000002"/></Coding>
      </PlainTextSelection>
      <VariableValue><VariableRef targetGUID="7A700000-0000-4000-8000-000000000002"/><BooleanValue>1</BooleanValue>
      </VariableValue>
      <VariableValue><VariableRef targetGUID="7A700000-0000-4000-8000-000000000003"/>
        <DateValue>2024-02-29</DateValue></VariableValue>
    </TextSource>
  </Sources>
</Project>"""
    return qdpx.write("maxqda.qdpx", xml, {"sources/D0C00000-0000-4000-8000-00000000000A.txt": MAXQDA_TEXT.encode()})


def test_maxqda_document_variables_and_nameless_cases(qdpx: QdpxBuilder, tmp_path: Path) -> None:
    report, project = import_new(maxqda_file(qdpx), tmp_path)
    with project, project.session() as s:
        (document,) = list_documents(s)
        values = cases.attribute_values(s, document_id=document.id)
        attributes = {(a.name, a.scope.value, a.type.value) for a in cases.list_attributes(s)}
        assert cases.list_cases(s) == []
        access = find_node(s, "Access")
        (coding,) = codings_of_node(s, access.id)
    assert values == {"Age": "47", "Rural": "true", "Interview date": "2024-02-29"}
    assert attributes == {("Age", "document", "number"), ("Rural", "document", "category"),
                          ("Interview date", "document", "date")}
    assert coding.text == "It is far" and coding.node_name == "Distance"
    assert access.definition == "Category. Never apply this code directly." and access.color == "#aa00ff"
    assert kinds(report)["nameless-case"] == [
        "case CA5E0000-0000-4000-8000-000000000001: has no name and one source; its variables were kept as "
        "attributes of 'B01'"]
    assert "position-unit" not in kinds(report)
