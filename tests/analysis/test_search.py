"""Full-text search: words, phrases, prefixes, boolean logic, word forms, scope, KWIC, coding hits."""

from __future__ import annotations

import re

import pytest

from qualcode.domain.errors import NotFoundError, ValidationError
from qualcode.services.coding import codings as coding_service
from qualcode.services.commands import UndoStack
from qualcode.services.documents import add_document, document_text
from qualcode.services.queries.query_scope import QueryScope
from qualcode.services.queries.search import HitRef, code_hits, search_text
from tests.analysis.study import Study


def _found(study: Study, query: str, **options: object) -> list[tuple[str, str]]:
    with study.project.session() as s:
        result = search_text(s, query=query, **options)  # type: ignore[arg-type]
        for hit in result.hits:  # offsets are exact code-point offsets into the document text
            assert document_text(s, hit.document_id)[hit.start : hit.end] == hit.matched
    return [(h.document_name, h.matched) for h in result.hits]


def test_word_search_finds_every_occurrence_in_document_order(study: Study) -> None:
    assert _found(study, "nurse") == [("P1 interview", "nurse"), ("P2 follow-up", "nurse"), ("P3 interview", "nurse")]


def test_phrase_prefix_and_case(study: Study) -> None:
    assert _found(study, '"THE NURSE"') == [
        ("P1 interview", "the nurse"), ("P2 follow-up", "the nurse"), ("P3 interview", "the nurse")]
    assert _found(study, "listen*") == [
        ("P1 interview", "listened"), ("P2 follow-up", "listens"), ("P2 interview", "listening")]
    assert _found(study, '"bus was"') == [("P3 interview", "bus was")]


def test_boolean_logic(study: Study) -> None:
    assert _found(study, "nurse AND bus") == [
        ("P1 interview", "nurse"), ("P1 interview", "bus"), ("P3 interview", "bus"), ("P3 interview", "nurse")]
    assert _found(study, "nurse bus") == _found(study, "nurse AND bus")
    assert _found(study, "nurse NOT bus") == [("P2 follow-up", "nurse")]
    assert _found(study, "wait OR fees") == [
        ("P1 interview", "wait"), ("P2 interview", "fees"), ("P3 interview", "wait")]
    assert _found(study, "(doctor OR café) AND NOT fees") == [("P2 follow-up", "café")]


def test_word_forms_match_only_when_asked(study: Study) -> None:
    assert _found(study, "listen") == []
    assert _found(study, "listen", lemmas=True) == [
        ("P1 interview", "listened"), ("P2 follow-up", "listens"), ("P2 interview", "listening")]
    assert _found(study, "trusting", lemmas=True) == [
        ("P1 interview", "trusted"), ("P2 interview", "trusted"), ("P3 interview", "trust")]
    assert _found(study, '"trust the nurse"', lemmas=True) == [("P3 interview", "trust the nurse")]


def test_accents_emoji_and_other_scripts_give_exact_offsets(study: Study) -> None:
    assert _found(study, "cafe") == [("P2 follow-up", "café")]
    assert _found(study, "NAIVE fun") == [("P2 follow-up", "naïve"), ("P2 follow-up", "fun")]
    with study.project.session() as s:
        add_document(s, name="Notes", text="🇬🇧 Ünïcödé 東京 test — 🙂 Zoë’s well-being.")
    assert _found(study, "zoe") == [("Notes", "Zoë")]
    assert _found(study, "東京 OR unicode") == [("Notes", "Ünïcödé"), ("Notes", "東京")]
    assert _found(study, "well-being") == [("Notes", "well-being")]


def test_keyword_in_context_lines_name_document_case_and_speaker(study: Study) -> None:
    with study.project.session() as s:
        result = search_text(s, query="nurse", context=20)
    first = result.hits[0]
    assert (first.document_name, first.cases, first.speaker, first.document_kind) == (
        "P1 interview", ("P1",), "P1", "interview")
    assert first.left == "I listened to the "
    assert first.right == ". I trusted her"
    assert (result.total_hits, result.document_count, result.searched) == (3, 3, "nurse")
    assert "\n" not in "".join(h.left + h.right for h in result.hits)


def test_scope_by_kind_and_case_attributes(study: Study) -> None:
    assert _found(study, "nurse", scope=QueryScope(kinds=("follow-up",))) == [("P2 follow-up", "nurse")]
    assert _found(study, "nurse", scope=QueryScope(conditions=('site = "Site 2"',))) == [
        ("P2 follow-up", "nurse"), ("P3 interview", "nurse")]
    assert _found(study, "nurse", scope=QueryScope(conditions=("age > 50",))) == [("P3 interview", "nurse")]
    assert _found(study, "nurse", scope=QueryScope(conditions=("interview date >= 2024-02-01", "site = site 2"))) == [
        ("P2 follow-up", "nurse"), ("P3 interview", "nurse")]


