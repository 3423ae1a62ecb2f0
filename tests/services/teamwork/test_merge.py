"""Merging coders' projects: matching, deduplication, conflicts, re-anchoring, reports, refusals."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import select

from qualcode.domain.errors import CancelledError, NotFoundError, ProjectError, SchemaTooNewError, ValidationError
from qualcode.domain.progress import RecordingProgress
from qualcode.services import coders, documents, memos
from qualcode.services.codebook import nodes
from qualcode.services.commands import Command, Recorder
from qualcode.services.teamwork.merge import merge_files, merge_previewed, preview_merge
from qualcode.services.teamwork.merge_report import ConflictKind
from qualcode.store import models as m
from qualcode.store.project import Project
from tests.teamwork_support import (
    CLINIC,
    build_study,
    code,
    coding_set,
    copy_project,
    count,
    doc_id,
    node_id,
    opened,
    span,
)


@pytest.fixture
def study(tmp_path: Path) -> Path:
    return build_study(tmp_path / "lead.qualcode")


def coder_copy(study: Path, name: str) -> Path:
    return copy_project(study, study.with_name(f"{name}.qualcode"))


def test_a_coders_new_codings_are_added_and_everything_else_matched_by_uid(study: Path) -> None:
    bob = coder_copy(study, "bob")
    with opened(bob) as s:
        code(s, "Bob", "P1 interview", "The nurse never came back", "Waiting time")
        code(s, "Bob", "P1 interview", "I was waiting for hours", "Waiting time")
    report = merge_files(study, [bob])
    source = report.sources[0]
    assert source.counts["codings"].added == 2 and source.counts["codings"].matched == 3
    assert source.counts["documents"].matched == 2 and source.counts["nodes"].matched == 7
    assert source.counts["coders"].added == 1
    assert report.conflicts == ()
    with opened(study) as s:
        assert ("P1 interview", "The nurse never came back", "Access to care/Waiting/Time lost/Waiting time",
                "Bob") in coding_set(s)
        assert count(s, m.Coding) == 5 and count(s, m.Document) == 2 and count(s, m.Node) == 7
        assert [c.name for c in coders.list_coders(s)] == ["Ann", "Bob"]


def test_merging_the_same_project_twice_adds_nothing_the_second_time(study: Path) -> None:
    bob = coder_copy(study, "bob")
    with opened(bob) as s:
        code(s, "Bob", "P2 interview", "The pharmacist phones me", "Family support")
        nodes.create_node(s, name="Medication", level="code")
    merge_files(study, [bob])
    with opened(study) as s:
        before = (coding_set(s), count(s, m.Node), count(s, m.Memo), count(s, m.JournalEntry))
    second = merge_files(study, [bob])
    assert second.total("codings").added == 0 and second.total("nodes").added == 0
    assert not second.changes_anything
    with opened(study) as s:
        assert (coding_set(s), count(s, m.Node), count(s, m.Memo), count(s, m.JournalEntry)) == before


def test_independent_projects_match_documents_by_text_nodes_by_path_and_coders_by_name(tmp_path: Path) -> None:
    a = build_study(tmp_path / "a.qualcode", coder="Ann")
    b = build_study(tmp_path / "b.qualcode", coder="ann ")  # same coder, written differently
    with opened(b) as s:
        code(s, "ann", "P1 interview", "The nurse never came back", "Waiting time")
        nodes.create_node(s, name="waiting  TIME ", level="code", parent_id=node_id(s, "Being heard"))
    report = merge_files(a, [b])
    source = report.sources[0]
    assert source.counts["documents"].matched == 2 and source.counts["documents"].added == 0
    assert source.counts["coders"].matched == 1 and source.counts["coders"].added == 0
    assert source.counts["nodes"].matched == 7 and source.counts["nodes"].added == 1  # same name, other parent
    assert source.counts["codings"].added == 1 and source.counts["codings"].matched == 3
    # The second "Waiting time" in another place is reported, not added silently.
    [elsewhere] = [c for c in report.conflicts if c.kind is ConflictKind.SAME_NAME_ELSEWHERE]
    assert elsewhere.name == "waiting TIME"
    assert "'Access to care/Waiting/Time lost/Waiting time'" in elsewhere.detail
    assert "under 'Being heard'" in elsewhere.detail and "1 conflict to review" in report.summary()
    with opened(a) as s:
        assert count(s, m.Coder) == 1 and count(s, m.Coding) == 4
        # Two nodes now share the name: the command line addresses them by path or by id.
        with pytest.raises(ValidationError, match="give the path or the id") as refused:
            nodes.find_node(s, "Waiting time")
        assert "'Access to care/Waiting/Being heard/waiting TIME' (#" in str(refused.value)
        first = nodes.find_node(s, "Time lost/Waiting time")
        assert nodes.find_node(s, f"#{first.id}").id == first.id == nodes.find_node(s, f"id:{first.id}").id
        with pytest.raises(NotFoundError, match="no node with id 999"):
            nodes.find_node(s, "#999")


def test_conflicts_are_listed_and_the_base_version_kept(study: Path) -> None:
    bob = coder_copy(study, "bob")
    with opened(study) as s:
        nodes.update_node(s, node_id=node_id(s, "Listening"), name="Listened to")
    with opened(bob) as s:
        nodes.update_node(s, node_id=node_id(s, "Listening"), name="Feeling heard")
        nodes.move_node(s, node_id=node_id(s, "Family support"), parent_id=node_id(s, "Being heard"))
        nodes.update_node(s, node_id=node_id(s, "Waiting time"), definition="Any delay the patient reports.")
        documents.add_document(s, name="P3 interview", text="P3: Something else entirely.\n")
    with opened(study) as s:
        documents.add_document(s, name="P3 interview", text="P3: The base's own P3 transcript.\n")
    report = merge_files(study, [bob])
    kinds = {(c.kind, c.name) for c in report.conflicts}
    assert (ConflictKind.RENAMED, "Listened to") in kinds
    assert (ConflictKind.MOVED, "Family support") in kinds
    assert (ConflictKind.DEFINITION, "Waiting time") in kinds
    assert (ConflictKind.SAME_NAME_DIFFERENT_TEXT, "P3 interview") in kinds
    renamed = next(c for c in report.conflicts if c.kind is ConflictKind.RENAMED)
    assert "Feeling heard" in renamed.detail and "kept 'Listened to'" in renamed.detail
    with opened(study) as s:
        assert nodes.find_node(s, "Listened to").parent_id == node_id(s, "Being heard")
        assert nodes.get_node(s, node_id(s, "Family support")).parent_id is None
        assert nodes.get_node(s, node_id(s, "Waiting time")).definition == "Time spent waiting for care."
        names = sorted(d.name for d in documents.list_documents(s))
        assert names == ["P1 interview", "P2 interview", "P3 interview", "P3 interview (2)"]


def test_an_empty_base_definition_is_filled_from_the_incoming_project(study: Path) -> None:
    bob = coder_copy(study, "bob")
    with opened(bob) as s:
        nodes.update_node(s, node_id=node_id(s, "Listening"), definition="Staff attend to what is said.")
    report = merge_files(study, [bob])
    assert report.sources[0].counts["nodes"].updated == 1 and report.conflicts == ()
    with opened(study) as s:
        assert nodes.get_node(s, node_id(s, "Listening")).definition == "Staff attend to what is said."


def test_codings_on_a_corrected_copy_are_reanchored_and_those_in_changed_text_reported(study: Path) -> None:
    bob = coder_copy(study, "bob")
    with opened(bob) as s:
        code(s, "Bob", "P1 interview", "But the doctor listened to me, and that mattered", "Listening")
        code(s, "Bob", "P1 interview", "The nurse never came back", "Waiting time")
    with opened(study) as s:  # the lead fixes the transcript: "doctor" was "GP" in the recording
        clinic = doc_id(s, "P1 interview")
        start, end = span(CLINIC, "doctor")
        documents.edit_document_text(s, document_id=clinic, start=start, end=end, replacement="GP")
        start = CLINIC.index("Interviewer")
        documents.edit_document_text(s, document_id=clinic, start=start, end=start, replacement="[Recording 3]\n")
    report = merge_files(study, [bob])
    source = report.sources[0]
    assert source.realigned_documents == ("P1 interview",)
    assert [(r.incoming_text, r.placed_text) for r in source.reanchored] == [
        ("But the doctor listened to me, and that mattered", "But the GP listened to me, and that mattered"),
        ("the doctor listened to me", "the GP listened to me")]
    with opened(study) as s:
        merged = coding_set(s)
    assert ("P1 interview", "The nurse never came back", "Access to care/Waiting/Time lost/Waiting time",
            "Bob") in merged
    assert ("P1 interview", "But the GP listened to me, and that mattered",
            "Access to care/Waiting/Being heard/Listening", "Bob") in merged
    # Ann's coding was re-anchored in both copies alike, so it is matched, not duplicated.
    assert sum(1 for row in merged if row[1] == "the GP listened to me") == 1


def test_a_dry_run_reports_everything_and_writes_nothing(study: Path) -> None:
    bob = coder_copy(study, "bob")
    with opened(bob) as s:
        code(s, "Bob", "P1 interview", "The nurse never came back", "Waiting time")
    before = study.read_bytes()
    report = merge_files(study, [bob], dry_run=True)
    assert report.dry_run and report.total("codings").added == 1
    assert "would add 1 coding" in report.summary()
    assert study.read_bytes() == before
    assert not (study.parent / "lead-backups").exists()


def test_the_report_saves_as_html_and_markdown(study: Path, tmp_path: Path) -> None:
    bob = coder_copy(study, "bob")
    with opened(bob) as s:
        nodes.update_node(s, node_id=node_id(s, "Listening"), name="Feeling <heard>")
    report = merge_files(study, [bob], dry_run=True)
    html = report.save(tmp_path / "report.html").read_text(encoding="utf-8")
    markdown = report.save(tmp_path / "report.md").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "Feeling &lt;heard&gt;" in html and "<table>" in html
    assert "| renamed differently | node | Listening |" in markdown
    with pytest.raises(ValidationError, match=r"use \.html or \.md"):
        report.save(tmp_path / "report.pdf")


def test_several_projects_merge_in_one_transaction_into_a_new_file(study: Path) -> None:
    bob, cy = coder_copy(study, "bob"), coder_copy(study, "cy")
    with opened(bob) as s:
        code(s, "Bob", "P1 interview", "The nurse never came back", "Waiting time")
        nodes.create_node(s, name="Medication", level="code")
    with opened(cy) as s:
        code(s, "Cy", "P2 interview", "I forget them otherwise", "Family support")
        nodes.create_node(s, name="medication", level="code")
    out = study.with_name("merged.qualcode")
    report = merge_files(study, [bob, cy], output=out)
    assert report.output == str(out)
    assert report.sources[1].counts["nodes"].matched == 8  # Cy's "medication" matches Bob's, merged first
    with opened(out) as s:
        assert count(s, m.Coding) == 5 and count(s, m.Node) == 8
    with opened(study) as s:
        assert count(s, m.Coding) == 3
    with pytest.raises(ValidationError, match="already exists"):
        merge_files(study, [bob], output=out)


def test_an_in_place_merge_keeps_a_backup_of_the_base_first(study: Path) -> None:
    bob = coder_copy(study, "bob")
    with opened(bob) as s:
        code(s, "Bob", "P1 interview", "The nurse never came back", "Waiting time")
    report = merge_files(study, [bob])
    backup = Path(report.backup)
    assert backup.exists() and "before-merge" in backup.name
    with opened(backup) as s:
        assert count(s, m.Coding) == 3


def test_a_previewed_merge_is_one_undoable_command(study: Path) -> None:
    bob = coder_copy(study, "bob")
    with opened(bob) as s:
        code(s, "Bob", "P1 interview", "The nurse never came back", "Waiting time")
        nodes.create_node(s, name="Medication", level="code")
    with Project.open(study, backup=False) as project:
        with project.session() as s:
            preview = preview_merge(s, others=[bob], base_path=study)
            assert count(s, m.Coding) == 3
            change = merge_previewed(s, preview=preview)
            assert count(s, m.Coding) == 4 and count(s, m.Node) == 8
        with project.session() as s:
            assert change.command is not None
            change.command.revert(s)
            assert count(s, m.Coding) == 3 and count(s, m.Node) == 7
            actions = [e.action for e in s.scalars(select(m.AuditEvent).order_by(m.AuditEvent.id))][-2:]
            assert actions == ["merge projects", "undo merge projects"]


def test_a_stale_preview_is_refused(study: Path) -> None:
    bob = coder_copy(study, "bob")
    with Project.open(study, backup=False) as project, project.session() as s:
        preview = preview_merge(s, others=[bob], base_path=study)
        nodes.create_node(s, name="Added meanwhile", level="code")
        with pytest.raises(ValidationError, match="preview the merge again"):
            merge_previewed(s, preview=preview)


def test_cmo_configurations_evidence_memos_and_journals_travel(study: Path) -> None:
    bob = coder_copy(study, "bob")
    with opened(bob) as s:
        bob_id = coders.ensure_coder(s, "Bob").id
        coding = code(s, "Bob", "P1 interview", "The nurse never came back", "Waiting time")
        start, end = span(CLINIC, "I was waiting for hours")

        def run(rec: Recorder) -> None:
            config = rec.insert(m.CmoConfiguration, label="Long waits erode trust", concept="Access")
            rec.insert(m.cmo_configuration_node, configuration_id=config, node_id=node_id(s, "Waiting time"))
            component = rec.insert(m.CmoComponent, configuration_id=config, role="O", statement="Patients disengage")
            rec.insert(m.CmoEvidence, component_id=component, document_id=doc_id(s, "P1 interview"), start=start,
                       end=end, coder_id=bob_id)
            rec.insert(m.CmoEvidence, component_id=component, coding_id=coding, coder_id=bob_id)

        Command("Add configuration", run, action="test").apply(s)
        memos.add_memo(s, target_type="coding", target_uid=s.get(m.Coding, coding).uid, text="Strong quote.",
                       coder_id=bob_id)
        memos.add_journal_entry(s, coder_id=bob_id, text="Coded P1 blind.")
    report = merge_files(study, [bob])
    counts = report.sources[0].counts
    assert counts["CMO configurations"].added == 1 and counts["CMO components"].added == 1
    assert counts["CMO evidence"].added == 2 and counts["memos"].added == 1 and counts["journal entries"].added == 1
    with opened(study) as s:
        on_coding = s.scalars(select(m.CmoEvidence).where(m.CmoEvidence.coding_id.is_not(None))).one()
        on_span = s.scalars(select(m.CmoEvidence).where(m.CmoEvidence.coding_id.is_(None))).one()
        assert (on_span.start, on_span.end) == span(CLINIC, "I was waiting for hours")
        coding_row = s.get(m.Coding, on_coding.coding_id)
        assert coding_row is not None and CLINIC[coding_row.start:coding_row.end] == "The nurse never came back"
        memo = s.scalars(select(m.Memo).where(m.Memo.target_type == "coding")).one()
        assert memo.target_uid == coding_row.uid
    assert merge_files(study, [bob]).total("CMO evidence").added == 0


def test_merging_a_project_into_itself_is_refused(study: Path) -> None:
    with pytest.raises(ValidationError, match="into itself"):
        merge_files(study, [study])
    with pytest.raises(ValidationError, match="listed twice"):
        merge_files(study, [coder_copy(study, "bob"), study.with_name("bob.qualcode")])


def test_a_file_that_is_not_a_project_is_refused(study: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes.qualcode"
    notes.write_text("not a database")
    with pytest.raises(ProjectError, match=r"'notes\.qualcode': it is not a QualCode project"):
        merge_files(study, [notes])
    other_db = tmp_path / "other.db"
    with closing(sqlite3.connect(other_db)) as connection:
        connection.execute("CREATE TABLE t (x)")
    with pytest.raises(ProjectError, match="not a QualCode project"):
        merge_files(study, [other_db])
    with pytest.raises(ProjectError, match="no incoming project"):
        merge_files(study, [tmp_path / "missing.qualcode"])


def test_a_project_from_a_newer_qualcode_is_refused(study: Path) -> None:
    newer = coder_copy(study, "newer")
    with closing(sqlite3.connect(newer)) as connection:
        connection.execute("PRAGMA user_version=999")
    with pytest.raises(SchemaTooNewError, match=r"Cannot merge: 'newer\.qualcode' was saved by a newer QualCode"):
        merge_files(study, [newer])
    with opened(study) as s:
        assert count(s, m.Coding) == 3


def test_cancelling_a_merge_leaves_the_base_unchanged(study: Path) -> None:
    bob = coder_copy(study, "bob")
    with opened(bob) as s:
        code(s, "Bob", "P1 interview", "The nurse never came back", "Waiting time")
    progress = RecordingProgress(cancel_after=12)
    with pytest.raises(CancelledError):
        merge_files(study, [bob], progress=progress)
    with opened(study) as s:
        assert count(s, m.Coding) == 3


def test_an_older_incoming_project_is_upgraded_on_a_copy_and_merged(study: Path, tmp_path: Path) -> None:
    from alembic import command

    from qualcode.store import project as project_module

    old = tmp_path / "old.qualcode"
    engine = project_module._make_engine(old, read_only=False, foreign_keys=False)
    with engine.begin() as connection:
        config = project_module._alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.exec_driver_sql(f"PRAGMA application_id={project_module.APPLICATION_ID}")
        connection.exec_driver_sql("PRAGMA user_version=1")
        connection.exec_driver_sql(
            "INSERT INTO document (uid, name, kind, text, text_sha256, source_filename, imported_at, memo) "
            "VALUES ('0f8fad5b-d9cb-469f-a165-70867728950e', 'P9 interview', 'interview', 'Old text', 'x', '', "
            "'2024-01-01 00:00:00', '')")
    engine.dispose()
    before = old.read_bytes()
    report = merge_files(study, [old])
    assert report.total("documents").added == 1
    assert old.read_bytes() == before  # the incoming file itself is never written
    with opened(study) as s:
        assert "P9 interview" in {d.name for d in documents.list_documents(s)}


def test_a_coders_typo_fix_is_a_conflict_and_their_text_can_be_taken(study: Path) -> None:
    bob = coder_copy(study, "bob")
    with opened(bob) as s:  # Bob fixes the transcript ("for hours" was "for three hours") and codes it
        clinic = doc_id(s, "P1 interview")
        start, end = span(CLINIC, "for hours")
        documents.edit_document_text(s, document_id=clinic, start=start, end=end, replacement="for three hours")
        code(s, "Bob", "P1 interview", "The nurse never came back", "Waiting time")
    preview = merge_files(study, [bob], dry_run=True)
    differs = [c for c in preview.conflicts if c.kind is ConflictKind.TEXT_DIFFERS]
    assert [c.name for c in differs] == ["P1 interview"]
    assert "'for hours.' → 'for three hours.'" in differs[0].detail and "kept the base's" in differs[0].detail
    assert "No conflicts" not in preview.to_markdown() and "for three hours" in preview.to_markdown()
    with pytest.raises(NotFoundError, match="'p9 interview' is not a document whose text differs"):
        merge_files(study, [bob], dry_run=True, take_text=["P9 interview"])

    report = merge_files(study, [bob], take_text=["P1 interview"])
    assert report.texts_taken == ("P1 interview",)
    with opened(study) as s:
        text = s.get(m.Document, doc_id(s, "P1 interview")).text  # type: ignore[union-attr]
        merged = coding_set(s)
    with opened(bob) as s:
        assert text == s.get(m.Document, doc_id(s, "P1 interview")).text  # type: ignore[union-attr]
    # Ann's coding on the edited passage moved with its words; Bob's new coding sits on its words.
    assert ("P1 interview", "I was waiting for three hours", "Access to care/Waiting/Time lost/Waiting time",
            "Ann") in merged
    assert ("P1 interview", "The nurse never came back", "Access to care/Waiting/Time lost/Waiting time",
            "Bob") in merged


def test_a_coders_sentence_order_written_sentence_and_exemplar_order_are_merged(study: Path) -> None:
    from qualcode.services.coding import codings as coding_service
    from qualcode.services.realist import configurations as cmo
    from qualcode.services.realist import statements as cmo_statements
    from qualcode.services.themes.exemplars import exemplars_of, order_exemplars

    bob = coder_copy(study, "bob")
    written = "Not knowing what to expect (C) keeps patients away (O) as they cannot picture it (M)."
    with opened(bob) as s:
        config = cmo.create_configuration(s, concept="Enrolment", statements=[
            ("C", "Uncertainty about the service"), ("O", "may make patients reluctant"),
            ("M", "because they are unsure of what to expect")]).result
        second = cmo.create_configuration(s, concept="Enrolment", statements=[
            ("C", "When GPs explain"), ("M", "patients trust it"), ("O", "they go")]).result
        cmo_statements.set_written_sentence(s, configuration_id=second, sentence=written)
        first = code(s, "Bob", "P1 interview", "The nurse never came back", "Waiting time")
        later = code(s, "Bob", "P1 interview", "I was waiting for hours", "Waiting time")
        for coding_id in (first, later):
            coding_service.update_coding(s, coding_id=coding_id, exemplar=True)
        theme = node_id(s, "Waiting time")
        order_exemplars(s, node_id=theme, coding_ids=[later, first])
        expected_quotes = [e.quote.text for e in exemplars_of(s, theme)]
        sentence = cmo.get_configuration(s, config).sentence
    merge_files(study, [bob])
    with opened(study) as s:
        merged = {c.concept + c.label: c for c in cmo.list_configurations(s)}
        assert [c.sentence for c in merged.values()] == [sentence, written]
        assert [e.quote.text for e in exemplars_of(s, node_id(s, "Waiting time"))][-2:] == expected_quotes[-2:]


def test_links_a_coder_drew_between_themes_are_merged_once(study: Path) -> None:
    from qualcode.services.themes.links import link_themes, theme_links

    bob = coder_copy(study, "bob")
    with opened(bob) as s:
        link_themes(s, source_id=node_id(s, "Time lost"), target_id=node_id(s, "Being heard"), label="crowds out")
    with opened(study) as s:  # the lead drew the same link the other way round
        link_themes(s, source_id=node_id(s, "Being heard"), target_id=node_id(s, "Time lost"))
    carol = coder_copy(study, "carol")
    with opened(carol) as s:
        link_themes(s, source_id=node_id(s, "Family support"), target_id=node_id(s, "Waiting"), label="eases")
    report = merge_files(study, [bob, carol])
    assert report.sources[0].counts["theme links"].matched == 1
    assert report.sources[1].counts["theme links"].added == 1
    with opened(study) as s:
        links = {(nodes.get_node(s, link.source_id).name, nodes.get_node(s, link.target_id).name, link.label)
                 for link in theme_links(s)}
    assert links == {("Being heard", "Time lost", ""), ("Family support", "Waiting", "eases")}
