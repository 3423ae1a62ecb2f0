"""Services behind the workbench: counts rolled up the network, document density, retrieval
with context and participants, the CSV export, and the units coded by one key."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from qualcode.domain.errors import ProjectError, ValidationError
from qualcode.domain.spans import Span
from qualcode.services.coding import coding_stats, coding_units, codings, overview, retrieval
from qualcode.store.project import Project

from .conftest import P1_TEXT, Ids


def test_direct_stats_and_roll_up_count_descendants_once(populated: tuple[Project, Ids]) -> None:
    project, ids = populated
    with project.session() as s:
        direct = coding_stats.direct_node_stats(s)
        cases_of = coding_stats.document_cases(s)
        from qualcode.services.codebook.nodes import list_nodes

        parents = {n.id: n.parent_id for n in list_nodes(s)}
    assert direct[ids.walking].codings == 1 and direct[ids.trust].codings == 0
    counts = coding_stats.roll_up(parents, direct, cases_of)
    assert counts[ids.trust] == coding_stats.NodeCounts(codings=2, documents=1, cases=1)
    assert counts[ids.community] == coding_stats.NodeCounts(codings=2, documents=1, cases=1)
    assert counts[ids.transport] == coding_stats.NodeCounts(codings=0, documents=0, cases=0)
    only = coding_stats.roll_up(parents, direct, cases_of, only=[ids.support])
    assert set(only) == {ids.support}


def test_nodes_and_documents_touched_by_a_change_come_from_its_journal(populated: tuple[Project, Ids]) -> None:
    project, ids = populated
    with project.session() as s:
        added = codings.apply_code(s, document_id=ids.p2_doc, start=0, end=10, node_id=ids.transport,
                                   coder_id=ids.ana)
        removed = codings.uncode(s, coding_id=ids.coding)
    assert coding_stats.nodes_touched_by(added) == {ids.transport}
    assert coding_stats.documents_touched_by(added) == {ids.p2_doc}
    assert coding_stats.nodes_touched_by(removed) == {ids.walking}


def test_density_counts_overlapping_codings_once(populated: tuple[Project, Ids]) -> None:
    project, ids = populated
    with project.session() as s:
        codings.apply_code(s, document_id=ids.p2_doc, start=0, end=10, node_id=ids.transport, coder_id=ids.ana)
        codings.apply_code(s, document_id=ids.p2_doc, start=5, end=15, node_id=ids.lonely, coder_id=ids.ana)
        codings.apply_code(s, document_id=ids.p2_doc, start=20, end=25, node_id=ids.lonely, coder_id=ids.ben)
        density = coding_stats.document_density(s)
        only_ana = coding_stats.document_density(s, [ids.ana], document_ids=[ids.p2_doc])
    length = len("P2: The bus was hard.\nI liked the art class.")
    assert density[ids.p2_doc] == coding_stats.DocumentDensity(ids.p2_doc, length, 3, 20)
    assert density[ids.p2_doc].fraction == pytest.approx(20 / length)
    assert only_ana == {ids.p2_doc: coding_stats.DocumentDensity(ids.p2_doc, length, 2, 15)}


def test_retrieval_gives_context_participant_and_descendants(populated: tuple[Project, Ids]) -> None:
    project, ids = populated
    with project.session() as s:
        segments = retrieval.retrieve_segments(s, node_id=ids.trust, context=30)
        direct = retrieval.retrieve_segments(s, node_id=ids.trust, include_descendants=False)
        ana_only = retrieval.retrieve_segments(s, node_id=ids.trust, coder_ids=[ids.ana])
    assert direct == [] and [seg.coder_name for seg in ana_only] == ["Ana"]
    assert [seg.node_name for seg in segments] == ["Walking group", "Loneliness"]
    first = segments[0]
    assert first.participants == "P1" and first.document_name == "P1 interview"
    assert first.text == P1_TEXT[first.start:first.end]
    assert first.before == "P1: "  # context stays within the passage's line
    assert P1_TEXT[first.end:].startswith(first.after) and first.after
    assert segments[1].after == ""


def test_segments_export_to_csv_atomically(populated: tuple[Project, Ids], tmp_path: Path) -> None:
    project, ids = populated
    with project.session() as s:
        segments = retrieval.retrieve_segments(s, node_id=ids.community)
    folder = tmp_path / "exports"
    folder.mkdir()
    path = retrieval.export_segments_csv(segments, folder / "out.csv")
    with path.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0] == list(retrieval.CSV_HEADER)
    assert [r[2] for r in rows[1:]] == ["Walking group", "Loneliness"]
    assert [p.name for p in folder.iterdir()] == ["out.csv"]
    with pytest.raises(ProjectError, match="does not exist"):
        retrieval.export_segments_csv(segments, tmp_path / "nowhere" / "out.csv")


def test_sentence_and_turn_at_a_position(populated: tuple[Project, Ids]) -> None:
    project, ids = populated
    with project.session() as s:
        inside = P1_TEXT.index("less lonely")
        sentence = coding_units.sentence_at(s, document_id=ids.p1_doc, offset=inside)
        turn = coding_units.turn_at(s, document_id=ids.p1_doc, offset=5)
        paragraph = coding_units.turn_at(s, document_id=ids.p2_doc, offset=3)
        with pytest.raises(ValidationError, match="outside the text"):
            coding_units.sentence_at(s, document_id=ids.p1_doc, offset=len(P1_TEXT) + 5)
    assert P1_TEXT[sentence.start:sentence.end] == "I felt less lonely."
    assert turn == Span(0, 48)
    assert paragraph == Span(0, len("P2: The bus was hard."))


def test_in_vivo_names_use_the_participants_words() -> None:
    assert coding_units.in_vivo_name('  "a reason to put my shoes on,"  ') == "a reason to put my shoes on"
    assert coding_units.in_vivo_name("one two three four five six seven eight nine") == \
        "one two three four five six seven eight …"
    with pytest.raises(ValidationError):
        coding_units.in_vivo_name("   ")


def test_overview_merges_case_attributes_into_documents(populated: tuple[Project, Ids]) -> None:
    project, _ids = populated
    with project.session() as s:
        documents, cases = overview.overview(s)
    by_name = {d.name: d for d in documents}
    assert by_name["P1 interview"].cases == ("P1",)
    assert by_name["P1 interview"].attributes == {"site": "Site 2"}
    assert by_name["P1 interview"].codings == 2 and by_name["P2 interview"].codings == 0
    assert [(c.name, c.documents, c.codings) for c in cases] == [("P1", 1, 2)]


def test_new_codes_get_the_least_used_palette_colour(project: Project) -> None:
    from qualcode.services.codebook import nodes
    from qualcode.services.codebook.node_colors import CODE_PALETTE, suggest_code_color

    with project.session() as s:
        assert suggest_code_color(s) == CODE_PALETTE[0]
        nodes.create_node(s, name="A", color=CODE_PALETTE[0])
        nodes.create_node(s, name="B", color=CODE_PALETTE[1])
        nodes.create_node(s, name="Theme", level="basic", color=CODE_PALETTE[2])  # themes do not count
        assert suggest_code_color(s) == CODE_PALETTE[2]
