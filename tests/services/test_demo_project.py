"""The demo project: built complete from the samples, atomically, in the data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.domain.errors import CancelledError, ProjectError
from qualcode.domain.levels import Level
from qualcode.domain.progress import RecordingProgress
from qualcode.services import demo, documents, project
from qualcode.services.cases import cases
from qualcode.services.codebook import nodes
from qualcode.services.coding import codings
from qualcode.services.realist import configurations as cmo
from qualcode.store.project import Project


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo.build_demo(tmp_path_factory.mktemp("demo") / "QualCode demo.qualcode")


def test_demo_has_transcripts_participants_network_codings_and_configurations(built: Path) -> None:
    with Project.open(built, read_only=True) as proj, proj.session() as s:
        summary = project.summary(s)
        docs = documents.list_documents(s)
        network = nodes.list_nodes(s)
        all_codings = [c for d in docs for c in codings.codings_of_document(s, d.id)]
        linked = {c.name: c.document_ids for c in cases.list_cases(s)}
        configurations = cmo.list_configurations(s)
    assert summary.title == demo.TITLE
    assert [d.name for d in docs] == ["LW01_interview_wave1", "LW02_interview_wave1", "P01_interview_wave1",
                                      "P02_interview_wave1", "P03_followup_wave2", "P04_interview_wave1"]
    assert all(len(linked[name]) == 1 for name in ("LW01", "LW02", "P01", "P02", "P03", "P04"))
    assert {n.level for n in network} == set(Level)
    assert all(n.definition for n in network)
    assert sum(1 for n in network if n.level is Level.GLOBAL) == 1
    assert 40 <= len(all_codings) <= 80
    assert {c.coder_name for c in all_codings} == set(demo.CODERS)
    assert sum(c.exemplar for c in all_codings) >= 8
    assert any(c.memo for c in all_codings)
    assert all(c.text.strip() == c.text and c.text for c in all_codings)
    assert len(configurations) == 2


def test_demo_path_is_in_the_user_data_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert demo.demo_path() == tmp_path / "QualCode" / "QualCode demo.qualcode"


def test_a_cancelled_build_leaves_nothing_behind(tmp_path: Path) -> None:
    target = tmp_path / "QualCode demo.qualcode"
    with pytest.raises(CancelledError):
        demo.build_demo(target, progress=RecordingProgress(cancel_after=2))
    assert list(tmp_path.iterdir()) == []


def test_ensure_demo_reuses_an_existing_demo_and_refuses_one_that_is_open(built: Path, tmp_path: Path) -> None:
    copy = demo.demo_path(tmp_path)
    copy.write_bytes(built.read_bytes())
    stamp = copy.stat().st_mtime_ns
    assert demo.ensure_demo(tmp_path) == copy and copy.stat().st_mtime_ns == stamp
    with Project.open(copy), pytest.raises(ProjectError, match="close it before rebuilding"):
        demo.ensure_demo(tmp_path, fresh=True)
