"""Optimistic concurrency for every edit of a shared thing on a team project: two clients read
the same row, one changes it, the other's save with the version it read is refused with one
line naming who changed it, and nothing of the first change is overwritten."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy.orm import Session

from qualcode.domain.errors import ConflictError
from qualcode.services import coders, documents, memos, project
from qualcode.services.cases import cases
from qualcode.services.codebook import nodes
from qualcode.services.coding import codings
from qualcode.services.commands import UndoStack
from qualcode.services.realist import configurations as cmo
from qualcode.services.realist import statements
from qualcode.store.server import TeamProject

TEXT = "I felt lonely until the walking group. The nurse listened."


@pytest.fixture
def clients(team_url: str) -> Iterator[tuple[TeamProject, TeamProject, dict[str, int]]]:
    """Ben's and Ana's connections to one team project with one of everything."""
    with TeamProject.open(team_url) as ben, TeamProject.open(team_url) as ana:
        with ben.session() as s:
            ids = {"ben": coders.ensure_coder(s, "Ben").id, "ana": coders.ensure_coder(s, "Ana").id}
            ids["doc"] = documents.add_document(s, name="P1", text=TEXT).result
            ids["node"] = nodes.create_node(s, name="Loneliness").result
            ids["coding"] = codings.apply_code(s, document_id=ids["doc"], start=0, end=14, node_id=ids["node"],
                                               coder_id=ids["ben"]).result
            ids["memo"] = memos.add_memo(s, target_type="project", title="Design", text="Two sites.").result
            ids["case"] = cases.create_case(s, name="P1").result
            ids["age"] = cases.create_attribute(s, name="age", type="number").result
            cases.set_attribute_value(s, attribute_id=ids["age"], case_id=ids["case"], value=67)
            ids["config"] = cmo.create_configuration(s, concept="Company", label="CMO1",
                                                     statements=[("C", "Living alone"), ("M", "Being listened to"),
                                                                 ("O", "Less lonely")]).result
        yield ben, ana, ids


Edit = Callable[[Session, dict[str, int], str, str], Any]  # session, ids, expected version, value
Read = Callable[[Session, dict[str, int]], tuple[str, str]]  # the version and the value as read

CASES: dict[str, tuple[Read, Edit, str]] = {
    "node definition (node dialog)": (
        lambda s, i: (nodes.get_node(s, i["node"]).version, nodes.get_node(s, i["node"]).definition),
        lambda s, i, v, x: nodes.update_node(s, node_id=i["node"], definition=x, inclusion="Says so", color="#336699",
                                             expected_version=v, coder_id=i["ana"]),
        "the node 'Loneliness'"),
    "node memo": (
        lambda s, i: (nodes.get_node(s, i["node"]).version, nodes.get_node(s, i["node"]).memo),
        lambda s, i, v, x: nodes.update_node(s, node_id=i["node"], memo=x, expected_version=v, coder_id=i["ana"]),
        "the node 'Loneliness'"),
    "document memo": (
        lambda s, i: (documents.get_document(s, i["doc"]).version, documents.get_document(s, i["doc"]).memo),
        lambda s, i, v, x: documents.update_document(s, document_id=i["doc"], memo=x, expected_version=v,
                                                     coder_id=i["ana"]),
        "the document 'P1'"),
    "coding memo": (
        lambda s, i: (codings.coding_version(s, i["coding"]), codings.get_coding(s, i["coding"]).memo),
        lambda s, i, v, x: codings.update_coding(s, coding_id=i["coding"], memo=x, expected_version=v,
                                                 coder_id=i["ana"]),
        "a coding"),
    "project memo": (
        lambda s, i: next((m.version, m.text) for m in memos.memos_for(s, target_type="project")),
        lambda s, i, v, x: memos.update_memo(s, memo_id=i["memo"], text=x, expected_version=v, coder_id=i["ana"]),
        "the memo 'Design'"),
    "project description": (
        lambda s, i: (project.summary(s).version, project.summary(s).methodology),
        lambda s, i, v, x: project.update_project_info(s, methodology=x, expected_version=v, coder_id=i["ana"]),
        "the project description 'Study'"),
    "case": (
        lambda s, i: next((c.version, c.memo) for c in cases.list_cases(s)),
        lambda s, i, v, x: cases.update_case(s, case_id=i["case"], memo=x, expected_version=v, coder_id=i["ana"]),
        "the case 'P1'"),
    "case attribute value": (
        lambda s, i: (cases.attribute_value_version(s, attribute_id=i["age"], case_id=i["case"]), ""),
        lambda s, i, v, x: cases.set_attribute_value(s, attribute_id=i["age"], case_id=i["case"], value=len(x),
                                                     expected_version=v, coder_id=i["ana"]),
        "an attribute value"),
    "CMO configuration": (
        lambda s, i: (cmo.get_configuration(s, i["config"]).version, cmo.get_configuration(s, i["config"]).memo),
        lambda s, i, v, x: cmo.update_configuration(s, configuration_id=i["config"], memo=x, expected_version=v,
                                                    coder_id=i["ana"]),
        "the CMO configuration 'CMO1'"),
    "CMO statement": (
        lambda s, i: (cmo.get_configuration(s, i["config"]).components[0].version,
                      cmo.get_configuration(s, i["config"]).components[0].statement),
        lambda s, i, v, x: statements.update_component(
            s, component_id=cmo.get_configuration(s, i["config"]).components[0].id, statement=x or "Alone",
            expected_version=v, coder_id=i["ana"]),
        "a CMO statement"),
}


@pytest.mark.parametrize("what", list(CASES))
def test_a_save_over_someone_elses_change_is_refused_naming_them(
        clients: tuple[TeamProject, TeamProject, dict[str, int]], what: str) -> None:
    ben, ana, ids = clients
    read, edit, described = CASES[what]
    with ana.session() as s:  # Ana opens it
        seen, _ = read(s, ids)
    with ben.session() as s:  # Ben changes it with the version he read just now
        ben_seen, _ = read(s, ids)
        edit(s, ids | {"ana": ids["ben"]}, ben_seen, "Ben's words")
    with ben.session() as s:
        after_ben = read(s, ids)
    with pytest.raises(ConflictError) as refused, ana.session() as s:
        edit(s, ids, seen, "Ana's words")
    assert str(refused.value).startswith(f"Not saved: {described}")
    assert str(refused.value).endswith(" was changed by Ben since you opened it; reopen it to see their change.")
    assert "\n" not in str(refused.value)
    with ana.session() as s:
        assert read(s, ids) == after_ben  # nothing of Ben's change overwritten
        now, _ = read(s, ids)
    with ana.session() as s:  # reopened: her save goes through
        edit(s, ids, now, "Ana's second thoughts")
    with ana.session() as s:
        assert read(s, ids) != after_ben


def test_a_node_changed_by_a_member_without_a_coder_is_named_by_their_role(
        clients: tuple[TeamProject, TeamProject, dict[str, int]]) -> None:
    ben, ana, ids = clients
    with ana.session() as s:
        seen = nodes.get_node(s, ids["node"]).version
    with ben.session() as s:
        nodes.update_node(s, node_id=ids["node"], definition="Company wanted")  # no coder given
    with pytest.raises(ConflictError, match="was changed by someone else since you opened it"), ana.session() as s:
        nodes.update_node(s, node_id=ids["node"], definition="Mine", expected_version=seen)


def test_a_cleared_attribute_value_is_not_set_again_over_the_clearing(
        clients: tuple[TeamProject, TeamProject, dict[str, int]]) -> None:
    ben, ana, ids = clients
    with ana.session() as s:
        seen = cases.attribute_value_version(s, attribute_id=ids["age"], case_id=ids["case"])
    with ben.session() as s:
        cases.set_attribute_value(s, attribute_id=ids["age"], case_id=ids["case"], value=None, coder_id=ids["ben"])
    with pytest.raises(ConflictError, match="^Not saved: the value of 'age' was cleared by someone else since you "
                                            "opened it; reopen it to see their change.$"), ana.session() as s:
        cases.set_attribute_value(s, attribute_id=ids["age"], case_id=ids["case"], value=70, expected_version=seen)
    with ana.session() as s:
        assert cases.attribute_value_version(s, attribute_id=ids["age"], case_id=ids["case"]) == cases.NO_VALUE


def test_an_own_edit_undone_after_it_was_saved_with_its_version_undoes(
        clients: tuple[TeamProject, TeamProject, dict[str, int]]) -> None:
    _ben, ana, ids = clients
    stack = UndoStack()
    with ana.session() as s:
        seen = cmo.get_configuration(s, ids["config"]).version
        stack.push(cmo.update_configuration(s, configuration_id=ids["config"], status="confirmed",
                                            expected_version=seen, coder_id=ids["ana"]))
    with ana.session() as s:
        stack.undo(s)
    with ana.session() as s:
        assert cmo.get_configuration(s, ids["config"]).status == "proposed"


def test_both_engines_refuse_a_stale_version_and_keep_the_newer_change(any_project) -> None:  # type: ignore[no-untyped-def]
    with any_project.session() as s:
        ana = coders.ensure_coder(s, "Ana").id
        node = nodes.create_node(s, name="Waiting").result
        seen = nodes.get_node(s, node).version
    with any_project.session() as s:
        nodes.update_node(s, node_id=node, color="#aa3300", expected_version=seen, coder_id=ana)
    who = "Ana" if isinstance(any_project, TeamProject) else "someone else"
    with pytest.raises(ConflictError, match=f"^Not saved: the node 'Waiting' was changed by {who} since you opened "
                                            "it; reopen it to see their change.$"), any_project.session() as s:
        nodes.update_node(s, node_id=node, color="#0033aa", expected_version=seen)
    with any_project.session() as s:
        assert nodes.get_node(s, node).color == "#aa3300"
