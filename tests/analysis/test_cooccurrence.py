"""Co-occurrence on the clinic study, worked out by hand from conftest.CODINGS."""

from __future__ import annotations

import pytest

from qualcode.domain.errors import ValidationError
from qualcode.services.queries.cooccurrence import cooccurrence, cooccurrence_cell
from qualcode.services.queries.query_scope import QueryScope
from tests.analysis.study import Study

NODES = ("Barriers", "Access", "Cost", "Trust", "Communication")


def _counts(study: Study, mode: str, **scope: object) -> dict[tuple[str, str], int]:
    with study.project.session() as s:
        result = cooccurrence(s, node_ids=[study.nodes[n] for n in NODES], mode=mode,
                              scope=QueryScope(**scope))  # type: ignore[arg-type]
    assert result.labels == NODES
    assert all(result.counts[i][j] == result.counts[j][i] for i in range(5) for j in range(5))
    return {(a, b): result.counts[i][j] for i, a in enumerate(NODES) for j, b in enumerate(NODES)}


def test_overlapping_coding_pairs(study: Study) -> None:
    counts = _counts(study, "overlap")
    # c5 (Trust) overlaps c1 (Communication); c9 (Trust) overlaps c6 (Communication).
    assert counts["Trust", "Communication"] == 2
    # c11 (Access) overlaps c13 (Cost): also counted for their parent Barriers.
    assert (counts["Access", "Cost"], counts["Barriers", "Access"], counts["Barriers", "Cost"]) == (1, 1, 1)
    assert counts["Barriers", "Trust"] == counts["Cost", "Trust"] == 0
    # The diagonal holds each node's number of codings.
    assert [counts[n, n] for n in NODES] == [5, 2, 3, 5, 3]


def test_same_document_and_same_turn(study: Study) -> None:
    docs = _counts(study, "document")
    assert (docs["Trust", "Communication"], docs["Access", "Trust"], docs["Communication", "Access"]) == (2, 2, 1)
    assert (docs["Trust", "Trust"], docs["Communication", "Communication"]) == (3, 3)
    turns = _counts(study, "turn")
    assert (turns["Trust", "Communication"], turns["Trust", "Barriers"], turns["Trust", "Access"]) == (2, 2, 1)
    assert (turns["Access", "Cost"], turns["Trust", "Trust"]) == (2, 4)


def test_restricted_to_one_coder(study: Study) -> None:
    counts = _counts(study, "overlap", coder_ids=(study.coders["Ann"],))
    assert counts["Trust", "Communication"] == 0 and counts["Trust", "Trust"] == 3


def test_a_cell_opens_onto_the_codings_behind_it(study: Study) -> None:
    with study.project.session() as s:
        overlap = cooccurrence_cell(s, first_node_id=study.nodes["Trust"], second_node_id=study.nodes["Communication"])
        turn = cooccurrence_cell(s, first_node_id=study.nodes["Trust"], second_node_id=study.nodes["Barriers"],
                                 mode="turn")
    assert study.coding_labels(c.id for c in overlap) == {"c1", "c5", "c6", "c9"}
    assert study.coding_labels(c.id for c in turn) == {"c7", "c8", "c11", "c12", "c13"}


def test_all_nodes_by_default_and_table(study: Study) -> None:
    with study.project.session() as s:
        result = cooccurrence(s, mode="document")
    header, rows = result.table()
    assert header == ["Node", *NODES] and rows[3][0] == "Trust" and rows[3][4] == 3
    assert result.unit == "documents" and result.title == "Co-occurrence of nodes (same document)"


def test_unknown_mode(study: Study) -> None:
    with study.project.session() as s, pytest.raises(ValidationError, match="Unknown co-occurrence 'paragraph'"):
        cooccurrence(s, mode="paragraph")
