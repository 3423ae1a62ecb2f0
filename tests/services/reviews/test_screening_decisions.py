"""Screening several records at once: one step that records, changes and undoes decisions."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from qualcode.domain.errors import ValidationError
from qualcode.services import coders
from qualcode.services.commands import UndoStack
from qualcode.services.reviews import references, screening
from qualcode.store.models import ScreeningDecision
from qualcode.store.project import Project
from tests import review_sample as sample


def _decisions(project: Project) -> list[tuple[int, str, str, str]]:
    d = ScreeningDecision
    with project.session() as session:
        return list(session.execute(select(d.reference_id, d.stage, d.decision, d.reason)
                                    .order_by(d.reference_id, d.stage)).tuples())


def test_a_changed_decision_replaces_the_screeners_own_and_undo_restores_it(tmp_path: Path) -> None:
    with Project.create(tmp_path / "review.qualcode") as project:
        with project.session() as session:
            references.import_reference_file(session, path=sample.write_medline_ris(tmp_path / "m.ris"),
                                             database="MEDLINE")
            screening.add_reason(session, stage="full_text", text="wrong population")
            ana = coders.ensure_coder(session, "Ana").id
            ids = [info.id for info in references.list_references(session)][:3]
        stack = UndoStack()
        with project.session() as session:
            stack.push(screening.decide_many(session, records=[(i, "title_abstract") for i in ids],
                                             decision="include", coder_id=ana))
        included = _decisions(project)
        assert [(r, s, d) for r, s, d, _ in included] == [(i, "title_abstract", "include") for i in ids]
        with project.session() as session:
            stack.push(screening.decide_many(session, records=[(ids[0], "title_abstract"), (ids[1], "full_text")],
                                             decision="exclude", reason="Wrong Population", coder_id=ana))
        assert _decisions(project) == [
            (ids[0], "title_abstract", "exclude", "Wrong Population"),  # no list at this stage: as written
            (ids[1], "full_text", "exclude", "wrong population"),  # spelled as the team's list spells it
            (ids[1], "title_abstract", "include", ""),
            (ids[2], "title_abstract", "include", ""),
        ]
        with project.session() as session, pytest.raises(ValidationError, match="has not passed title/abstract"):
            screening.decide_many(session, records=[(ids[2], "title_abstract"), (ids[0], "full_text")],
                                  decision="include", coder_id=ana)
        with project.session() as session:
            stack.undo(session)
        assert _decisions(project) == included
