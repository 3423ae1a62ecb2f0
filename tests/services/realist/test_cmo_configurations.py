"""CMO configurations: templates, statements, status rules, refinement, theme links, undo."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from qualcode.domain.errors import NotFoundError, ValidationError
from qualcode.services.codebook import nodes
from qualcode.services.commands import UndoStack
from qualcode.services.realist import configurations as cmo
from qualcode.services.realist import queries as cmo_queries
from qualcode.services.realist import statements as cmo_statements
from qualcode.store.models import CmoComponent, CmoConfiguration, cmo_configuration_node
from qualcode.store.project import Project

ENROLMENT = [
    ("C", "When GPs explain why they are referring patients to a link worker"),
    ("M", "patients feel the referral is legitimate"),
    ("O", "so they attend the first appointment"),
]


def _create(session, **kwargs) -> int:  # type: ignore[no-untyped-def]
    return int(cmo.create_configuration(session, **kwargs).result)


def test_configuration_keeps_concept_template_statements_and_sentence(project: Project) -> None:
    with project.session() as s:
        config_id = _create(
            s, concept="Enrolment", statements=ENROLMENT, origin="prior theory", memo="From the logic model"
        )
    with project.session() as s:
        info = cmo.get_configuration(s, config_id)
    assert (info.label, info.concept, info.template, info.roles) == ("CMOC 1", "Enrolment", "CMO", "C,M,O")
    assert (info.status, info.origin, info.memo) == ("proposed", "prior_theory", "From the logic model")
    assert [(c.role, c.position) for c in info.components] == [("C", 0), ("M", 0), ("O", 0)]
    assert info.sentence == (
        "When GPs explain why they are referring patients to a link worker (C) patients feel "
        "the referral is legitimate (M) so they attend the first appointment (O)."
    )
    assert not info.is_draft


def test_labels_number_on_and_must_be_unique(project: Project) -> None:
    with project.session() as s:
        _create(s, concept="A", statements=ENROLMENT)
        _create(s, concept="A", label="CMOC 7", statements=ENROLMENT)
        third = _create(s, concept="B", statements=ENROLMENT)
        assert cmo.get_configuration(s, third).label == "CMOC 8"
        with pytest.raises(ValidationError, match="already a configuration labelled 'cmoc 7'"):
            _create(s, concept="A", label="cmoc 7")


def test_several_outcomes_are_kept_in_order_and_all_written_in_the_sentence(project: Project) -> None:
    with project.session() as s:
        config_id = _create(
            s,
            concept="Sustaining change",
            statements=[
                ("C", "When patients form friendships within community groups"),
                ("M", "patients feel they belong"),
                ("O", "so they keep attending after support ends"),
                ("O", "report less loneliness"),
            ],
        )
        extra = cmo_statements.add_component(
            s, configuration_id=config_id, role="o", statement="visit their GP less often", position=1
        ).result
        info = cmo.get_configuration(s, config_id)
        assert [c.statement for c in info.statements("O")] == [
            "so they keep attending after support ends",
            "visit their GP less often",
            "report less loneliness",
        ]
        assert info.sentence.endswith(
            "so they keep attending after support ends (O) and visit their GP less often (O)"
            " and report less loneliness (O)."
        )
        cmo_statements.move_component(s, component_id=extra, position=5)
        assert [c.statement for c in cmo.get_configuration(s, config_id).statements("O")][
            -1
        ] == "visit their GP less often"
        first = cmo.get_configuration(s, config_id).statements("O")[0].id
        cmo_statements.delete_component(s, component_id=first)
        assert [(c.statement, c.position) for c in cmo.get_configuration(s, config_id).statements("O")] == [
            ("report less loneliness", 0),
            ("visit their GP less often", 1),
        ]


def test_user_defined_template_takes_its_own_roles_and_markers(project: Project) -> None:
    with project.session() as s:
        config_id = _create(
            s,
            concept="Readiness",
            template="Resource and reasoning",
            roles="C,Mres,Mreas,O",
            statements=[
                ("C", "When patients have low confidence"),
                ("Mres", "link workers offer to go with them"),
                ("Mreas", "patients feel safe enough to try"),
                ("O", "so they attend a group activity"),
            ],
            status="confirmed",
        )
        info = cmo.get_configuration(s, config_id)
        assert info.role_tokens == ("C", "Mres", "Mreas", "O")
        assert "(Mres) patients feel safe enough to try (Mreas) so they" in info.sentence
        with pytest.raises(ValidationError, match="'M' is not a role of the Resource and reasoning template"):
            cmo_statements.add_component(s, configuration_id=config_id, role="M", statement="x")


def test_draft_missing_a_required_role_is_flagged_and_cannot_be_confirmed(project: Project) -> None:
    with project.session() as s:
        config_id = _create(s, concept="Readiness", statements=[("C", "When patients are in crisis")])
        info = cmo.get_configuration(s, config_id)
        assert info.is_draft and info.missing_roles == ("M", "O")
        with pytest.raises(
            ValidationError,
            match=r"'CMOC 1' cannot be confirmed: it has no mechanism \(M\), "
            r"outcome \(O\) statement",
        ):
            cmo.update_configuration(s, configuration_id=config_id, status="confirmed")
        with pytest.raises(ValidationError, match="cannot be confirmed"):
            _create(s, concept="Readiness", statements=ENROLMENT[:2], status="confirmed")
        assert cmo.get_configuration(s, config_id).status == "proposed"


def test_confirmed_configuration_cannot_lose_its_last_statement_of_a_role(project: Project) -> None:
    with project.session() as s:
        config_id = _create(s, concept="Enrolment", statements=ENROLMENT, status="confirmed")
        mechanism = cmo.get_configuration(s, config_id).statements("M")[0].id
        with pytest.raises(ValidationError, match="cannot be confirmed"):
            cmo_statements.delete_component(s, component_id=mechanism)
        with pytest.raises(ValidationError, match="cannot be confirmed"):
            cmo_statements.update_component(s, component_id=mechanism, role="O")
        with pytest.raises(ValidationError, match="cannot be confirmed"):
            cmo.set_template(s, configuration_id=config_id, template="SCMO")
        assert len(cmo.get_configuration(s, config_id).components) == 3


def test_template_switch_keeps_statements_that_fit(project: Project) -> None:
    with project.session() as s:
        config_id = _create(s, concept="Enrolment", statements=ENROLMENT)
        cmo.set_template(s, configuration_id=config_id, template="ICAMO")
        info = cmo.get_configuration(s, config_id)
        assert (info.template, info.roles, info.missing_roles) == ("ICAMO", "I,C,A,M,O", ("I", "A"))
        with pytest.raises(ValidationError, match="has C statements, which the Two template has no role for"):
            cmo.set_template(s, configuration_id=config_id, template="Two", roles="M,O")


def test_refinement_chain_and_history(project: Project) -> None:
    with project.session() as s:
        first = _create(s, concept="Sustaining change", statements=ENROLMENT, origin="prior_theory", status="refuted")
        second = cmo.refine_configuration(s, configuration_id=first).result
        third = cmo.refine_configuration(s, configuration_id=second, label="CMOC 3b").result
        cmo_statements.update_component(
            s,
            component_id=cmo.get_configuration(s, third).statements("M")[0].id,
            statement="patients without friendships in their group feel abandoned",
        )
        branch = _create(s, concept="Sustaining change", statements=ENROLMENT, refined_from_id=first, status="refined")
        infos = {i: cmo.get_configuration(s, i) for i in (first, second, third)}
        assert infos[second].refined_from_id == first and infos[third].refined_from_id == second
        assert infos[second].status == "refined" and infos[second].origin == "data"
        assert infos[third].statements("M")[0].statement == "patients without friendships in their group feel abandoned"
        assert infos[first].statements("M")[0].statement == "patients feel the referral is legitimate"
        history = cmo_queries.refinement_history(s, third)
        assert [(step.configuration.label, step.depth) for step in history] == [
            ("CMOC 1", 0),
            ("CMOC 2", 1),
            ("CMOC 3b", 2),
            (cmo.get_configuration(s, branch).label, 1),
        ]


def test_refined_from_cycle_is_refused_with_the_loop_named(project: Project) -> None:
    with project.session() as s:
        first = _create(s, concept="X", statements=ENROLMENT)
        second = cmo.refine_configuration(s, configuration_id=first).result
        third = cmo.refine_configuration(s, configuration_id=second).result
        with pytest.raises(
            ValidationError,
            match=r"'CMOC 1' cannot be refined from 'CMOC 3': that configuration is "
            r"already a later version of 'CMOC 1' \(CMOC 1 → CMOC 2 → CMOC 3\)",
        ):
            cmo.update_configuration(s, configuration_id=first, refined_from_id=third)
        with pytest.raises(ValidationError, match="cannot be refined from itself"):
            cmo.update_configuration(s, configuration_id=second, refined_from_id=second)
        with pytest.raises(NotFoundError, match="no configuration with id 99"):
            cmo.update_configuration(s, configuration_id=second, refined_from_id=99)
        cmo.update_configuration(s, configuration_id=third, refined_from_id=None)
        cmo.update_configuration(s, configuration_id=first, refined_from_id=third)
        assert cmo.get_configuration(s, first).refined_from_id == third


def test_deleting_a_version_keeps_later_versions_without_the_link(project: Project) -> None:
    with project.session() as s:
        first = _create(s, concept="X", statements=ENROLMENT)
        second = cmo.refine_configuration(s, configuration_id=first).result
        stack = UndoStack()
        stack.push(cmo.delete_configuration(s, configuration_id=first))
        assert cmo.get_configuration(s, second).refined_from_id is None
        assert s.scalar(select(func.count()).select_from(CmoComponent)) == 3
        stack.undo(s)
        assert cmo.get_configuration(s, second).refined_from_id == first
        assert len(cmo.get_configuration(s, first).components) == 3


def test_theme_links_follow_node_merges(project: Project) -> None:
    with project.session() as s:
        trust = nodes.create_node(s, name="Trust", level="basic").result
        rapport = nodes.create_node(s, name="Rapport", level="basic").result
        config_id = _create(s, concept="Engagement", statements=ENROLMENT, node_ids=[trust])
        cmo_statements.link_nodes(s, configuration_id=config_id, node_ids=[rapport, trust])
        assert cmo.get_configuration(s, config_id).node_ids == (trust, rapport)
        stack = UndoStack()
        stack.push(nodes.merge_nodes(s, source_id=rapport, target_id=trust))
        assert cmo.get_configuration(s, config_id).node_ids == (trust,)
        stack.undo(s)
        assert cmo.get_configuration(s, config_id).node_ids == (trust, rapport)
        cmo_statements.unlink_node(s, configuration_id=config_id, node_id=trust)
        assert cmo.get_configuration(s, config_id).node_ids == (rapport,)


def test_the_themes_a_configuration_draws_on_are_set_in_one_step(project: Project) -> None:
    with project.session() as s:
        trust, rapport, hope = (nodes.create_node(s, name=name, level="basic").result
                                for name in ("Trust", "Rapport", "Hope"))
        config_id = _create(s, concept="Engagement", statements=ENROLMENT, node_ids=[trust, rapport])
        stack = UndoStack()
        change = stack.push(cmo_statements.set_linked_nodes(s, configuration_id=config_id, node_ids=[hope, rapport]))
        assert set(cmo.get_configuration(s, config_id).node_ids) == {rapport, hope}
        assert change.title == "Change the themes 'CMOC 1' draws on"
        stack.undo(s)
        assert cmo.get_configuration(s, config_id).node_ids == (trust, rapport)
        stack.redo(s)
        assert set(cmo.get_configuration(s, config_id).node_ids) == {rapport, hope}
        with pytest.raises(NotFoundError, match="no node with id 999"):
            cmo_statements.set_linked_nodes(s, configuration_id=config_id, node_ids=[trust, 999])
        assert set(cmo.get_configuration(s, config_id).node_ids) == {rapport, hope}


def test_every_mutation_undoes_and_redoes_exactly(project: Project) -> None:
    def snapshot(s) -> list:  # type: ignore[no-untyped-def]
        return [
            [tuple(r) for r in s.execute(select(CmoConfiguration.__table__).order_by(CmoConfiguration.id))],
            [tuple(r) for r in s.execute(select(CmoComponent.__table__).order_by(CmoComponent.id))],
            sorted(tuple(r) for r in s.execute(select(cmo_configuration_node))),
        ]

    with project.session() as s:
        stack = UndoStack()
        node = nodes.create_node(s, name="Trust").result
        other = nodes.create_node(s, name="Hope").result
        config_id = _create(s, concept="Enrolment", statements=ENROLMENT)
        states = [snapshot(s)]
        component = cmo.get_configuration(s, config_id).components[0].id
        actions = [
            lambda: cmo.update_configuration(
                s, configuration_id=config_id, concept="Enrolment and uptake", status="confirmed", memo="tested"
            ),
            lambda: cmo_statements.add_component(s, configuration_id=config_id, role="O", statement="tell friends"),
            lambda: cmo_statements.update_component(s, component_id=component, statement="When GPs explain the referral"),
            lambda: cmo_statements.link_nodes(s, configuration_id=config_id, node_ids=[node]),
            lambda: cmo_statements.set_linked_nodes(s, configuration_id=config_id, node_ids=[other]),
            lambda: cmo.refine_configuration(s, configuration_id=config_id),
            lambda: cmo.set_template(s, configuration_id=config_id, template="Own", roles="C,M,O,R?"),
            lambda: cmo.delete_configuration(s, configuration_id=config_id),
        ]
        for action in actions:
            stack.push(action())
            states.append(snapshot(s))
        for expected in reversed(states[:-1]):
            stack.undo(s)
            assert snapshot(s) == expected
        for expected in states[1:]:
            stack.redo(s)
            assert snapshot(s) == expected


def test_list_groups_by_concept_in_first_use_order_and_filters(project: Project) -> None:
    with project.session() as s:
        _create(s, concept="Readiness", statements=ENROLMENT, status="confirmed")
        _create(s, concept="Enrolment", statements=ENROLMENT, origin="prior_theory")
        _create(s, concept="Readiness", statements=ENROLMENT)
        assert cmo.concepts(s) == ["Readiness", "Enrolment"]
        assert [(c.concept, c.label) for c in cmo.list_configurations(s)] == [
            ("Readiness", "CMOC 1"),
            ("Readiness", "CMOC 3"),
            ("Enrolment", "CMOC 2"),
        ]
        assert [c.label for c in cmo.list_configurations(s, status="confirmed")] == ["CMOC 1"]
        assert [c.label for c in cmo.list_configurations(s, origin="prior theory")] == ["CMOC 2"]
        with pytest.raises(ValidationError, match="Unknown configuration status 'done'"):
            cmo.list_configurations(s, status="done")
        assert cmo.find_configuration(s, "cmoc 3").concept == "Readiness"
        with pytest.raises(NotFoundError, match="no configuration labelled 'CMOC 9'"):
            cmo.find_configuration(s, "CMOC 9")
