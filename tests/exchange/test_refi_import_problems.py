"""Files with the faults real exchange files have: each tolerated where possible and reported."""

from __future__ import annotations

import io
from pathlib import Path

from qualcode.services import memos
from qualcode.services.codebook.nodes import list_nodes
from qualcode.services.coders import list_coders
from qualcode.services.coding.codings import codings_of_document, codings_of_node
from qualcode.services.documents import document_text, list_documents
from tests.exchange.refi_fixtures import QdpxBuilder
from tests.exchange.test_refi_import_tools import import_new, kinds

TEXT = "Short text about waiting times.\n"


def problem_file(qdpx: QdpxBuilder) -> Path:
    xml = """<Project xmlns="urn:QDA-XML:project:1.0" name="Faulty" origin="HomeGrown QDA 0.3">
  <Users><User guid="0000000A-0000-4000-8000-000000000001" name="Kim"/></Users>
  <CodeBook><Codes>
    <Code guid="c001" name="Waiting" isCodable="true"/>
    <Code guid="C0DE0000-0000-4000-8000-000000000002" name="" isCodable="true"/>
    <Code guid="C0DE0000-0000-4000-8000-000000000002" name="Twin" isCodable="true"/>
    <Code guid="C0DE0000-0000-4000-8000-000000000003" name="L1" isCodable="false">
      <Code guid="C0DE0000-0000-4000-8000-000000000004" name="L2" isCodable="true">
        <Code guid="C0DE0000-0000-4000-8000-000000000005" name="L3" isCodable="true">
          <Code guid="C0DE0000-0000-4000-8000-000000000006" name="L4" isCodable="true">
            <Code guid="C0DE0000-0000-4000-8000-000000000007" name="L5" isCodable="true">
              <Code guid="C0DE0000-0000-4000-8000-000000000008" name="l5" isCodable="true"/>
            </Code></Code></Code></Code></Code>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="D0C00000-0000-4000-8000-000000000001" name="Clinic visit" plainTextPath="visit.txt">
      <PlainTextSelection guid="5E1E0000-0000-4000-8000-000000000001" startPosition="17" endPosition="30">
        <Coding guid="C0D10000-0000-4000-8000-000000000001" creatingUser="0000000A-0000-4000-8000-000000000001">
          <CodeRef targetGUID="C001"/></Coding></PlainTextSelection>
      <PlainTextSelection guid="5E1E0000-0000-4000-8000-000000000002" startPosition="17" endPosition="30">
        <Coding guid="C0D10000-0000-4000-8000-000000000002" creatingUser="0000000A-0000-4000-8000-000000000001">
          <CodeRef targetGUID="c001"/></Coding></PlainTextSelection>
      <PlainTextSelection guid="5E1E0000-0000-4000-8000-000000000003" startPosition="24" endPosition="90">
        <Coding guid="C0D10000-0000-4000-8000-000000000003" creatingUser="FFFFFFFF-0000-4000-8000-000000000009">
          <CodeRef targetGUID="C0DE0000-0000-4000-8000-000000000002"/></Coding></PlainTextSelection>
      <PlainTextSelection guid="5E1E0000-0000-4000-8000-000000000004" startPosition="200" endPosition="210">
        <Coding guid="C0D10000-0000-4000-8000-000000000004">
          <CodeRef targetGUID="C0DE0000-0000-4000-8000-000000000008"/></Coding></PlainTextSelection>
      <PlainTextSelection guid="5E1E0000-0000-4000-8000-000000000005" startPosition="0" endPosition="5">
        <Coding guid="C0D10000-0000-4000-8000-000000000005">
          <CodeRef targetGUID="C0DE0000-0000-4000-8000-0000000000FF"/></Coding></PlainTextSelection>
      <PlainTextSelection guid="5E1E0000-0000-4000-8000-000000000006" startPosition="x" endPosition="5"/>
    </TextSource>
    <TextSource guid="D0C00000-0000-4000-8000-000000000001" name="Same guid, inline text">
      <PlainTextContent>Inline text kept in the XML.</PlainTextContent>
      <Coding guid="C0D10000-0000-4000-8000-000000000006"><CodeRef targetGUID="C0DE0000-0000-4000-8000-000000000006"/>
      </Coding>
    </TextSource>
    <TextSource guid="D0C00000-0000-4000-8000-000000000003" name="Lost" plainTextPath="internal://gone.txt"/>
    <TextSource guid="D0C00000-0000-4000-8000-000000000004" name="Word only" richTextPath="internal://w.docx">
      <PlainTextSelection guid="5E1E0000-0000-4000-8000-000000000009" startPosition="0" endPosition="4">
        <Coding guid="C0D10000-0000-4000-8000-000000000009"><CodeRef targetGUID="C0DE0000-0000-4000-8000-000000000004"/>
        </Coding></PlainTextSelection>
    </TextSource>
    <PDFSource guid="D0C00000-0000-4000-8000-000000000005" name="Paper.pdf" path="internal://paper.pdf">
      <PDFSelection guid="5E1E0000-0000-4000-8000-00000000000A" page="1" firstX="0" firstY="0" secondX="5" secondY="5"/>
      <Representation guid="D0C00000-0000-4000-8000-000000000006" plainTextPath="internal://paper.txt">
        <PlainTextSelection guid="5E1E0000-0000-4000-8000-00000000000B" startPosition="0" endPosition="8">
          <Coding guid="C0D10000-0000-4000-8000-00000000000B">
            <CodeRef targetGUID="C0DE0000-0000-4000-8000-000000000003"/></Coding></PlainTextSelection>
      </Representation>
    </PDFSource>
    <VideoSource guid="D0C00000-0000-4000-8000-000000000007" name="Focus group" path="relative:///fg.mp4">
      <Transcript guid="D0C00000-0000-4000-8000-000000000008" name="Focus group transcript">
        <PlainTextContent>Everyone spoke about buses.</PlainTextContent>
        <SyncPoint guid="51000000-0000-4000-8000-000000000001" timeStamp="0" position="9"/>
        <SyncPoint guid="51000000-0000-4000-8000-000000000002" timeStamp="900" position="14"/>
        <TranscriptSelection guid="5E1E0000-0000-4000-8000-00000000000C"
            fromSyncPoint="51000000-0000-4000-8000-000000000001" toSyncPoint="51000000-0000-4000-8000-000000000002">
          <Coding guid="C0D10000-0000-4000-8000-00000000000C">
            <CodeRef targetGUID="C0DE0000-0000-4000-8000-000000000005"/></Coding>
        </TranscriptSelection>
      </Transcript>
    </VideoSource>
    <PictureSource guid="D0C00000-0000-4000-8000-000000000009" name="Poster" path="internal://poster.png"/>
  </Sources>
  <Sets/>
</Project>"""
    from docx import Document

    word = Document()
    word.add_paragraph("Word text only.")
    buffer = io.BytesIO()
    word.save(buffer)
    return qdpx.write("faulty.qdpx", xml, {"sources/visit.txt": TEXT.encode(), "sources/w.docx": buffer.getvalue(),
                                           "sources/paper.txt": b"Abstract. Methods.", "sources/.root": b""})