def test_limit_keeps_the_total(study: Study) -> None:
    with study.project.session() as s:
        result = search_text(s, query="the", limit=2)
    assert len(result.hits) == 2 and result.total_hits > 2 and result.truncated
    assert len(result.every_hit) == result.total_hits
    assert [(h.document_id, h.start, h.end) for h in result.hits] == [
        (r.document_id, r.start, r.end) for r in result.every_hit[:2]]


@pytest.mark.parametrize(("query", "message"), [
    ("", "Type a word or phrase"),
    ('"the nurse', "never closed"),
    ("NOT nurse", "NOT needs a word before it"),
    ("nurse AND", "'AND' needs a word or phrase after it"),
    ("(nurse OR bus", "'(' is never closed"),
    ("--", "contains no words"),
])
def test_bad_searches_get_one_clear_message(study: Study, query: str, message: str) -> None:
    with study.project.session() as s, pytest.raises(ValidationError, match=re.escape(message)):
        search_text(s, query=query)


def test_unknown_attribute_and_bad_values_are_named(study: Study) -> None:
    with study.project.session() as s:
        with pytest.raises(NotFoundError, match="no attribute named 'sitee'.*age, gender, interview date, site"):
            search_text(s, query="nurse", scope=QueryScope(conditions=("sitee = 2",)))
        with pytest.raises(ValidationError, match="'age' takes a number; 'old' is not one"):
            search_text(s, query="nurse", scope=QueryScope(conditions=("age > old",)))
        with pytest.raises(ValidationError, match="'site' holds text: compare it with = or !="):
            search_text(s, query="nurse", scope=QueryScope(conditions=("site > 1",)))
        with pytest.raises(ValidationError, match="Unknown document kind 'letters'"):
            search_text(s, query="nurse", scope=QueryScope(kinds=("letters",)))


def test_code_all_hits_widened_to_sentences_in_one_undoable_step(study: Study) -> None:
    stack = UndoStack()
    trust, ann = study.nodes["Trust"], study.coders["Ann"]
    with study.project.session() as s:
        before = {c.id for c in coding_service.codings_of_node(s, trust)}
        hits = search_text(s, query="nurse").hits
        change = stack.push(code_hits(s, hits=[HitRef(h.document_id, h.start, h.end) for h in hits],
                                      node_id=trust, coder_id=ann, unit="sentence"))
        added = [c for c in coding_service.codings_of_node(s, trust) if c.id not in before]
    # "I trust the nurse though." is already coded to Trust by Ann, so only two are new.
    assert change.result == 2
    assert sorted((c.document_name, c.text) for c in added) == [
        ("P1 interview", "I listened to the nurse."), ("P2 follow-up", "Now the nurse listens.")]
    assert change.command is not None and change.command.title == "Code 3 search hits (sentences) to 'Trust'"
    with study.project.session() as s:
        stack.undo(s)
        assert {c.id for c in coding_service.codings_of_node(s, trust)} == before


def test_code_selected_hits_as_turns_or_as_found(study: Study) -> None:
    comm, ben = study.nodes["Communication"], study.coders["Ben"]
    with study.project.session() as s:
        hits = search_text(s, query="bus").hits
        code_hits(s, hits=[HitRef(hits[0].document_id, hits[0].start, hits[0].end)], node_id=comm,
                  coder_id=ben, unit="turn")
        code_hits(s, hits=[HitRef(hits[1].document_id, hits[1].start, hits[1].end)], node_id=comm,
                  coder_id=ben)
        texts = sorted(c.text for c in coding_service.codings_of_node(s, comm) if c.coder_id == ben)
    assert texts == ["The wait was long and the bus cost too much.", "bus"]


def test_coding_hits_refuses_nothing_and_unknown_units(study: Study) -> None:
    with study.project.session() as s:
        with pytest.raises(ValidationError, match="no search hits to code"):
            code_hits(s, hits=[], node_id=study.nodes["Trust"], coder_id=study.coders["Ann"])
        with pytest.raises(ValidationError, match="Unknown unit 'word'"):
            code_hits(s, hits=[HitRef(study.documents["P1 interview"], 0, 3)], node_id=study.nodes["Trust"],
                      coder_id=study.coders["Ann"], unit="word")
