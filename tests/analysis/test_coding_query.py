"""Coding queries on the clinic study, with results worked out by hand from conftest.CODINGS."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualcode.analysis.coding_query import parse_node_expression
from qualcode.analysis.intervals import difference, union
from qualcode.analysis.intervals import intersect as intersection
from qualcode.analysis.intervals import merge as merged
from qualcode.domain.errors import NotFoundError, ValidationError
from qualcode.services.queries.queries import coding_query, parse_query
from qualcode.services.queries.query_scope import QueryScope
from tests.analysis.study import Study


def _run(study: Study, expression: str, proximity: str = "overlap", **scope: object) -> list[tuple[str, str, set[str]]]:
    with study.project.session() as s:
        node_id, steps = parse_query(s, expression)
        result = coding_query(s, node_id=node_id, steps=steps, proximity=proximity, scope=QueryScope(**scope))  # type: ignore[arg-type]
    return [(p.document_name, p.text, study.coding_labels(p.coding_ids)) for p in result.passages]


def test_and_on_overlapping_text_keeps_the_shared_text(study: Study) -> None:
    assert _run(study, "Trust AND Communication") == [
        ("P1 interview", "I listened to the nurse.", {"c1", "c5"}),
        ("P2 interview", "The doctor rushed me", {"c6", "c9"}),
    ]


def test_coder_restriction_applies_to_every_operand(study: Study) -> None:
    assert _run(study, "Trust AND Communication", coder_ids=(study.coders["Ann"],)) == []


def test_and_within_the_same_turn(study: Study) -> None:
    assert _run(study, "Trust AND Communication", "turn", coder_ids=(study.coders["Ann"],)) == [
        ("P1 interview", "I listened to the nurse. I trusted her completely.", {"c1", "c2"}),
    ]


def test_and_within_the_same_sentence(study: Study) -> None:
    assert _run(study, "Trust AND Communication", "sentence", coder_ids=(study.coders["Ann"],)) == []
    assert _run(study, "Trust AND Communication", "sentence") == [
        ("P1 interview", "I listened to the nurse.", {"c1", "c5"}),
        ("P2 interview", "The doctor rushed me.", {"c6", "c9"}),
    ]


def test_not_on_text_and_on_turns(study: Study) -> None:
    # Barriers includes its sub-codes Access and Cost.
    assert _run(study, "Barriers NOT Trust") == [
        ("P1 interview", "The wait was long", {"c3"}),
        ("P1 interview", "the bus cost too much", {"c4"}),
        ("P2 interview", "The fees were high", {"c7"}),
        ("P3 interview", "The bus was late, the wait endless.", {"c11", "c13"}),
    ]
    assert _run(study, "Barriers NOT Trust", "turn") == [
        ("P1 interview", "The wait was long and the bus cost too much.", {"c3", "c4"}),
    ]


def test_or_with_a_case_attribute(study: Study) -> None:
    assert _run(study, "Trust OR Access", conditions=('site = "Site 2"',)) == [
        ("P2 interview", "The doctor rushed me", {"c9"}),
        ("P2 interview", "I trusted nobody", {"c8"}),
        ("P3 interview", "The bus was late, the wait endless.", {"c11"}),
        ("P3 interview", "I trust the nurse though.", {"c12"}),
    ]


def test_numeric_attribute_and_document_kind(study: Study) -> None:
    assert _run(study, "Trust AND Barriers", "turn", conditions=("age > 40",)) == [
        ("P2 interview", "The fees were high, so I trusted nobody.", {"c7", "c8"}),
        ("P3 interview", "The bus was late, the wait endless. I trust the nurse though.", {"c11", "c12", "c13"}),
    ]
    assert _run(study, "Communication", kinds=("follow_up",)) == [
        ("P2 follow-up", "Now the nurse listens.", {"c10"})]


def test_steps_apply_left_to_right(study: Study) -> None:
    assert _run(study, "Trust AND Communication OR Cost") == [
        ("P1 interview", "I listened to the nurse.", {"c1", "c5"}),
        ("P1 interview", "the bus cost too much", {"c4"}),
        ("P2 interview", "The doctor rushed me", {"c6", "c9"}),
        ("P2 interview", "The fees were high", {"c7"}),
        ("P3 interview", "The bus was late", {"c13"}),
    ]


def test_single_node_retrieves_its_merged_codings(study: Study) -> None:
    with study.project.session() as s:
        result = coding_query(s, node_id=study.nodes["Trust"])
    assert [(p.document_name, p.text) for p in result.passages] == [
        ("P1 interview", "I listened to the nurse. I trusted her completely."),
        ("P2 interview", "The doctor rushed me"),
        ("P2 interview", "I trusted nobody"),
        ("P3 interview", "I trust the nurse though."),
    ]
    assert (result.document_count, result.case_count) == (3, 3)
    assert result.passages[0].coders == ("Ann", "Ben") and result.passages[0].nodes == ("Trust",)
    assert (result.heading, result.scope) == ("Trust", "all documents")


def test_node_expressions_are_read_with_quoted_names() -> None:
    assert parse_node_expression('Trust AND "Access to care" NOT Cost') == (
        "Trust", [("AND", "Access to care"), ("NOT", "Cost")])
    assert parse_node_expression("Access to care OR Trust") == ("Access to care", [("OR", "Trust")])


@pytest.mark.parametrize(("expression", "error", "message"), [
    ("Trust AND", ValidationError, "'AND' needs a node name after it"),
    ("AND Trust", ValidationError, "'AND' needs a node name before it"),
    ("", ValidationError, "Name a node to query"),
    ("Trust AND Nursing", NotFoundError, "There is no node named 'Nursing'"),
])
def test_bad_expressions(study: Study, expression: str, error: type[Exception], message: str) -> None:
    with study.project.session() as s, pytest.raises(error, match=re.escape(message)):
        parse_query(s, expression)


def test_bad_proximity_coder_and_attribute(study: Study) -> None:
    trust = study.nodes["Trust"]
    with study.project.session() as s:
        with pytest.raises(ValidationError, match="Unknown proximity 'paragraph'"):
            coding_query(s, node_id=trust, proximity="paragraph")
        with pytest.raises(NotFoundError, match="no coder with id 99"):
            coding_query(s, node_id=trust, scope=QueryScope(coder_ids=(99,)))
        with pytest.raises(NotFoundError, match="no attribute named 'region'"):
            coding_query(s, node_id=trust, scope=QueryScope(conditions=("region = North",)))
        with pytest.raises(ValidationError, match="is not a condition"):
            coding_query(s, node_id=trust, scope=QueryScope(conditions=("age forty",)))


_spans = st.lists(st.tuples(st.integers(0, 40), st.integers(1, 10)).map(lambda t: (t[0], t[0] + t[1])), max_size=8)


def _chars(regions: list[tuple[int, int]]) -> set[int]:
    return {i for start, end in regions for i in range(start, end)}


@given(_spans, _spans)
def test_region_algebra_matches_character_sets(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> None:
    ra, rb = merged(a), merged(b)
    assert _chars(intersection(ra, rb)) == _chars(ra) & _chars(rb)
    assert _chars(union(ra, rb)) == _chars(ra) | _chars(rb)
    assert _chars(difference(ra, rb)) == _chars(ra) - _chars(rb)
    for result in (intersection(ra, rb), difference(ra, rb)):
        assert result == sorted(result) and all(s < e for s, e in result)