def test_a_faulty_file_imports_what_it_can_and_reports_the_rest(qdpx: QdpxBuilder, tmp_path: Path) -> None:
    report, project = import_new(problem_file(qdpx), tmp_path)
    with project, project.session() as s:
        documents = {d.name: d for d in list_documents(s)}
        nodes = {n.name: n for n in list_nodes(s)}
        visit = documents["Clinic visit"]
        coded = sorted((c.node_name, c.text, c.coder_name) for c in codings_of_document(s, visit.id))
        inline = codings_of_document(s, documents["Same guid, inline text"].id)
        paper = codings_of_document(s, documents["Paper.pdf"].id)
        transcript = codings_of_document(s, documents["Focus group transcript"].id)
        word = document_text(s, documents["Word only"].id)
        project_memos = memos.memos_for(s, target_type="project")

    assert sorted(documents) == ["Clinic visit", "Focus group transcript", "Paper.pdf", "Same guid, inline text",
                                 "Word only"]
    assert documents["Paper.pdf"].kind == "literature"
    assert coded == [
        ("Unnamed code", " times.\n", "Unknown user ffffffff"),
        ("Waiting", "waiting times", "Kim"),
    ]
    assert [c.text for c in inline] == ["Inline text kept in the XML."]
    assert [c.text for c in paper] == ["Abstract"] and [c.text for c in transcript] == ["spoke"]
    assert word == "Word text only."
    assert {n: nodes[n].level.label for n in ("L1", "L2", "L3", "L4", "L5", "l5 (2)")} == {
        "L1": "Global theme", "L2": "Organising theme", "L3": "Basic theme", "L4": "Code", "L5": "Code",
        "l5 (2)": "Code"}
    assert nodes["L2"].parent_id == nodes["L1"].id
    assert nodes["L4"].parent_id == nodes["L5"].parent_id == nodes["l5 (2)"].parent_id == nodes["L3"].id
    assert nodes["Twin"].uid not in {nodes["Unnamed code"].uid}
    assert project_memos == []

    found = kinds(report)
    assert found["selection-position"] == [
        "source 'Clinic visit', selection 5e1e0000-0000-4000-8000-000000000003: ends at 90, past the end of the text "
        "(32); cut at 32 → now 24-32",
        "source 'Clinic visit', selection 5e1e0000-0000-4000-8000-000000000004: ends at 210, past the end of the text "
        "(32); cut at 32 → now 32-32",
    ]
    assert found["selection-empty"] == [
        "source 'Clinic visit', selection 5e1e0000-0000-4000-8000-000000000004: covers no text once it is fitted to "
        "the text; left out (1 coding(s))"]
    assert found["code-without-name"] == ["code C0DE0000-0000-4000-8000-000000000002: has no name; called "
                                          "'Unnamed code'"]
    assert len(found["duplicate-guid"]) == 2  # the second code and the second source with a taken guid
    assert found["duplicate-selection"] and found["duplicate-coding"]
    assert found["non-guid-id"] == ["1 id(s) are not GUIDs (e.g. c001); QualCode gave them stable GUIDs of its own"]
    assert found["coding-unknown-code"] and found["unknown-user"] and found["selection-unreadable"]
    assert found["missing-file"] == ["source 'Lost': its plain text cannot be read: 'internal://gone.txt' is not in "
                                     "the archive"]
    assert found["docx-only"] and found["pdf-area"] and found["media-source"] and found["too-deep"]
    assert found["duplicate-code-name"] == ["code 'l5': shares its name with a sibling; renamed 'l5 (2)'"]
    assert found["too-deep"] == [
        "code 'L5': is nested deeper than QualCode's four theme levels; moved up to 'L3'",
        "code 'l5': is nested deeper than QualCode's four theme levels; moved up to 'L3'"]
    assert any("Sets" in line for line in found["schema"])


