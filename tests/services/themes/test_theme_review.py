"""Themes review: counts over a theme's subtree, quotes with participant labels, and flags."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.domain.levels import Level
from qualcode.services import coders
from qualcode.services.cases import cases
from qualcode.services.codebook import nodes
from qualcode.services.coding import codings
from qualcode.services.themes import themes
from qualcode.services.themes.quotes import Candidate, pick_quotes, shorten_quote, shortlist
from qualcode.services.themes.review import ThemeFlag, review_themes
from qualcode.store.project import Project
from tests.example_networks import GLOBAL, open_social_prescribing


@pytest.fixture
def study(tmp_path: Path) -> Iterator[tuple[Project, dict[str, int]]]:
    project, ids = open_social_prescribing(tmp_path)
    yield project, ids
    project.close()


def test_counts_include_codings_of_every_node_below(study) -> None:
    project, _ids = study
    with project.session() as s:
        review = {r.name: r for r in review_themes(s)}
    connecting = review["Connecting patients to community resources"]
    assert (connecting.codings, connecting.documents, connecting.cases, connecting.coders) == (7, 7, 7, 1)
    barriers = review["Barriers of cost and transport"]
    assert barriers.codings == 3 and barriers.children == 2
    assert review[GLOBAL].codings == sum(review[n].codings for n in (
        "Building a trusting relationship", "Connecting patients to community resources",
        "Restoring confidence and agency", "Working within a stretched system"))
    # Site2P03's interview and follow-up are one participant in two documents.
    going_out = review["Going out alone again"]
    assert (going_out.documents, going_out.participants) == (3, 2)
    assert "Rural isolation" not in review  # codes only on request


def test_tree_order_depth_and_codes_on_request(study) -> None:
    project, _ids = study
    with project.session() as s:
        names = [(r.name, r.depth) for r in review_themes(s, include_codes=True)]
    assert names[:3] == [(GLOBAL, 0), ("Building a trusting relationship", 1), ("Having time to listen", 2)]
    assert ("Rural isolation", 3) in names


def test_exemplars_come_first_then_shortest_from_new_participants(study) -> None:
    project, _ids = study
    with project.session() as s:
        review = {r.name: r for r in review_themes(s, quotes_per_theme=3)}
    quotes = review["Having time to listen"].quotes
    assert [(q.participant, q.exemplar) for q in quotes] == [("P1", True), ("LW1", True), ("LW2", False)]
    assert quotes[0].text == "She just let me talk. Forty minutes, and she never once looked at the clock."
    labels = [q.participant for q in review["Seeing the same link worker each time"].quotes]
    assert labels == ["P3", "Site2P03 (follow-up)"]


def test_flags_name_what_to_fix(study) -> None:
    project, ids = study
    with project.session() as s:
        empty = nodes.create_node(s, name="Stigma", level=Level.BASIC,
                                  parent_id=ids["Restoring confidence and agency"]).result
        themes.move_nodes(s, node_ids=[ids["Housing repairs and moves"]], parent_id=ids["Less lonely, more connected"])
        lonely_global = nodes.create_node(s, name="Empty global", level=Level.GLOBAL).result
        review = {r.id: r for r in review_themes(s)}
    assert review[empty].flags == (ThemeFlag.NO_CODINGS,)
    assert review[ids["Digital exclusion"]].flags == (ThemeFlag.BASIC_WITHOUT_ORGANISING,)
    assert review[ids["Practical problems resolved"]].flags == (ThemeFlag.ORGANISING_ONE_CHILD,)
    assert review[lonely_global].flags == (ThemeFlag.NO_CODINGS, ThemeFlag.GLOBAL_WITHOUT_ORGANISING)
    assert review[ids[GLOBAL]].flags == ()
    assert ThemeFlag.ORGANISING_ONE_CHILD.message == "Organising theme with only one theme under it"


def test_review_can_be_limited_to_some_coders(study) -> None:
    project, ids = study
    with project.session() as s:
        other = coders.add_coder(s, name="Second coder").result
        doc = ids["P1 interview"]
        codings.apply_code(s, document_id=doc, start=0, end=11, node_id=ids["Having time to listen"], coder_id=other)
        both = {r.name: r for r in review_themes(s)}["Having time to listen"]
        mine = {r.name: r for r in review_themes(s, coder_ids=frozenset({ids["coder"]}))}["Having time to listen"]
    assert (both.codings, both.coders) == (5, 2)
    assert (mine.codings, mine.coders) == (4, 1)


def test_documents_without_cases_are_labelled_by_document_name(project: Project) -> None:
    from qualcode.services import documents

    with project.session() as s:
        theme = nodes.create_node(s, name="T", level=Level.BASIC).result
        coder = coders.add_coder(s, name="A").result
        text = "Everyone agreed the café was the heart of it."
        doc = documents.add_document(s, name="Focus group 2", text=text).result
        codings.apply_code(s, document_id=doc, start=0, end=45, node_id=theme, coder_id=coder)
        case = cases.create_case(s, name="Site 1").result
        review = review_themes(s)
        cases.link_documents(s, case_id=case, document_ids=[doc])
        linked = review_themes(s)
    assert review[0].quotes[0].formatted() == "Focus group 2: Everyone agreed the café was the heart of it."
    assert linked[0].quotes[0].participant == "Site 1"


def _cand(i: int, who: str, length: int, exemplar: bool = False, doc: int = 1, start: int | None = None) -> Candidate:
    begin = i * 1000 if start is None else start
    return Candidate(i, doc, begin, begin + length, who, exemplar)


def test_pick_quotes_prefers_exemplars_then_distinct_voices_then_short_readable() -> None:
    pool = [_cand(1, "P1", 60), _cand(2, "P1", 45), _cand(3, "P2", 300), _cand(4, "P3", 10),
            _cand(5, "P4", 200, exemplar=True), _cand(6, "P3", 80)]
    assert [c.coding_id for c in pick_quotes(pool, 1)] == [5]
    # After the exemplar: P1's shortest readable (45), P3's readable (80, not the 10-character one), then P2.
    assert [c.coding_id for c in pick_quotes(pool, 4)] == [5, 2, 6, 3]
    assert [c.coding_id for c in pick_quotes(pool, 6)] == [5, 2, 6, 3, 1, 4]
    assert pick_quotes(pool, 0) == []


def test_pick_quotes_drops_the_same_span_coded_twice() -> None:
    pool = [_cand(1, "P1", 50, start=0), _cand(2, "P1", 50, start=0), _cand(3, "P1", 70)]
    assert [c.coding_id for c in pick_quotes(pool, 3)] == [1, 3]


@pytest.mark.parametrize(("text", "limit", "expected"), [
    ("We use an assets and strength based approach, so the first appointment", 45,
     "We use an assets and strength based approach…"),
    ("Short\nquote  with\tbreaks", 100, "Short quote with breaks"),
    ("Naïve café résumé — déjà vu, encore une fois", 20, "Naïve café résumé…"),
    ("Supercalifragilisticexpialidocious", 10, "Supercali…"),
    ("anything", None, "anything"),
    ("laughs] She refers about a third of my caseload.", None, "She refers about a third of my caseload."),
    ("We went together [pause", 100, "We went together"),
    ("[laughs] Balanced notes stay.", None, "[laughs] Balanced notes stay."),
])
def test_shorten_quote_cuts_at_a_word_with_an_ellipsis(text: str, limit: int | None, expected: str) -> None:
    result = shorten_quote(text, limit)
    assert result == expected
    assert limit is None or len(result) <= limit


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(1, 120), st.booleans(), st.integers(0, 3)),
                max_size=40),
       st.integers(1, 4))
def test_quotes_from_shortlists_of_parts_equal_quotes_from_the_whole(specs, count) -> None:
    """A theme's quotes are chosen from its children's shortlists; that must equal choosing from all."""
    rows = [(i, doc, i * 500, i * 500 + length, f"P{doc}", exemplar) for i, (doc, length, exemplar, _) in
            enumerate(specs)]
    parts: dict[int, list] = {}
    for row, (_, _, _, part) in zip(rows, specs, strict=True):
        parts.setdefault(part, []).append(row)
    merged = shortlist([r for p in parts.values() for r in shortlist(p, count)], count)
    whole = pick_quotes([Candidate(*r) for r in rows], count)
    assert pick_quotes([Candidate(*r) for r in merged], count) == whole
