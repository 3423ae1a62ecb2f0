"""Coder copies: same uids, optionally blind, merged back cleanly."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from qualcode.domain.errors import ProjectError, ValidationError
from qualcode.services import memos
from qualcode.services.coders import find_coder
from qualcode.services.teamwork.distribute import export_coder_copy
from qualcode.services.teamwork.merge import merge_files
from qualcode.store import models as m
from tests.teamwork_support import build_study, code, count, opened


@pytest.fixture
def study(tmp_path: Path) -> Path:
    path = build_study(tmp_path / "lead.qualcode")
    with opened(path) as s:
        code(s, "Cy", "P2 interview", "The pharmacist phones me every month", "Family support")
        cy = find_coder(s, "Cy").id  # type: ignore[union-attr]
        coding_uid = s.scalars(select(m.Coding.uid).where(m.Coding.coder_id == cy)).one()
        memos.add_memo(s, target_type="coding", target_uid=coding_uid, text="Cy's private reading", coder_id=cy)
        memos.add_journal_entry(s, coder_id=cy, text="Cy's journal")
    return path


def _uids(path: Path, model: type[m.Base]) -> set[str]:
    with opened(path) as s:
        return set(s.scalars(select(model.uid)))  # type: ignore[attr-defined]


def test_a_full_copy_keeps_every_uid_and_adds_the_coder(study: Path, tmp_path: Path) -> None:
    copy = export_coder_copy(study, tmp_path / "bob", coder_name="Bob")
    assert copy.path == tmp_path / "bob.qualcode" and copy.codings_kept == 4 and copy.codings_removed == 0
    for model in (m.Document, m.Node, m.Case, m.Coding, m.Memo):
        assert _uids(copy.path, model) == _uids(study, model)
    with opened(copy.path) as s:
        assert find_coder(s, "Bob") is not None
        event = s.scalars(select(m.AuditEvent).order_by(m.AuditEvent.id.desc())).first()
        assert event is not None and event.action == "export coder copy"


def test_a_blind_copy_holds_none_of_the_other_coders_work(study: Path, tmp_path: Path) -> None:
    copy = export_coder_copy(study, tmp_path / "bob.qualcode", coder_name="Bob", blind=True)
    assert copy.codings_removed == 4 and copy.codings_kept == 0
    with opened(copy.path) as s:
        assert count(s, m.Coding) == 0 and count(s, m.JournalEntry) == 0
        assert [memo.target_type for memo in s.scalars(select(m.Memo))] == ["node"]  # the codebook memo stays
        assert count(s, m.Document) == 2 and count(s, m.Node) == 7 and count(s, m.AttributeValue) == 1
    assert b"Cy's private reading" not in copy.path.read_bytes()  # compacted: nothing left in free pages
    assert b"Cy's journal" not in copy.path.read_bytes()


def test_a_blind_copy_merges_back_adding_only_the_new_coders_work(study: Path, tmp_path: Path) -> None:
    copy = export_coder_copy(study, tmp_path / "bob.qualcode", coder_name="Bob", blind=True)
    with opened(copy.path) as s:
        code(s, "Bob", "P1 interview", "The nurse never came back", "Waiting time")
    report = merge_files(study, [copy.path])
    assert report.total("codings").added == 1 and report.total("codings").skipped == 0
    assert report.total("documents").added == 0 and report.total("nodes").added == 0 and report.conflicts == ()
    with opened(study) as s:
        assert count(s, m.Coding) == 5 and count(s, m.JournalEntry) == 2


def test_bad_requests_are_refused(study: Path, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="already exists"):
        export_coder_copy(study, study, coder_name="Bob")
    with pytest.raises(ValidationError, match="named coder"):
        export_coder_copy(study, tmp_path / "x.qualcode", coder_name="  ")
    with pytest.raises(ProjectError, match="does not exist"):
        export_coder_copy(study, tmp_path / "missing" / "x.qualcode", coder_name="Bob")
    assert not (tmp_path / "x.qualcode").exists()


def test_the_documents_a_copy_is_made_for_are_recorded_and_travel_with_the_merge(study: Path, tmp_path: Path) -> None:
    from qualcode.domain.errors import NotFoundError
    from qualcode.services.teamwork.distribute import recorded_assignments
    from tests.teamwork_support import doc_id

    with opened(study) as s:
        p1, p2 = doc_id(s, "P1 interview"), doc_id(s, "P2 interview")
    first = export_coder_copy(study, tmp_path / "bob1.qualcode", coder_name="Bob", documents=[p1])
    assert first.assigned_documents == 1
    with opened(first.path) as s:
        bob = find_coder(s, "Bob").id  # type: ignore[union-attr]
        assert recorded_assignments(s, [bob]) == {bob: {p1}}
    merge_files(study, [first.path])
    with opened(study) as s:
        bob_here = find_coder(s, "Bob").id  # type: ignore[union-attr]
        assert recorded_assignments(s, [bob_here]) == {bob_here: {p1}}
    # A later copy for every document lifts the assignment.
    second = export_coder_copy(study, tmp_path / "bob2.qualcode", coder_name="Bob")
    with opened(second.path) as s:
        assert recorded_assignments(s, [bob]) == {}
    with pytest.raises(NotFoundError, match="no document with id 999"):
        export_coder_copy(study, tmp_path / "bob3.qualcode", coder_name="Bob", documents=[p2, 999])
    assert not (tmp_path / "bob3.qualcode").exists()