def test_an_older_namespace_is_read_by_element_names(qdpx: QdpxBuilder, tmp_path: Path) -> None:
    xml = """<Project xmlns="urn:QDA-XML:project:0:10" name="Transana export" origin="Transana 3.3">
      <CodeBook><Codes><Code guid="C0DE0000-0000-4000-8000-000000000001" name="Theme" isCodable="true"/></Codes>
      </CodeBook>
      <Sources><TextSource guid="D0C00000-0000-4000-8000-000000000001" name="T">
        <PlainTextContent>Some transcript.</PlainTextContent>
        <PlainTextSelection guid="5E1E0000-0000-4000-8000-000000000001" startPosition="5" endPosition="15">
          <Coding guid="C0D10000-0000-4000-8000-000000000001">
            <CodeRef targetGUID="C0DE0000-0000-4000-8000-000000000001"/></Coding></PlainTextSelection>
      </TextSource></Sources></Project>"""
    report, project = import_new(qdpx.write("old.qdpx", xml), tmp_path)
    with project, project.session() as s:
        (node,) = list_nodes(s)
        (coding,) = codings_of_node(s, node.id)
        coders = {c.name for c in list_coders(s)}
    assert coding.text == "transcript" and coding.coder_name == "Importer" and coders == {"Importer"}
    assert kinds(report)["namespace"] == ["the XML namespace is 'urn:QDA-XML:project:0:10', not "
                                          "'urn:QDA-XML:project:1.0'; read by element names"]
