"""A change carries the rows it changed, so views update themselves without reading them
again: the rows of an apply, an undo (before and after swapped) and a redo; counts, coded
shares and passages worked out from them equal a fresh reading."""

from __future__ import annotations

from qualcode.services.coding import coding_stats, codings, retrieval, speakers
from qualcode.services.commands import UndoStack
from qualcode.services.teamwork.live import as_change
from qualcode.store.project import Project
from qualcode.store.server_live import ServerChange
from tests.services.conftest import P1_TEXT, Ids


def test_an_applied_coding_carries_its_new_row_and_its_undo_the_row_taken_away(
        populated: tuple[Project, Ids]) -> None:
    project, ids = populated
    stack = UndoStack()
    with project.session() as s:
        applied = stack.push(codings.apply_code(s, document_id=ids.p2_doc, start=0, end=21, node_id=ids.lonely,
                                                coder_id=ids.ana))
    rows = applied.row_changes("coding")
    assert rows is not None and len(rows) == 1
    assert rows[0].before is None and rows[0].after is not None
    assert (rows[0].after["id"], rows[0].after["document_id"], rows[0].after["start"], rows[0].after["end"],
            rows[0].after["node_id"]) == (applied.result, ids.p2_doc, 0, 21, ids.lonely)
    assert applied.row_changes("node") == []  # touched nothing there

    with project.session() as s:
        undone = stack.undo(s)
    rows = undone.row_changes("coding")
    assert rows is not None and rows[0].after is None and rows[0].before is not None
    assert rows[0].before["id"] == applied.result

    with project.session() as s:
        redone = stack.redo(s)
    rows = redone.row_changes("coding")
    assert rows is not None and rows[0].before is None and rows[0].after is not None
    assert rows[0].after["id"] == applied.result


def test_others_changes_on_a_team_project_carry_no_rows(populated: tuple[Project, Ids]) -> None:
    _project, ids = populated
    others = as_change([ServerChange("coding", (ids.coding,), "ben")], own_role="ana")
    assert others is not None and others.ids("coding") == {ids.coding}
    assert others.row_changes("coding") is None  # which rows is not known: views read them again
    assert others.row_changes("node") == []


def test_counts_kept_from_the_rows_equal_the_counts_read_again(populated: tuple[Project, Ids]) -> None:
    project, ids = populated
    with project.session() as s:
        direct = coding_stats.direct_node_stats(s)
    stack = UndoStack()
    steps = []
    with project.session() as s:
        steps.append(stack.push(codings.apply_code(s, document_id=ids.p2_doc, start=0, end=21, node_id=ids.lonely,
                                                   coder_id=ids.ana)))
        steps.append(stack.push(codings.apply_code(s, document_id=ids.p1_doc, start=3, end=30, node_id=ids.lonely,
                                                   coder_id=ids.ben)))
        steps.append(codings.update_coding(s, coding_id=ids.coding, start=0, end=12, coder_id=ids.ana))
        steps.append(stack.undo(s))
        steps.append(codings.uncode(s, coding_id=ids.coding))
    touched: set[int] = set()
    for change in steps:
        rows = change.row_changes("coding")
        assert rows is not None
        touched |= coding_stats.apply_coding_rows(direct, rows)
    assert touched == {ids.lonely, ids.walking}
    with project.session() as s:
        fresh = coding_stats.direct_node_stats(s)
    assert {n: dict(d.documents) for n, d in direct.items()} == {n: dict(d.documents) for n, d in fresh.items()}
    assert direct[ids.walking].codings == 0 and direct[ids.lonely].codings == 2


def test_the_coded_share_kept_from_spans_equals_the_share_the_database_works_out(
        populated: tuple[Project, Ids]) -> None:
    project, ids = populated
    with project.session() as s:
        codings.apply_code(s, document_id=ids.p1_doc, start=0, end=20, node_id=ids.lonely, coder_id=ids.ana)
        codings.apply_code(s, document_id=ids.p1_doc, start=10, end=25, node_id=ids.walking, coder_id=ids.ben)
        spans = coding_stats.coding_spans(s, [ids.p1_doc, ids.p2_doc])
        density = coding_stats.document_density(s, document_ids=[ids.p1_doc, ids.p2_doc])
    for document_id, (length, by_coding) in spans.items():
        assert length == density[document_id].length
        assert len(by_coding) == density[document_id].codings
        assert coding_stats.covered_characters(by_coding.values()) == density[document_id].coded_characters
    assert spans[ids.p2_doc][1] == {}


def test_passages_of_a_few_codings_are_the_same_as_in_the_node_listing(populated: tuple[Project, Ids]) -> None:
    project, ids = populated
    with project.session() as s:
        listed = retrieval.retrieve_segments(s, node_id=ids.community, exclude_interviewer=True)
        few = retrieval.segments_of_codings(s, [ids.coding], exclude_interviewer=True)
        assert retrieval.segments_of_codings(s, []) == []
    assert few == [segment for segment in listed if segment.coding_id == ids.coding]
    assert few[0].text == P1_TEXT[few[0].start:few[0].end].strip() and few[0].participants == "P1"


def test_interviewer_turns_of_many_documents_are_read_together_as_one_by_one(populated: tuple[Project, Ids]) -> None:
    project, ids = populated
    with project.session() as s:
        speakers.set_interviewer_speakers(s, document_id=ids.p1_doc, speakers=["Interviewer"])
        together = speakers.interviewer_spans_of(s, [ids.p1_doc, ids.p2_doc])
        one_by_one = {doc: speakers.interviewer_spans(s, doc) for doc in (ids.p1_doc, ids.p2_doc)}
    assert together == {ids.p1_doc: one_by_one[ids.p1_doc]} and one_by_one[ids.p2_doc] == []
    assert [(t.start, t.end) for t in together[ids.p1_doc]] == [(0, 48)]
