"""Disagreement review in the panel: find places, read versions, decide, undo."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from qualcode.gui.teamwork.disagreement_panel import DisagreementPanel
from qualcode.services.coders import find_coder
from qualcode.store import models as m
from qualcode.store.project import Project
from tests.stand_in_workbench import StandInWorkbench
from tests.teamwork_support import build_study, code, opened

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


@pytest.fixture
def bench(qtbot, tmp_path: Path) -> Iterator[StandInWorkbench]:  # type: ignore[no-untyped-def]
    path = build_study(tmp_path / "study.qualcode")
    with opened(path) as s:
        code(s, "Bob", "P1 interview", "I was waiting for hours", "Waiting time")
        code(s, "Bob", "P1 interview", "But the doctor listened", "Listening")
        code(s, "Bob", "P2 interview", "The pharmacist phones me every month", "Family support")
        reviewer = find_coder(s, "Ann")
    project = Project.open(path, backup=False)
    window = StandInWorkbench(project, reviewer.id if reviewer else None)
    qtbot.addWidget(window)
    yield window
    project.close()


def _consensus(bench: StandInWorkbench) -> list[str]:
    def query(s):  # type: ignore[no-untyped-def]
        rows = s.execute(select(m.Document.text, m.Coding.start, m.Coding.end).join(
            m.Document, m.Document.id == m.Coding.document_id).join(m.Coder, m.Coder.id == m.Coding.coder_id)
            .where(m.Coder.name == "Consensus").order_by(m.Coding.start)).all()
        return [text[start:end] for text, start, end in rows]
    return bench.read(query)


def test_the_reviewer_finds_places_reads_versions_and_decides(bench: StandInWorkbench, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = DisagreementPanel(bench)
    qtbot.addWidget(panel)
    panel.resize(1100, 420)
    panel.show()
    qtbot.mouseClick(panel.find_button, Qt.MouseButton.LeftButton)
    assert panel.list.topLevelItemCount() == 3
    assert panel.summary.text() == "3 places where the coders differ; 3 without a decision."
    first = panel.list.topLevelItem(0)
    assert [first.text(c) for c in range(3)] == ["P1 interview", "Listening", "But the doctor listened to me"]
    detail = panel.detail.toPlainText()
    assert "Ann (1 coding)" in detail and "Bob (1 coding)" in detail and "the doctor listened" in detail
    ARTIFACTS.mkdir(exist_ok=True)
    panel.grab().save(str(ARTIFACTS / "disagreement_panel.png"))

    bob = find_bob(bench)
    qtbot.mouseClick(panel.button(f"accept_{bob}"), Qt.MouseButton.LeftButton)
    assert _consensus(bench) == ["But the doctor listened"]
    assert panel.list.topLevelItem(0).text(3) == "accept Bob"
    assert panel.list.currentItem() is panel.list.topLevelItem(1)  # moved on to the next open place
    assert "2 without a decision" in panel.summary.text()

    qtbot.mouseClick(panel.button("decide_neither"), Qt.MouseButton.LeftButton)
    assert panel.list.topLevelItem(1).text(3) == "neither"
    bench.undo()
    assert panel.list.topLevelItem(1).text(3) == ""
    bench.undo()
    assert panel.list.topLevelItem(0).text(3) == "" and _consensus(bench) == []

    panel.select(2)
    qtbot.mouseClick(panel.show_button, Qt.MouseButton.LeftButton)
    place = panel.current_place()
    assert place is not None and bench.jumps == [(place.document_id, place.start, place.end)]


def test_without_consensus_only_the_decision_is_recorded(bench: StandInWorkbench, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = DisagreementPanel(bench)
    qtbot.addWidget(panel)
    panel.find()
    panel.consensus.setChecked(False)
    qtbot.mouseClick(panel.button("decide_both"), Qt.MouseButton.LeftButton)
    assert panel.list.topLevelItem(0).text(3) == "both"
    assert bench.read(lambda s: find_coder(s, "Consensus")) is None
    panel.consensus.setChecked(True)
    panel.consensus_name.setText("Ann")
    panel.select(1)
    panel.decide(panel_decision("both"))
    assert bench.errors and "one of the coders being compared" in bench.errors[-1]


def find_bob(bench: StandInWorkbench) -> int:
    coder = bench.read(lambda s: find_coder(s, "Bob"))
    assert coder is not None
    return coder.id


def panel_decision(value: str):  # type: ignore[no-untyped-def]
    from qualcode.services.teamwork.disagreements import Decision

    return Decision(value)
