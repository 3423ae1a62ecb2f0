"""Codebooks (.qdc) and imports into the open project: matched, not duplicated, and undoable."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.domain.errors import CancelledError, QualCodeError
from qualcode.domain.progress import RecordingProgress
from qualcode.services import coders, documents
from qualcode.services import project as project_service
from qualcode.services.codebook import nodes
from qualcode.services.coding import codings
from qualcode.services.commands import UndoStack
from qualcode.services.exchange import refi as exchange
from qualcode.services.exchange._snapshot import snapshot_project
from qualcode.services.memos import memos_for
from qualcode.store.project import Project
from tests.exchange.refi_fixtures import comparable

ATLAS_QDC = """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1:0" origin="ATLAS.ti 23.4.0">
  <Codes>
    <Code guid="7BF3E6C1-0000-4000-8000-000000000001" name="Motivation" isCodable="true" color="#ffAA00">
      <Description>Why people join</Description>
      <Code guid="7BF3E6C1-0000-4000-8000-000000000002" name="Friends" isCodable="true"/>
      <Code guid="7BF3E6C1-0000-4000-8000-000000000003" name="Health" isCodable="true">
        <Code guid="7BF3E6C1-0000-4000-8000-000000000004" name="Weight" isCodable="true"/>
      </Code>
    </Code>
    <Code guid="7BF3E6C1-0000-4000-8000-000000000005" name="Misc" isCodable="true"/>
  </Codes>
  <Sets>
    <Set guid="5E7E6C10-0000-4000-8000-000000000001" name="Deductive codes">
      <MemberCode guid="7BF3E6C1-0000-4000-8000-000000000002"/>
      <MemberCode guid="7BF3E6C1-0000-4000-8000-000000000005"/>
    </Set>
  </Sets>
