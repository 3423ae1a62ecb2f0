"""Retrieval can leave the interviewer's turns out of coded passages; CMO evidence lists as
passages too."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from qualcode.domain.errors import NotFoundError
from qualcode.services import coders, documents
from qualcode.services.cases import cases
from qualcode.services.codebook import nodes
from qualcode.services.coding import codings, retrieval, speakers
from qualcode.services.documents import TurnSpec
from qualcode.services.realist import configurations as cmo
from qualcode.services.realist import evidence as cmo_evidence
from qualcode.store.project import Project

TEXT = "I: Did the group help?\nP1: It did. I go every week now.\nI: Why?\nP1: The people."
FIRST, SECOND = TEXT.index("I: Did"), TEXT.index("P1: It")
THIRD, FOURTH = TEXT.index("I: Why"), TEXT.index("P1: The")


def _interview(s: Session, name: str) -> int:
    """The interview with its four turns, the interviewer's marked as such."""
    turns = [TurnSpec(FIRST, SECOND - 1, "I"), TurnSpec(SECOND, THIRD - 1, "P1"),
             TurnSpec(THIRD, FOURTH - 1, "I"), TurnSpec(FOURTH, len(TEXT), "P1")]
    doc = int(documents.add_document(s, name=name, text=TEXT, turns=turns).result)
    speakers.set_interviewer_speakers(s, document_id=doc, speakers=["I"])
    return doc


def test_interviewer_turns_are_left_out_of_passages_on_request(project: Project) -> None:
    with project.session() as s:
        ana = coders.ensure_coder(s, "Ana").id
        doc = _interview(s, "P1")
        node = nodes.create_node(s, name="Group").result
        codings.apply_code(s, document_id=doc, start=0, end=len(TEXT), node_id=node, coder_id=ana)
        codings.apply_code(s, document_id=doc, start=THIRD, end=FOURTH - 1, node_id=node, coder_id=ana)
        everything = retrieval.retrieve_segments(s, node_id=node)
        quiet = retrieval.retrieve_segments(s, node_id=node, exclude_interviewer=True)
    assert [seg.text for seg in everything] == [TEXT, "I: Why?"]
    # The whole-document coding keeps only the participant's turns; the interviewer-only one goes.
    assert [seg.text for seg in quiet] == ["P1: It did. I go every week now. … P1: The people."]


def test_cmo_evidence_lists_as_passages_with_what_it_was_tagged_as(project: Project, tmp_path: Path) -> None:
    with project.session() as s:
        ana = coders.ensure_coder(s, "Ana").id
        doc = _interview(s, "P1 first interview")
        case = cases.create_case(s, name="P1").result
        cases.link_documents(s, case_id=case, document_ids=[doc])
        node = nodes.create_node(s, name="Belonging").result
        people = codings.apply_code(s, document_id=doc, start=FOURTH, end=len(TEXT), node_id=node,
                                    coder_id=ana).result
        enrol = cmo.create_configuration(s, concept="Engagement", statements=[
            ("C", "Groups that meet weekly"), ("M", "people feel they belong"), ("O", "so they keep going")]).result
        other = cmo.create_configuration(s, concept="Readiness", statements=[("C", "A first visit together")]).result
        c, m, o = (k.id for k in cmo.get_configuration(s, enrol).components)
        weekly = TEXT.index("I go every week now.")
        cmo_evidence.add_evidence(s, component_id=c, coder_id=ana, document_id=doc, start=SECOND, end=THIRD - 1)
        cmo_evidence.add_evidence(s, component_id=o, coder_id=ana, document_id=doc, start=weekly,
                                  end=weekly + len("I go every week now."), memo="weekly habit")
        cmo_evidence.add_evidence(s, component_id=m, coder_id=ana, coding_id=people, stance="refutes")
        cmo_evidence.add_evidence(s, component_id=cmo.get_configuration(s, other).components[0].id, coder_id=ana,
                                  document_id=doc, start=THIRD, end=FOURTH - 1)
        listed = cmo_evidence.evidence_segments(s, configuration_id=enrol)
        by_concept = cmo_evidence.evidence_segments(s, concept="Readiness")
        everything = cmo_evidence.evidence_segments(s)
        quiet = cmo_evidence.evidence_segments(s, exclude_interviewer=True)
        by_statement = cmo_evidence.evidence_segments(s, component_id=m)
        with pytest.raises(NotFoundError, match="no configuration with id 99"):
            cmo_evidence.evidence_segments(s, configuration_id=99)
    assert [(g.text, g.node_name, g.detail, g.participants, g.coder_name, g.coding_id, g.node_id, g.memo)
            for g in listed] == [
        ("P1: It did. I go every week now.", "CMOC 1 · C", "Context (C): Groups that meet weekly", "P1", "Ana",
         None, None, ""),
        ("I go every week now.", "CMOC 1 · O", "Outcome (O): so they keep going", "P1", "Ana", None, None,
         "weekly habit"),
        ("P1: The people.", "CMOC 1 · M (refutes)", "Mechanism (M): people feel they belong", "P1", "Ana",
         people, None, ""),
    ]
    assert (listed[1].before, listed[1].after) == ("P1: It did. ", "")  # context within the turn
    assert (listed[2].before, listed[2].after) == ("", "")
    assert [g.node_name for g in by_concept] == ["CMOC 2 · C"]
    assert [g.node_name for g in by_statement] == ["CMOC 1 · M (refutes)"]
    assert len(everything) == 4
    # The interviewer's "I: Why?", tagged for CMOC 2, is left out with the interviewer.
    assert [g.node_name for g in quiet] == ["CMOC 1 · C", "CMOC 1 · O", "CMOC 1 · M (refutes)"]

    path = retrieval.export_segments_csv(listed, tmp_path / "tagged.csv")
    with path.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0][-1] == "Detail" and rows[0][2] == "Node"
    assert [(r[2], r[6], r[-1]) for r in rows[1:]] == [(g.node_name, g.text, g.detail) for g in listed]
