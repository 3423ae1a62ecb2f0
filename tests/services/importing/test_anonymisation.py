"""Anonymising a real project: review, apply through the text-edit operation, codings stay put."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from qualcode.domain.errors import ValidationError
from qualcode.nlp.anonymise import Term
from qualcode.services import coders as coder_service
from qualcode.services import documents as document_service
from qualcode.services import memos as memo_service
from qualcode.services.codebook import nodes as node_service
from qualcode.services.coding import codings as coding_service
from qualcode.services.commands import UndoStack
from qualcode.services.importing.anonymisation import (
    KEY_MEMO_TITLE,
    apply_anonymisation,
    export_key,
    load_key,
    load_terms,
    propose_anonymisation,
    store_key_in_project,
)
from qualcode.store.models import AuditEvent
from qualcode.store.project import Project
from qualcode.store.server import TeamProject

SAMPLES = Path(__file__).resolve().parents[3] / "resources" / "samples"
FIRST = ("Interview with Siobhan Kerr, 12 May 2024.\n"
         "Interviewer: How did you hear about it, Siobhan?\n"
         "SIOBHAN: Dr Adeyemi told me. I live in Ashcombe, near Mill Road. Ring me on 07700 900872.\n"
         "Interviewer: And then?\n"
         "SIOBHAN: Rosa rang me. My son Callum drove me to Ashcombe station.")
SECOND = "Interviewer: Who helped?\nP2: Dr Adeyemi, and Siobhan from the group. We both live in Ashcombe."
TERMS = [Term("Siobhan Kerr"), Term("Ashcombe", "place"), Term("Rosa", replacement="[Link worker 1]")]


@pytest.fixture
def coded(project: Project) -> dict[str, int]:
    """Two documents; a coder has coded whole sentences and one name on the first."""
    with project.session() as session:
        coder = coder_service.ensure_coder(session, "ana").id
        node = int(node_service.create_node(session, name="Referral").result)
        first = int(document_service.add_document(session, name="P1", text=FIRST, turns=[
            document_service.TurnSpec(FIRST.index("How"), FIRST.index("Siobhan?") + 8, "Interviewer"),
            document_service.TurnSpec(FIRST.index("Dr A"), FIRST.index("872.") + 4, "SIOBHAN"),
        ]).result)
        second = int(document_service.add_document(session, name="P2", text=SECOND).result)
        ids = {}
        for label, passage in [("sentence", "Dr Adeyemi told me."), ("lives", "I live in Ashcombe, near Mill Road."),
                               ("name", "Callum"), ("last", "My son Callum drove me to Ashcombe station.")]:
            start = FIRST.index(passage)
            ids[label] = int(coding_service.apply_code(session, document_id=first, start=start,
                                                       end=start + len(passage), node_id=node, coder_id=coder).result)
        return {"first": first, "second": second, "coder": coder, **ids}


def coded_text(project: Project, coding_id: int) -> str:
    with project.session() as session:
        return coding_service.get_coding(session, coding_id).text


def test_proposals_are_consistent_across_documents(project: Project, coded: dict[str, int]) -> None:
    with project.session() as session:
        plan = propose_anonymisation(session, terms=TERMS)
    pairs = [(p.document_name, p.original, p.pseudonym) for p in plan.proposals]
    assert ("P1", "Siobhan Kerr", "[Person 1]") in pairs
    assert ("P1", "SIOBHAN", "[Person 1]") in pairs and ("P2", "Siobhan", "[Person 1]") in pairs
    assert {p for d, o, p in pairs if o == "Dr Adeyemi"} == {"[Person 2]"}
    assert {p for d, o, p in pairs if o == "Ashcombe"} == {"[Place A]"}
    assert ("P1", "Rosa", "[Link worker 1]") in pairs
    assert ("P1", "07700 900872", "[Phone 1]") in pairs
    assert ("P1", "12 May 2024", "[Date 1]") in pairs
    assert ("P1", "Callum", "[Person 3]") in pairs
    assert ("P1", "Mill Road", "[Place B]") in pairs
    first = next(p for p in plan.proposals if p.original == "Dr Adeyemi")
    assert first.context == "SIOBHAN: [[Dr Adeyemi]] told me. I live in Ashcombe, near Mill "


def test_applying_keeps_codings_on_the_same_words(project: Project, coded: dict[str, int]) -> None:
    with project.session() as session:
        plan = propose_anonymisation(session, terms=TERMS)
        rejected = [p.id for p in plan.proposals if p.original == "Mill Road"]
        changes = apply_anonymisation(session, proposals=plan.decide(rejected=rejected).proposals)
    assert len(changes) == len(plan.proposals) - 1 + 1  # one edit per accepted proposal + speaker labels
    assert coded_text(project, coded["sentence"]) == "[Person 2] told me."
    assert coded_text(project, coded["lives"]) == "I live in [Place A], near Mill Road."
    assert coded_text(project, coded["name"]) == "[Person 3]"
    assert coded_text(project, coded["last"]) == "My son [Person 3] drove me to [Place A] station."
    with project.session() as session:
        text = document_service.document_text(session, coded["first"])
        assert text.split("\n")[2] == ("[Person 1]: [Person 2] told me. I live in [Place A], near Mill Road. "
                                       "Ring me on [Phone 1].")
        turns = document_service.list_turns(session, coded["first"])
        assert [(t.speaker, text[t.start : t.end][:10]) for t in turns] == [("Interviewer", "How did yo"),
                                                                           ("[Person 1]", "[Person 2]")]
        assert document_service.document_text(session, coded["second"]) == (
            "Interviewer: Who helped?\nP2: [Person 2], and [Person 1] from the group. We both live in [Place A].")


def test_real_names_leave_no_trace_in_the_project_file(project: Project, coded: dict[str, int]) -> None:
    with project.session() as session:
        plan = propose_anonymisation(session, terms=TERMS)
        apply_anonymisation(session, proposals=plan.proposals)
        for event in session.scalars(select(AuditEvent)):
            assert "Siobhan" not in event.details and "Adeyemi" not in event.details
        edits = [json.loads(e.details) for e in session.scalars(
            select(AuditEvent).where(AuditEvent.action == "anonymise document text"))]
        assert len(edits) == len(plan.proposals)
        assert all("removed" not in e and e["removed_characters"] > 0 for e in edits)
    if isinstance(project, TeamProject):
        return  # a server's files are its own: there, VACUUM FULL removes old row versions (README)
    path = project.path
    project.close()
    data = path.read_bytes()
    for name in (b"Siobhan", b"SIOBHAN", b"Adeyemi", b"07700 900872"):
        assert name not in data


def test_undo_restores_the_original(project: Project, coded: dict[str, int]) -> None:
    stack = UndoStack()
    with project.session() as session:
        plan = propose_anonymisation(session, document_ids=[coded["second"]], terms=TERMS)
        for change in apply_anonymisation(session, proposals=plan.proposals):
            stack.push(change)
    with project.session() as session:
        while stack.can_undo:
            stack.undo(session)
        assert document_service.document_text(session, coded["second"]) == SECOND


def test_stale_or_overlapping_proposals_are_refused(project: Project, coded: dict[str, int]) -> None:
    with project.session() as session:
        plan = propose_anonymisation(session, document_ids=[coded["second"]], terms=TERMS)
        document_service.edit_document_text(session, document_id=coded["second"], start=0, end=0, replacement="X")
        with pytest.raises(ValidationError, match="'P2' has changed since the proposals were made"):
            apply_anonymisation(session, proposals=plan.proposals)


def test_the_key_is_exported_on_request_and_reloads(project: Project, coded: dict[str, int], tmp_path: Path) -> None:
    with project.session() as session:
        plan = propose_anonymisation(session, terms=TERMS)
    path = export_key(plan.key, tmp_path / "key.csv")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "category,original,pseudonym"
    assert "person,Siobhan Kerr,[Person 1]" in lines and "place,Ashcombe,[Place A]" in lines
    assert path.stat().st_mode & 0o777 == 0o600  # real names: readable by its owner only
    key = load_key(path)
    with project.session() as session:
        again = propose_anonymisation(session, document_ids=[coded["second"]], key=key)
        assert {p.original: p.pseudonym for p in again.proposals}["Dr Adeyemi"] == "[Person 2]"
        assert memo_service.memos_for(session, target_type="project") == []
        store_key_in_project(session, key=plan.key)
        stored = memo_service.memos_for(session, target_type="project")
        assert [m.title for m in stored] == [KEY_MEMO_TITLE] and "Siobhan Kerr,[Person 1]" in stored[0].text


def test_sample_identifier_list_loads() -> None:
    terms = load_terms(SAMPLES / "identifiers.csv")
    assert terms[0] == Term("Hollowbridge", "place", "[Town A]")
    assert Term("Carol Whitby", "person", "[Participant 2]") in terms
