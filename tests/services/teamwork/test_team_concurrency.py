"""Several clients on one team project at once: nothing lost or duplicated, conflicting
edits refused with a message, undo refused after someone else's change."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from qualcode.domain.errors import ConflictError
from qualcode.services import coders, documents
from qualcode.services.codebook import nodes
from qualcode.services.coding import codings
from qualcode.services.commands import UndoStack
from qualcode.store.models import Coding, Node
from qualcode.store.server import TeamProject

TEXT = "word " * 400


def _setup(url: str) -> tuple[int, int, int]:
    with TeamProject.open(url) as project, project.session() as s:
        doc = documents.add_document(s, name="P1", text=TEXT).result
        care = nodes.create_node(s, name="Care", level="basic").result
        trust = nodes.create_node(s, name="Trust", parent_id=care).result
    return doc, care, trust


def test_five_clients_coding_at_once_lose_and_duplicate_nothing(team_url: str) -> None:
    doc, _care, trust = _setup(team_url)
    per_client = 20  # 5 x 1,000 runs in tests/benchmarks/bench_team.py

    def client(number: int) -> list[int]:
        made = []
        with TeamProject.open(team_url) as project:
            with project.session() as s:
                me = coders.ensure_coder(s, f"Coder {number}").id
            for i in range(per_client):  # one transaction per coding, as in the window
                with project.session() as s:
                    start = 5 * i
                    made.append(codings.apply_code(s, document_id=doc, start=start, end=start + 4, node_id=trust,
                                                   coder_id=me).result)
        return made

    with ThreadPoolExecutor(max_workers=5) as pool:
        results = list(pool.map(client, range(5)))
    with TeamProject.open(team_url) as project, project.session() as s:
        total = s.scalar(select(func.count()).select_from(Coding))
        distinct = s.scalar(select(func.count(func.distinct(Coding.uid))))
        per_coder = sorted(n for (n,) in s.execute(select(func.count()).select_from(Coding).group_by(Coding.coder_id)))
    assert sum(len(r) for r in results) == total == distinct == 5 * per_client
    assert per_coder == [per_client] * 5


def test_two_coders_renaming_the_same_node_second_is_refused_with_a_message(team_url: str) -> None:
    _doc, _care, trust = _setup(team_url)
    with TeamProject.open(team_url) as ana, TeamProject.open(team_url) as ben:
        with ana.session() as s:
            seen_by_ana = nodes.get_node(s, trust)
        with ben.session() as s:
            seen_by_ben = nodes.get_node(s, trust)
        with ana.session() as s:
            nodes.update_node(s, node_id=trust, name="Trust in staff", expected_version=seen_by_ana.version,
                              coder_id=coders.ensure_coder(s, "Ana").id)
        with pytest.raises(ConflictError, match="^Not saved: the node 'Trust in staff' was changed by Ana since you "
                                                "opened it; reopen it to see their change.$"), ben.session() as s:
            nodes.update_node(s, node_id=trust, name="Confidence", expected_version=seen_by_ben.version)
        with pytest.raises(ConflictError), ben.session() as s:  # moving it on the stale view is refused too
            nodes.move_node(s, node_id=trust, parent_id=None, expected_version=seen_by_ben.version)
        with ben.session() as s:
            assert (nodes.get_node(s, trust).name, nodes.get_node(s, trust).parent_id) == ("Trust in staff", _care)


def test_simultaneous_renames_take_turns_and_the_later_one_is_refused(team_url: str) -> None:
    _doc, _care, trust = _setup(team_url)
    with TeamProject.open(team_url) as ana, TeamProject.open(team_url) as ben:
        with ana.session() as s:
            version = nodes.get_node(s, trust).version
        ana_holds_lock, outcome = threading.Event(), {}

        def ben_renames() -> None:
            ana_holds_lock.wait(5)
            try:
                with ben.session() as s:
                    nodes.update_node(s, node_id=trust, name="Ben's name", expected_version=version)
                outcome["ben"] = "saved"
            except ConflictError as exc:
                outcome["ben"] = str(exc)

        thread = threading.Thread(target=ben_renames)
        thread.start()
        with ana.session() as s:  # Ana's transaction holds the row while Ben's waits for it
            nodes.update_node(s, node_id=trust, name="Ana's name", expected_version=version)
            ana_holds_lock.set()
            thread.join(0.3)
            assert thread.is_alive()  # Ben is waiting, not overwriting
        thread.join(5)
        with ana.session() as s:
            assert s.scalar(select(Node.name).where(Node.id == trust)) == "Ana's name"
    assert outcome["ben"] == ("Not saved: the node 'Ana's name' was changed by someone else since you opened it; "
                              "reopen it to see their change.")


def test_undo_is_refused_after_someone_else_changed_the_same_node(team_url: str) -> None:
    _doc, _care, trust = _setup(team_url)
    mine = UndoStack()
    with TeamProject.open(team_url) as ana, TeamProject.open(team_url) as ben:
        with ana.session() as s:
            mine.push(nodes.update_node(s, node_id=trust, name="Trust in staff"))
        with ben.session() as s:
            nodes.update_node(s, node_id=trust, definition="Confidence in carers")
        with pytest.raises(ConflictError, match="Cannot undo 'Rename 'Trust' to 'Trust in staff'': the node "
                                                "'Trust in staff' was changed by someone else since"), ana.session() as s:
            mine.undo(s)
        assert mine.can_undo  # the step stays on the stack
        with ben.session() as s:
            node = nodes.get_node(s, trust)
        assert (node.name, node.definition) == ("Trust in staff", "Confidence in carers")


def test_bulk_steps_of_two_clients_at_once_get_distinct_ids(team_url: str) -> None:
    doc, _care, trust = _setup(team_url)
    barrier = threading.Barrier(2)

    def bulk(number: int) -> int:
        with TeamProject.open(team_url) as project, project.session() as s:
            me = coders.ensure_coder(s, f"Bulk {number}").id
            specs = [codings.CodingSpec(doc, 5 * i, 5 * i + 4, trust) for i in range(60)]
            barrier.wait(5)
            return int(codings.apply_codes(s, specs=specs, coder_id=me).result)

    with ThreadPoolExecutor(max_workers=2) as pool:
        assert list(pool.map(bulk, range(2))) == [60, 60]
    with TeamProject.open(team_url) as project:
        with project.session() as s:  # a plain insert afterwards still gets a fresh id
            codings.apply_code(s, document_id=doc, start=0, end=3, node_id=trust,
                               coder_id=coders.ensure_coder(s, "Late").id)
        with project.session() as s:
            assert s.scalar(select(func.count()).select_from(Coding)) == 121
