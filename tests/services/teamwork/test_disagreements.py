"""Disagreement review: places where coders differ, decisions as audit events and consensus codings."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from qualcode.domain.errors import ValidationError
from qualcode.services.coders import find_coder
from qualcode.services.teamwork.disagreements import Decision, list_disagreements, resolve_disagreement
from qualcode.store import models as m
from qualcode.store.project import Project
from tests.teamwork_support import CLINIC, HOME, build_study, code, opened, span


@pytest.fixture
def study(tmp_path: Path) -> Path:
    path = build_study(tmp_path / "study.qualcode")
    with opened(path) as s:
        code(s, "Bob", "P1 interview", "I was waiting for hours", "Waiting time")  # same as Ann: no place
        code(s, "Bob", "P1 interview", "But the doctor listened", "Listening")
        code(s, "Bob", "P2 interview", "The pharmacist phones me every month", "Family support")
    return path


def _ids(s, *names: str) -> list[int]:
    return [find_coder(s, name).id for name in names]  # type: ignore[union-attr]


def _consensus(s) -> list[tuple[str, str]]:
    rows = s.execute(select(m.Document.text, m.Coding.start, m.Coding.end, m.Node.name)
                     .join(m.Document, m.Document.id == m.Coding.document_id)
                     .join(m.Node, m.Node.id == m.Coding.node_id)
                     .join(m.Coder, m.Coder.id == m.Coding.coder_id).where(m.Coder.name == "Consensus")
                     .order_by(m.Coding.start)).all()
    return [(text[start:end], node) for text, start, end, node in rows]


def test_places_where_coders_differ_are_listed_with_each_version_and_context(study: Path) -> None:
    with opened(study) as s:
        places = list_disagreements(s, coder_ids=_ids(s, "Ann", "Bob"), context=30)
    assert [(p.document, p.node) for p in places] == [
        ("P1 interview", "Listening"), ("P2 interview", "Family support"), ("P2 interview", "Family support")]
    listening = places[0]
    assert [v.coder for v in listening.versions] == ["Ann", "Bob"]
    assert listening.versions[0].spans == (span(CLINIC, "the doctor listened to me"),)
    assert listening.versions[1].spans == (span(CLINIC, "But the doctor listened"),)
    assert listening.text == "But the doctor listened to me"
    assert listening.before.endswith("never came back.\nP1: ") and listening.after.startswith(", and that")
    assert places[1].versions[1].spans == () and places[2].versions[0].spans == ()  # one coder only
    assert places[2].text == "The pharmacist phones me every month"
    assert all(p.decision is None for p in places)


def test_accepting_a_version_records_the_decision_and_consensus_codings(study: Path) -> None:
    with Project.open(study, backup=False) as project:
        with project.session() as s:
            ann, bob = _ids(s, "Ann", "Bob")
            place = list_disagreements(s, coder_ids=[ann, bob])[0]
            first = resolve_disagreement(s, place=place, decision=Decision.ACCEPT, accepted_coder_id=bob,
                                         reviewer_id=ann)
            assert _consensus(s) == [("But the doctor listened", "Listening")]
            event = s.scalars(select(m.AuditEvent).order_by(m.AuditEvent.id.desc())).first()
            assert event is not None and event.action == "review disagreement" and '"accept Bob"' in event.details
            assert list_disagreements(s, coder_ids=[ann, bob])[0].decision == "accept Bob"
        with project.session() as s:
            second = resolve_disagreement(s, place=place, decision="both")
            assert _consensus(s) == [("But the doctor listened to me", "Listening")]  # the union of both
            assert list_disagreements(s, coder_ids=[ann, bob])[0].decision == "both"
        with project.session() as s:
            assert second.command is not None
            second.command.revert(s)
            assert _consensus(s) == [("But the doctor listened", "Listening")]
            assert list_disagreements(s, coder_ids=[ann, bob])[0].decision == "accept Bob"
        with project.session() as s:
            resolve_disagreement(s, place=place, decision=Decision.NEITHER)
            assert _consensus(s) == []
            assert first.command is not None


def test_a_decision_can_be_recorded_without_consensus_codings(study: Path) -> None:
    with opened(study) as s:
        ann, bob = _ids(s, "Ann", "Bob")
        place = list_disagreements(s, coder_ids=[ann, bob])[1]
        resolve_disagreement(s, place=place, decision=Decision.ACCEPT, accepted_coder_id=ann, consensus=None)
        assert find_coder(s, "Consensus") is None
        assert list_disagreements(s, coder_ids=[ann, bob])[1].decision == "accept Ann"
        assert HOME.count("pharmacist") == 1


def test_unclear_decisions_are_refused(study: Path) -> None:
    with opened(study) as s:
        ann, bob = _ids(s, "Ann", "Bob")
        place = list_disagreements(s, coder_ids=[ann, bob])[0]
        with pytest.raises(ValidationError, match="whose version"):
            resolve_disagreement(s, place=place, decision="accept")
        with pytest.raises(ValidationError, match="one of the coders being compared"):
            resolve_disagreement(s, place=place, decision="both", consensus="ann")
        with pytest.raises(ValidationError, match="Unknown decision 'maybe': use one of accept, both, neither"):
            resolve_disagreement(s, place=place, decision="maybe")
        with pytest.raises(ValidationError, match="two different coders"):
            list_disagreements(s, coder_ids=[ann])
