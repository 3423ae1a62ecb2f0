"""Blind double screening in separate files: each screener works in a blind coder copy, the
copies are merged back, and agreement is computed on the merged decisions; a record one
screener imported in their copy arrives as a new study; a changed mind is a reported conflict."""

from __future__ import annotations

from pathlib import Path

from qualcode.domain.references import ReferenceRecord
from qualcode.services import coders
from qualcode.services.reviews import prisma, references, screening
from qualcode.services.reviews.agreement import screening_agreement
from qualcode.services.teamwork.distribute import export_coder_copy
from qualcode.services.teamwork.merge import merge_files
from qualcode.store.project import Project

RECORDS = [ReferenceRecord(title=f"Social prescribing study {i}", authors=(f"Author{i}, A.",), year=2010 + i,
                           doi=f"10.1000/merge.{i}") for i in range(6)]


def _screen(path: Path, coder: str, decisions: dict[int, str]) -> None:
    with Project.open(path) as project, project.session() as session:
        coder_id = coders.ensure_coder(session, coder).id
        for info in references.list_references(session):
            number = int(info.record.title.rsplit(" ", 1)[1])
            if number in decisions:
                screening.decide(session, reference_id=info.id, stage="ta", decision=decisions[number],
                                 coder_id=coder_id)


def test_blind_copies_merge_back_with_their_decisions_and_agreement(tmp_path: Path) -> None:
    base = tmp_path / "review.qualcode"
    with Project.create(base) as project, project.session() as session:
        references.import_references(session, records=RECORDS, database="MEDLINE")
        screening.add_reason(session, stage="ft", text="wrong population")
        prisma.set_count(session, key="registers", value=2)
    for name in ("Ana", "Ben"):
        export_coder_copy(base, tmp_path / f"{name}.qualcode", coder_name=name, blind=True)
    _screen(tmp_path / "Ana.qualcode", "Ana", {0: "include", 1: "include", 2: "exclude", 3: "exclude", 4: "include"})
    _screen(tmp_path / "Ben.qualcode", "Ben", {0: "include", 1: "exclude", 2: "exclude", 3: "exclude", 4: "include"})
    with Project.open(tmp_path / "Ben.qualcode") as copy, copy.session() as session:
        added = ReferenceRecord(title="Hand-searched paper", authors=("Hand, H.",), year=2022)
        references.import_references(session, records=[added], database="Hand search")
        screening.add_reason(session, stage="ft", text="not qualitative")
        prisma.set_count(session, key="registers", value=3)

    report = merge_files(base, [tmp_path / "Ana.qualcode", tmp_path / "Ben.qualcode"],
                         output=tmp_path / "merged.qualcode")
    with Project.open(tmp_path / "merged.qualcode") as merged, merged.session() as session:
        result = screening_agreement(session, stage="ta", coder_a="Ana", coder_b="Ben")
        studies = {r.case_name: r for r in references.list_references(session)}
        reasons = screening.list_reasons(session, stage="ft")
        registers = prisma.manual_counts(session)["registers"]
    assert (result.table.both, result.table.only_a, result.table.only_b, result.table.neither) == (2, 1, 0, 2)
    assert [d.decision_a for d in result.disagreements] == ["include"]
    assert "Hand 2022" in studies and studies["Hand 2022"].database == "Hand search"
    assert len(studies) == 7
    assert reasons == ["wrong population", "not qualitative"]
    assert registers == 2
    assert any(c.entity == "PRISMA count" and "kept 2" in c.detail for c in report.conflicts)

    # Ana changes her mind in her copy and merges again: the base keeps her first decision and says so.
    _screen(tmp_path / "Ana.qualcode", "Ana", {1: "exclude"})
    again = merge_files(tmp_path / "merged.qualcode", [tmp_path / "Ana.qualcode"], output=tmp_path / "again.qualcode")
    (conflict,) = [c for c in again.conflicts if c.entity == "screening decision"]
    assert conflict.detail == "Ana decided 'include' here and 'exclude' in Ana.qualcode (title/abstract); kept 'include'."
    assert report.summary() == "Merge into review.qualcode added 1 reference, 10 screening decisions; 1 conflict to review."
    markdown = report.to_markdown()
    assert "| references | 1 | 6 | 0 | 0 |" in markdown and "| screening decisions | 5 | 0 | 0 | 0 |" in markdown
