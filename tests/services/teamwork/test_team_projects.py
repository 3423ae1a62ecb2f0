"""Team projects: init, publish a file, check out a local copy, work offline, merge back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from qualcode.domain.errors import ProjectError, ValidationError
from qualcode.services import coders, documents
from qualcode.services.codebook import nodes
from qualcode.services.coding import codings
from qualcode.services.teamwork import team
from qualcode.store.models import AuditEvent, Coding, Document, Node
from qualcode.store.project import Project
from qualcode.store.server import TeamProject


def _local_study(path: Path) -> Path:
    with Project.create(path, title="Loneliness") as project, project.session() as s:
        ana = coders.ensure_coder(s, "Ana").id
        doc = documents.add_document(s, name="P1", text="I felt lonely until the walking group.").result
        lonely = nodes.create_node(s, name="Loneliness").result
        codings.apply_code(s, document_id=doc, start=7, end=13, node_id=lonely, coder_id=ana)
    return path


def _codings(project: Project) -> set[tuple[str, int, int, str]]:
    with project.session() as s:
        rows = s.execute(select(Document.name, Coding.start, Coding.end, Node.name)
                         .join(Document, Document.id == Coding.document_id).join(Node, Node.id == Coding.node_id))
        return {tuple(r) for r in rows}  # type: ignore[misc]


def test_publish_checkout_offline_edits_and_merge_back(tmp_path: Path, new_team_url: str) -> None:
    report = team.publish(_local_study(tmp_path / "study.qualcode"), new_team_url)
    assert report.total("codings").added == 1
    copy = tmp_path / "offline.qualcode"
    checked_out = team.checkout(new_team_url, copy)
    assert checked_out.total("documents").added == 1
    with Project.open(copy) as local, local.session() as s:  # offline work: a new code and a coding
        ana = coders.ensure_coder(s, "Ana").id
        doc = s.scalar(select(Document.id))
        walking = nodes.create_node(s, name="Walking group").result
        codings.apply_code(s, document_id=doc, start=24, end=37, node_id=walking, coder_id=ana)
    merged = team.merge_into_team(new_team_url, [copy])
    assert merged.total("codings").added == 1 and merged.total("codings").matched == 1
    assert merged.total("nodes").added == 1
    with TeamProject.open(new_team_url) as project:
        assert _codings(project) == {("P1", 7, 13, "Loneliness"), ("P1", 24, 37, "Walking group")}
    again = team.merge_into_team(new_team_url, [copy])
    assert not again.changes_anything, again.sources[0].counts


def test_checkout_refuses_an_existing_file_and_publish_a_missing_one(tmp_path: Path, new_team_url: str) -> None:
    with pytest.raises(ProjectError, match="No project at"):
        team.publish(tmp_path / "missing.qualcode", new_team_url)
    existing = tmp_path / "here.qualcode"
    existing.write_text("x")
    with pytest.raises(ProjectError, match="already exists"):
        team.checkout(new_team_url, existing)
    assert existing.read_text() == "x"


def test_add_member_refuses_an_unknown_role(new_team_url: str) -> None:
    with team.init_team(new_team_url) as project, pytest.raises(ValidationError, match="not a team role"):
        team.add_member(project, name="Ana", role="boss", password=None)


def test_audit_events_record_the_database_role(new_team_url: str) -> None:
    with team.init_team(new_team_url) as project:
        with project.session() as s:
            nodes.create_node(s, name="Trust")
        with project.session() as s:
            details = [json.loads(d) for d in s.scalars(select(AuditEvent.details))]
    assert details and all(d["db_role"] == "qualcode_admin" for d in details)
