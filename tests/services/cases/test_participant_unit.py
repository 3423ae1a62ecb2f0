"""Participants are counted as distinct participant cases, not as combinations of linked case names."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.domain.errors import NotFoundError
from qualcode.services import coders, documents
from qualcode.services.cases import cases
from qualcode.services.cases.participant_unit import participant_unit
from qualcode.services.codebook import nodes
from qualcode.services.coding import codings
from qualcode.services.themes.review import review_themes
from qualcode.services.themes.tables import codebook_table
from qualcode.store.project import Project


def test_a_participant_with_a_site_a_follow_up_and_a_joint_interview(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.qualcode") as project, project.session() as s:
        ann = coders.ensure_coder(s, "Ann").id
        texts = {"P01 interview": "We talked about the bus.", "P01 follow-up": "Still the bus.",
                 "P02 interview": "The bus again.", "P03+P04 joint": "We both take the bus."}
        doc = {name: documents.add_document(s, name=name, text=text).result for name, text in texts.items()}
        case = {name: cases.create_case(s, name=name).result for name in ("P01", "P02", "P03", "P04", "Site A")}
        links = {"P01": ["P01 interview", "P01 follow-up"], "P02": ["P02 interview"], "P03": ["P03+P04 joint"],
                 "P04": ["P03+P04 joint"], "Site A": ["P01 interview", "P02 interview"]}
        for name, linked in links.items():
            cases.link_documents(s, case_id=case[name], document_ids=[doc[d] for d in linked])
        transport = nodes.create_node(s, name="Transport", level="code").result
        for name, text in texts.items():
            start = text.index("bus")
            codings.apply_code(s, document_id=doc[name], start=start, end=start + 3, node_id=transport, coder_id=ann)

        # Combinations of names would give four ("P01, Site A", "P01", "P02, Site A", "P03, P04") for
        # three documents' worth of people; the people are P01, P02, P03 and P04.
        [row] = [r for r in review_themes(s, include_codes=True) if r.name == "Transport"]
        assert (row.documents, row.participants) == (4, 4)
        only_p01 = participant_unit(s).count([doc["P01 interview"], doc["P01 follow-up"]])
        assert only_p01 == 1
        unit = participant_unit(s)
        assert unit.counted == ("P01", "P02", "P03", "P04") and unit.grouping == ("Site A",)
        assert "Not counted as participants (they group other cases' documents): Site A." in unit.note()

        # The user may name the participant cases instead: then only those count.
        chosen = participant_unit(s, [case["P01"], case["P02"]])
        assert chosen.count(doc.values()) == 3  # P01, P02 and the joint interview as a document of its own
        assert "the cases chosen as participants (P01, P02)" in chosen.note()
        table = codebook_table(s)
        assert "Participants: distinct participant cases (P01, P02, P03, P04)" in table.note
        with pytest.raises(NotFoundError, match="no case with id 999"):
            participant_unit(s, [999])