</CodeBook>"""


def test_codebook_round_trip_keeps_levels_criteria_and_colours(rich_project: Project, tmp_path: Path) -> None:
    with rich_project.session() as s:
        report = exchange.export_qdc(s, path=tmp_path / "codes.qdc")
        original = [(n.uid, n.name, n.level, n.parent_id is None, n.definition, n.inclusion, n.exclusion, n.color,
                     n.origin) for n in nodes.list_nodes(s)]
    other = Project.create(tmp_path / "other.qualcode")
    with other, other.session() as s:
        change, imported = exchange.import_qdc(s, path=report.path)
        restored = [(n.uid, n.name, n.level, n.parent_id is None, n.definition, n.inclusion, n.exclusion, n.color,
                     n.origin) for n in nodes.list_nodes(s)]
    assert restored == original
    assert imported.counts == {"codes": 9} and imported.deviations == ()
    assert change.affects("node")


def test_foreign_codebook_infers_levels_and_keeps_sets_as_memos(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "atlas.qdc"
    path.write_text(ATLAS_QDC, encoding="utf-8")
    with project.session() as s:
        _, report = exchange.import_qdc(s, path=path)
        levels = {n.name: (n.level.label, n.color) for n in nodes.list_nodes(s)}
        (memo,) = memos_for(s, target_type="project")
    assert {name: level for name, (level, _) in levels.items()} == {
        "Motivation": "Organising theme", "Friends": "Code", "Health": "Basic theme", "Weight": "Code", "Misc": "Code"}
    # the file's colour is kept; codes without one get colours of their own, all different
    assert levels["Motivation"][1] == "#ffaa00"
    assert len({colour for _, colour in levels.values()}) == 5
    assert (memo.title, memo.text) == ("Set: Deductive codes", "Code: Friends\nCode: Misc")
    assert {d.kind for d in report.deviations} == {"namespace", "levels-inferred", "set"}
    assert report.producer == "ATLAS.ti 23.4.0"


def test_codebook_import_refuses_projects_and_junk(project: Project, tmp_path: Path) -> None:
    wrong = tmp_path / "project.qdc"
    wrong.write_text('<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>')
    junk = tmp_path / "junk.qdc"
    junk.write_text('<!DOCTYPE x [<!ENTITY a "b">]><CodeBook>&a;</CodeBook>')
    with project.session() as s:
        with pytest.raises(QualCodeError, match="import it as a project"):
            exchange.import_qdc(s, path=wrong)
        with pytest.raises(QualCodeError, match="DTD or entities"):
            exchange.import_qdc(s, path=junk)
        with pytest.raises(QualCodeError, match="There is no file"):
            exchange.import_qdc(s, path=tmp_path / "missing.qdc")


def test_importing_a_project_into_itself_changes_nothing(rich_project: Project, tmp_path: Path) -> None:
    with rich_project.session() as s:
        exported = exchange.export_qdpx(s, path=tmp_path / "self.qdpx")
        before = comparable(snapshot_project(s))
        counts = project_service.summary(s).counts
    with rich_project.session() as s:
        _, report = exchange.import_qdpx(s, path=exported.path)
    with rich_project.session() as s:
        after = comparable(snapshot_project(s))
        new_counts = project_service.summary(s).counts
    assert after == before
    assert {k: v for k, v in new_counts.items() if k != "audit_events"} == {
        k: v for k, v in counts.items() if k != "audit_events"}
    assert report.counts == {}
    assert [d.kind for d in report.deviations] == ["coding-present"]


def test_import_into_the_open_project_merges_and_can_be_undone(rich_project: Project, tmp_path: Path) -> None:
    with rich_project.session() as s:
        exported = exchange.export_qdpx(s, path=tmp_path / "study.qdpx")
    target = Project.create(tmp_path / "target.qualcode")
    with target:
        with target.session() as s:
            coders.add_coder(s, name="Alice")  # same name as in the file: the same person
            documents.add_document(s, name="Already here", text="Site visit, 东京. Staff were welcoming 🙏. Waiting "
                                   "room crowded; posters in 3 languages.\n")
            nodes.create_node(s, name="Barriers", level="organising")
            stack = UndoStack()
            before = project_service.summary(s).counts
            change, report = exchange.import_qdpx(s, path=exported.path)
            stack.push(change)
        with target.session() as s:
            counts = project_service.summary(s).counts
            names = sorted(n.name for n in nodes.list_nodes(s))
            coder_names = sorted(c.name for c in coders.list_coders(s))
        assert counts["documents"] == 3 and counts["coders"] == 3 and counts["nodes"] == 9
        assert names.count("Barriers") == 1 and coder_names == ["Alice", "Bøb Ørsted", "陳美玲"]
        assert [d.where for d in report.deviations if d.kind == "document-same-text"] == ["source 'Field notes 东京'"]
        with target.session() as s:
            stack.undo(s)
        with target.session() as s:
            after_undo = project_service.summary(s).counts
        assert {k: v for k, v in after_undo.items() if k != "audit_events"} == {
            k: v for k, v in before.items() if k != "audit_events"}
        with target.session() as s:
            stack.redo(s)
        with target.session() as s:
            redone = project_service.summary(s).counts
            quotes = sorted(c.text for c in codings.codings_of_node(s, nodes.find_node(s, "Cost €").id))
        assert {k: v for k, v in redone.items() if k != "audit_events"} == {
            k: v for k, v in counts.items() if k != "audit_events"}
        assert quotes == ["Cost was a worry: 50 € a month.", "peur du coût 💶"]


def test_cancelling_while_an_import_writes_leaves_the_open_project_as_it_was(rich_project: Project,
                                                                             tmp_path: Path) -> None:
    with rich_project.session() as s:
        exported = exchange.export_qdpx(s, path=tmp_path / "study.qdpx")
    target = Project.create(tmp_path / "target.qualcode")
    with target:
        with target.session() as s:
            nodes.create_node(s, name="Barriers", level="organising")
            before = project_service.summary(s).counts
        reading = RecordingProgress()
        exchange.read_qdpx_file(exported.path, progress=reading)
        progress = RecordingProgress(cancel_after=len(reading.updates) + 2)  # two steps into the writing
        with pytest.raises(CancelledError), target.session() as s:
            exchange.apply_import(s, prepared=exchange.read_qdpx_file(exported.path, progress=progress),
                                  progress=progress)
        assert len(progress.updates) > len(reading.updates)  # it was writing when cancelled
        with target.session() as s:
            assert project_service.summary(s).counts == before
