"""Evidence for CMO statements: passages and codings, stance, counts, survival of text
edits and node merges, refusals, undo; tagging a passage as C/M/O in one step."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from qualcode.domain.errors import NotFoundError, ValidationError
from qualcode.services import coders, documents
from qualcode.services.cases import cases
from qualcode.services.codebook import nodes
from qualcode.services.coding import codings
from qualcode.services.commands import UndoStack
from qualcode.services.realist import configurations as cmo
from qualcode.services.realist import evidence as cmo_evidence
from qualcode.services.realist import queries as cmo_queries
from qualcode.services.realist import statements as cmo_statements
from qualcode.services.realist import tagging as cmo_tagging
from qualcode.store.models import CmoComponent, CmoConfiguration, CmoEvidence
from qualcode.store.project import Project

P1_TEXT = (
    "Interviewer: How did you come to see the link worker?\n"
    "P1: My GP sat me down and said why she thought it would help. I went because she explained it.\n"
    "Interviewer: And the first meeting?\n"
    "P1: She gave me a whole hour. Nobody had ever listened like that.\n"
)
P2_TEXT = (
    "Interviewer: Tell me about the referral.\n"
    "P2: I just got a letter. I thought it was for people worse off than me, so I binned it.\n"
)


@dataclass
class World:
    coder: int
    other_coder: int
    p1: int
    p2: int
    config: int
    c: int
    m: int
    o: int


def span(text: str, passage: str) -> tuple[int, int]:
    start = text.index(passage)
    return start, start + len(passage)


@pytest.fixture
def world(project: Project) -> World:
    with project.session() as s:
        coder = coders.add_coder(s, name="Amira").result
        other = coders.add_coder(s, name="Ben").result
        p1 = documents.add_document(s, name="P1 interview", text=P1_TEXT).result
        p2 = documents.add_document(s, name="P2 interview", text=P2_TEXT).result
        site = cases.create_attribute(s, name="site", type="category").result
        deprivation = cases.create_attribute(s, name="deprivation", type="category").result
        for name, doc, site_name, level in (("P1", p1, "Site A", "high"), ("P2", p2, "Site B", "low")):
            case = cases.create_case(s, name=name).result
            cases.link_documents(s, case_id=case, document_ids=[doc])
            cases.set_attribute_value(s, attribute_id=site, case_id=case, value=site_name)
            cases.set_attribute_value(s, attribute_id=deprivation, case_id=case, value=level)
        config = cmo.create_configuration(
            s,
            concept="Enrolment",
            statements=[
                ("C", "When GPs explain why they are referring patients"),
                ("M", "patients feel the referral is legitimate"),
                ("O", "so they attend the first appointment"),
            ],
        ).result
        c, m, o = (comp.id for comp in cmo.get_configuration(s, config).components)
        return World(coder, other, p1, p2, config, c, m, o)


def test_passage_and_coding_evidence_are_listed_with_context_cases_and_stance(project: Project, world: World) -> None:
    with project.session() as s:
        start, end = span(P1_TEXT, "My GP sat me down and said why she thought it would help.")
        cmo_evidence.add_evidence(
            s, component_id=world.c, coder_id=world.coder, document_id=world.p1, start=start, end=end
        )
        node = nodes.create_node(s, name="Referral letter").result
        letter = span(P2_TEXT, "I just got a letter.")
        coding = codings.apply_code(
            s, document_id=world.p2, start=letter[0], end=letter[1], node_id=node, coder_id=world.other_coder
        ).result
        cmo_evidence.add_evidence(
            s, component_id=world.c, coder_id=world.other_coder, coding_id=coding, stance="refutes", memo="letter only"
        )
        rows = cmo_evidence.evidence_for(s, configuration_id=world.config, context=20)
    assert [(r.document_name, r.text, r.stance, r.coder_name, r.cases, r.role) for r in rows] == [
        (
            "P1 interview",
            "My GP sat me down and said why she thought it would help.",
            "supports",
            "Amira",
            ("P1",),
            "C",
        ),
        ("P2 interview", "I just got a letter.", "refutes", "Ben", ("P2",), "C"),
    ]
    # Context stays within the passage's paragraph (here, its turn) and ends at a whole word.
    assert rows[0].before == "P1: " and rows[0].after == " I went because she"
    assert rows[1].coding_id == coding and rows[1].memo == "letter only"
    assert rows[1].configuration_label == "CMOC 1" and rows[1].concept == "Enrolment"


def test_counts_per_configuration_and_statement(project: Project, world: World) -> None:
    with project.session() as s:
        gp = span(P1_TEXT, "My GP sat me down and said why she thought it would help.")
        hour = span(P1_TEXT, "She gave me a whole hour.")
        binned = span(P2_TEXT, "I thought it was for people worse off than me, so I binned it.")
        for component, doc, (start, end), coder, stance in (
            (world.c, world.p1, gp, world.coder, "supports"),
            (world.m, world.p1, gp, world.coder, "supports"),  # same passage, second statement
            (world.m, world.p1, gp, world.other_coder, "supports"),  # same passage, second coder
            (world.o, world.p1, hour, world.coder, "supports"),
            (world.o, world.p2, binned, world.other_coder, "refutes"),
        ):
            cmo_evidence.add_evidence(
                s, component_id=component, coder_id=coder, document_id=doc, start=start, end=end, stance=stance
            )
        empty = cmo.create_configuration(s, concept="Enrolment", statements=[("C", "x")]).result
        counts = cmo_queries.evidence_counts(s, site_attribute="Site")
    total = counts[world.config].total
    assert (total.spans, total.refuting, total.documents, total.cases, total.sites, total.coders) == (3, 1, 2, 2, 2, 2)
    m = counts[world.config].components[world.m]
    assert (m.spans, m.documents, m.cases, m.coders) == (1, 1, 1, 2)
    o = counts[world.config].components[world.o]
    assert (o.spans, o.refuting, o.sites) == (2, 1, 2)
    assert counts[empty].total == cmo_queries.EvidenceCounts()
    with project.session() as s, pytest.raises(NotFoundError, match="no case attribute named 'region'"):
        cmo_queries.evidence_counts(s, site_attribute="region")


def test_filter_by_case_attribute_status_and_origin(project: Project, world: World) -> None:
    with project.session() as s:
        other = cmo.create_configuration(s, concept="Readiness", statements=[("C", "x")], origin="prior_theory").result
        binned = span(P2_TEXT, "I binned it.")
        cmo_tagging.tag_span(
            s,
            document_id=world.p2,
            start=binned[0],
            end=binned[1],
            role="O",
            configuration_id=other,
            coder_id=world.coder,
        )
        hour = span(P1_TEXT, "She gave me a whole hour.")
        cmo_evidence.add_evidence(
            s, component_id=world.o, coder_id=world.coder, document_id=world.p1, start=hour[0], end=hour[1]
        )
        high = cmo_queries.filter_configurations(s, case_attribute="deprivation", case_value="High")
        low = cmo_queries.filter_configurations(
            s, case_attribute="deprivation", case_value="low", origin="prior_theory"
        )
        assert [c.id for c in high] == [world.config]
        assert [c.id for c in low] == [other]
        assert cmo_queries.case_attribute_values(s) == {"deprivation": ["high", "low"], "site": ["Site A", "Site B"]}


def test_passage_evidence_survives_text_edits_and_undo(project: Project, world: World) -> None:
    passage = "She gave me a whole hour. Nobody had ever listened like that."
    with project.session() as s:
        start, end = span(P1_TEXT, passage)
        evidence = cmo_evidence.add_evidence(
            s, component_id=world.m, coder_id=world.coder, document_id=world.p1, start=start, end=end
        ).result
        stack = UndoStack()
        # Anonymise the GP's pronoun before the passage, then a word inside it.
        she = P1_TEXT.index("said why she") + len("said why ")
        stack.push(
            documents.edit_document_text(
                s, document_id=world.p1, start=she, end=she + 3, replacement="[they]", reason="anonymise"
            )
        )
        inside = documents.document_text(s, world.p1).index("whole hour")
        stack.push(
            documents.edit_document_text(s, document_id=world.p1, start=inside, end=inside + 5, replacement="full")
        )
        row = cmo_evidence.evidence_for(s, component_id=world.m)[0]
        assert row.id == evidence
        assert row.text == "She gave me a full hour. Nobody had ever listened like that."
        stack.undo(s)
        stack.undo(s)
        assert cmo_evidence.evidence_for(s, component_id=world.m)[0].text == passage
        stack.redo(s)
        assert cmo_evidence.evidence_for(s, component_id=world.m)[0].text.startswith("She gave me a whole hour.")


def test_evidence_wholly_inside_removed_text_goes_and_comes_back_with_undo(project: Project, world: World) -> None:
    with project.session() as s:
        start, end = span(P1_TEXT, "whole hour")
        cmo_evidence.add_evidence(
            s, component_id=world.m, coder_id=world.coder, document_id=world.p1, start=start, end=end
        )
        stack = UndoStack()
        sentence = span(P1_TEXT, "She gave me a whole hour. ")
        outcome = stack.push(
            documents.edit_document_text(s, document_id=world.p1, start=sentence[0], end=sentence[1], replacement="")
        ).result
        assert outcome.dropped == 1 and cmo_evidence.evidence_for(s, component_id=world.m) == []
        stack.undo(s)
        assert cmo_evidence.evidence_for(s, component_id=world.m)[0].text == "whole hour"


def test_coding_evidence_follows_its_coding_through_a_node_merge_and_text_edit(project: Project, world: World) -> None:
    with project.session() as s:
        listened = nodes.create_node(s, name="Feeling listened to").result
        heard = nodes.create_node(s, name="Being heard").result
        start, end = span(P1_TEXT, "Nobody had ever listened like that.")
        coding = codings.apply_code(
            s, document_id=world.p1, start=start, end=end, node_id=heard, coder_id=world.coder
        ).result
        cmo_evidence.add_evidence(s, component_id=world.m, coder_id=world.coder, coding_id=coding)
        stack = UndoStack()
        stack.push(nodes.merge_nodes(s, source_id=heard, target_id=listened))
        documents.edit_document_text(s, document_id=world.p1, start=0, end=0, replacement="[Transcript 1]\n")
        rows = cmo_evidence.evidence_for(s, component_id=world.m)
        assert [(r.coding_id, r.text) for r in rows] == [(coding, "Nobody had ever listened like that.")]
        assert codings.get_coding(s, coding).node_id == listened


def test_duplicate_merge_drops_coding_but_evidence_is_journaled(project: Project, world: World) -> None:
    """When a merge drops a duplicate coding, its evidence goes with it and undo restores both."""
    with project.session() as s:
        a = nodes.create_node(s, name="A").result
        b = nodes.create_node(s, name="B").result
        start, end = span(P1_TEXT, "She gave me a whole hour.")
        codings.apply_code(s, document_id=world.p1, start=start, end=end, node_id=a, coder_id=world.coder)
        duplicate = codings.apply_code(
            s, document_id=world.p1, start=start, end=end, node_id=b, coder_id=world.coder
        ).result
        cmo_evidence.add_evidence(s, component_id=world.m, coder_id=world.coder, coding_id=duplicate)
        stack = UndoStack()
        stack.push(nodes.merge_nodes(s, source_id=b, target_id=a))
        assert cmo_evidence.evidence_for(s, component_id=world.m) == []
        stack.undo(s)
        assert [r.coding_id for r in cmo_evidence.evidence_for(s, component_id=world.m)] == [duplicate]


def test_bad_evidence_is_refused_clearly(project: Project, world: World) -> None:
    with project.session() as s:
        documents.delete_document(s, document_id=world.p2)
        with pytest.raises(
            NotFoundError,
            match="Cannot use a passage of document 2 as evidence: that document is "
            r"not in this project \(it may have been deleted\)",
        ):
            cmo_evidence.add_evidence(
                s, component_id=world.c, coder_id=world.coder, document_id=world.p2, start=0, end=5
            )
        with pytest.raises(NotFoundError, match="that document is not in this project"):
            cmo_tagging.tag_span(s, document_id=world.p2, start=0, end=5, role="C", coder_id=world.coder)
        with pytest.raises(ValidationError, match="The evidence passage 0-9999 lies outside the text"):
            cmo_evidence.add_evidence(
                s, component_id=world.c, coder_id=world.coder, document_id=world.p1, start=0, end=9999
            )
        with pytest.raises(ValidationError, match="a passage or to a coding, not both"):
            cmo_evidence.add_evidence(
                s, component_id=world.c, coder_id=world.coder, document_id=world.p1, start=0, end=5, coding_id=1
            )
        with pytest.raises(NotFoundError, match="The coding 42 is not in this project"):
            cmo_evidence.add_evidence(s, component_id=world.c, coder_id=world.coder, coding_id=42)
        with pytest.raises(ValidationError, match="Unknown evidence stance 'maybe'"):
            cmo_evidence.add_evidence(
                s, component_id=world.c, coder_id=world.coder, document_id=world.p1, start=0, end=5, stance="maybe"
            )
        cmo_evidence.add_evidence(s, component_id=world.c, coder_id=world.coder, document_id=world.p1, start=0, end=5)
        with pytest.raises(ValidationError, match="already evidence for that statement"):
            cmo_evidence.add_evidence(
                s, component_id=world.c, coder_id=world.coder, document_id=world.p1, start=0, end=5, stance="refutes"
            )
        assert s.scalar(select(func.count()).select_from(CmoEvidence)) == 1


def test_evidence_edits_and_deletes_undo(project: Project, world: World) -> None:
    with project.session() as s:
        stack = UndoStack()
        evidence = stack.push(
            cmo_evidence.add_evidence(
                s, component_id=world.c, coder_id=world.coder, document_id=world.p1, start=0, end=11
            )
        ).result
        stack.push(cmo_evidence.update_evidence(s, evidence_id=evidence, stance="refutes", component_id=world.o))
        row = cmo_evidence.evidence_for(s, configuration_id=world.config)[0]
        assert (row.stance, row.role) == ("refutes", "O")
        stack.push(cmo_evidence.delete_evidence(s, evidence_id=evidence))
        assert cmo_evidence.evidence_for(s, configuration_id=world.config) == []
        stack.undo(s)
        stack.undo(s)
        row = cmo_evidence.evidence_for(s, configuration_id=world.config)[0]
        assert (row.id, row.stance, row.role) == (evidence, "supports", "C")
        stack.push(cmo_statements.delete_component(s, component_id=world.c))
        assert s.scalar(select(func.count()).select_from(CmoEvidence)) == 0
        stack.undo(s)
        assert s.scalar(select(func.count()).select_from(CmoEvidence)) == 1


def test_tagging_builds_a_configuration_in_single_undoable_steps(project: Project, world: World) -> None:
    passage = "I thought it was for people worse off than me, so I binned it."
    start, end = span(P2_TEXT, passage)
    with project.session() as s:
        stack = UndoStack()
        first = stack.push(
            cmo_tagging.tag_span(
                s, document_id=world.p2, start=start, end=end, role="C", concept="Enrolment", coder_id=world.coder
            )
        ).result
        assert first.new_configuration and first.new_component
        config = cmo.get_configuration(s, first.configuration_id)
        assert (config.label, config.concept, config.status, config.origin) == (
            "CMOC 2",
            "Enrolment",
            "proposed",
            "data",
        )
        assert config.statements("C")[0].statement == passage and config.missing_roles == ("M", "O")
        for role in ("m", "O"):
            result = stack.push(
                cmo_tagging.tag_span(
                    s,
                    document_id=world.p2,
                    start=start,
                    end=end,
                    role=role,
                    configuration_id=first.configuration_id,
                    coder_id=world.coder,
                )
            ).result
            assert result.new_component and not result.new_configuration
        again = stack.push(
            cmo_tagging.tag_span(
                s,
                document_id=world.p1,
                start=0,
                end=11,
                role="O",
                configuration_id=first.configuration_id,
                coder_id=world.coder,
            )
        ).result
        assert not again.new_component
        config = cmo.get_configuration(s, first.configuration_id)
        assert [c.role for c in config.components] == ["C", "M", "O"] and not config.is_draft
        counts = cmo_queries.evidence_counts(s, configuration_ids=[config.id])[config.id]
        assert (counts.total.spans, counts.components[config.statements("O")[0].id].spans) == (2, 2)
        with pytest.raises(ValidationError, match="already evidence for the O statement of 'CMOC 2'"):
            cmo_tagging.tag_span(
                s, document_id=world.p1, start=0, end=11, role="O", configuration_id=config.id, coder_id=world.coder
            )
        cmo_statements.add_component(s, configuration_id=config.id, role="O", statement="second outcome")
        with pytest.raises(ValidationError, match="'CMOC 2' has 2 O statements: choose the one"):
            cmo_tagging.tag_span(
                s, document_id=world.p1, start=12, end=20, role="O", configuration_id=config.id, coder_id=world.coder
            )
        with pytest.raises(ValidationError, match="is a C statement, not O"):
            cmo_tagging.tag_span(
                s, document_id=world.p1, start=12, end=20, role="O", component_id=world.c, coder_id=world.coder
            )
        with pytest.raises(ValidationError, match="'X' is not a role of the CMO template"):
            cmo_tagging.tag_span(s, document_id=world.p1, start=12, end=20, role="X", coder_id=world.coder)
        s.execute(select(1))
        for _ in range(4):
            stack.undo(s)
        assert s.scalar(select(func.count()).select_from(CmoConfiguration)) == 1
        assert s.scalar(select(func.count()).select_from(CmoComponent)) == 3
        assert s.scalar(select(func.count()).select_from(CmoEvidence)) == 0


def test_tagging_into_a_user_defined_template_and_onto_a_chosen_statement(project: Project, world: World) -> None:
    with project.session() as s:
        result = cmo_tagging.tag_span(
            s,
            document_id=world.p1,
            start=0,
            end=11,
            role="mres",
            concept="Readiness",
            template="Resource/reasoning",
            roles="C,Mres,Mreas,O",
            statement="link workers offer to go with them",
            coder_id=world.coder,
        ).result
        config = cmo.get_configuration(s, result.configuration_id)
        assert [(c.role, c.statement) for c in config.components] == [("Mres", "link workers offer to go with them")]
        chosen = cmo_tagging.tag_span(
            s,
            document_id=world.p1,
            start=12,
            end=20,
            role="M",
            component_id=world.m,
            coder_id=world.other_coder,
            stance="refutes",
        ).result
        assert (chosen.configuration_id, chosen.component_id) == (world.config, world.m)
        assert cmo_evidence.evidence_for(s, component_id=world.m)[0].stance == "refutes"


def test_draft_statement_is_shortened_at_a_word() -> None:
    long = "I " + "really " * 40 + "wanted to go."
    text = cmo_tagging.draft_statement(long)
    assert text.endswith("…") and len(text) <= 161 and not text[:-1].endswith(" ")
    assert cmo_tagging.draft_statement('  "She listened."  ') == "She listened."
