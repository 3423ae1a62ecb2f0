"""Retrieval can leave the interviewer's turns out of coded passages."""

from __future__ import annotations

from qualcode.services import coders, codings, documents, nodes, retrieval, speakers
from qualcode.services.documents import TurnSpec
from qualcode.store.project import Project

TEXT = "I: Did the group help?\nP1: It did. I go every week now.\nI: Why?\nP1: The people."


def test_interviewer_turns_are_left_out_of_passages_on_request(project: Project) -> None:
    first, second = TEXT.index("I: Did"), TEXT.index("P1: It")
    third, fourth = TEXT.index("I: Why"), TEXT.index("P1: The")
    turns = [TurnSpec(first, second - 1, "I"), TurnSpec(second, third - 1, "P1"),
             TurnSpec(third, fourth - 1, "I"), TurnSpec(fourth, len(TEXT), "P1")]
    with project.session() as s:
        ana = coders.ensure_coder(s, "Ana").id
        doc = documents.add_document(s, name="P1", text=TEXT, turns=turns).result
        speakers.set_interviewer_speakers(s, document_id=doc, speakers=["I"])
        node = nodes.create_node(s, name="Group").result
        codings.apply_code(s, document_id=doc, start=0, end=len(TEXT), node_id=node, coder_id=ana)
        codings.apply_code(s, document_id=doc, start=third, end=fourth - 1, node_id=node, coder_id=ana)
        everything = retrieval.retrieve_segments(s, node_id=node)
        quiet = retrieval.retrieve_segments(s, node_id=node, exclude_interviewer=True)
    assert [seg.text for seg in everything] == [TEXT, "I: Why?"]
    # The whole-document coding keeps only the participant's turns; the interviewer-only one goes.
    assert [seg.text for seg in quiet] == ["P1: It did. I go every week now. … P1: The people."]
