"""The merge wizard on real projects: dry-run report first, then the merge as a job (undoable)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWizard

from qualcode.gui.teamwork.merge_wizard import MergeWizard
from qualcode.services.codebook import nodes
from qualcode.services.coders import find_coder
from qualcode.store import models as m
from qualcode.store.project import Project
from tests.stand_in_workbench import StandInWorkbench
from tests.teamwork_support import build_study, code, copy_project, count, node_id, opened

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


@pytest.fixture
def bench(qtbot, tmp_path: Path) -> Iterator[StandInWorkbench]:  # type: ignore[no-untyped-def]
    lead = build_study(tmp_path / "lead.qualcode")
    bob = copy_project(lead, tmp_path / "bob.qualcode")
    with opened(bob) as s:
        code(s, "Bob", "P1 interview", "The nurse never came back", "Waiting time")
        code(s, "Bob", "P2 interview", "I forget them otherwise", "Family support")
        nodes.update_node(s, node_id=node_id(s, "Listening"), name="Feeling heard")
    project = Project.open(lead, backup=False)
    with project.session() as s:
        ann = find_coder(s, "Ann")
    window = StandInWorkbench(project, ann.id if ann else None)
    qtbot.addWidget(window)
    yield window
    project.close()


def test_the_wizard_shows_the_dry_run_report_then_merges(bench: StandInWorkbench, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    wizard = MergeWizard(bench)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.sources.add_paths([tmp_path / "bob.qualcode"])
    assert wizard.sources.isComplete()
    wizard.next()
    page = wizard.preview_page
    assert page.isComplete()
    assert page.status.text() == "Merge into lead.qualcode would add 2 codings; 1 conflict to review."
    report = page.report.toPlainText()
    assert "From bob.qualcode" in report and "renamed differently" in report and "Feeling heard" in report
    assert bench.read(lambda s: count(s, m.Coding)) == 3  # nothing written by the dry run
    ARTIFACTS.mkdir(exist_ok=True)
    wizard.grab().save(str(ARTIFACTS / "merge_wizard_preview.png"))

    saved = wizard.save_report(tmp_path / "report.html")
    assert saved is not None and "renamed differently" in saved.read_text(encoding="utf-8")

    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert bench.jobs == ["Previewing the merge", "Merging projects"]
    assert wizard.result_report is not None and not wizard.result_report.dry_run
    assert wizard.backup is not None and wizard.backup.exists()
    assert bench.read(lambda s: count(s, m.Coding)) == 5
    assert not wizard.isVisible()
    bench.undo()
    assert bench.read(lambda s: count(s, m.Coding)) == 3


def test_a_bad_file_is_reported_on_the_page_and_nothing_merged(bench: StandInWorkbench, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    notes = tmp_path / "notes.qualcode"
    notes.write_text("not a project", encoding="utf-8")
    wizard = MergeWizard(bench)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.sources.add_paths([notes])
    wizard.next()
    assert not wizard.preview_page.isComplete()
    assert "it is not a QualCode project" in wizard.preview_page.status.text()
    assert not wizard.button(QWizard.WizardButton.FinishButton).isEnabled()


def test_a_preview_made_stale_by_an_edit_is_refused_without_merging(bench: StandInWorkbench, qtbot,  # type: ignore[no-untyped-def]
                                                                    tmp_path: Path) -> None:
    wizard = MergeWizard(bench)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.sources.add_paths([tmp_path / "bob.qualcode"])
    wizard.next()
    bench.execute(lambda s: nodes.create_node(s, name="Meanwhile", level="code"))
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert "preview the merge again" in wizard.preview_page.status.text()
    assert bench.read(lambda s: count(s, m.Coding)) == 3 and wizard.isVisible()


def test_a_coders_corrected_text_is_listed_and_taken_when_ticked(bench: StandInWorkbench, qtbot,  # type: ignore[no-untyped-def]
                                                                tmp_path: Path) -> None:
    from PySide6.QtCore import QPoint, Qt

    from qualcode.services import documents
    from tests.teamwork_support import CLINIC, doc_id, span

    with opened(tmp_path / "bob.qualcode") as s:  # Bob fixed a word in the transcript
        start, end = span(CLINIC, "for hours")
        documents.edit_document_text(s, document_id=doc_id(s, "P1 interview"), start=start, end=end,
                                     replacement="for three hours")
    wizard = MergeWizard(bench)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.sources.add_paths([tmp_path / "bob.qualcode"])
    wizard.next()
    page = wizard.preview_page
    assert "2 conflicts to review" in page.status.text()
    assert "text differs" in page.report.toPlainText()
    assert page.take_text.isVisible() and page.take_text.count() == 1
    item = page.take_text.item(0)
    assert item.text().startswith("P1 interview: 'for hours.' → 'for three hours.'")
    wizard.grab().save(str(ARTIFACTS / "merge_wizard_text_differs.png"))
    rect = page.take_text.visualItemRect(item)
    qtbot.mouseClick(page.take_text.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.left() + 10,
                                                                                       rect.center().y()))
    if item.checkState() != Qt.CheckState.Checked:  # where exactly the box sits depends on the style
        item.setCheckState(Qt.CheckState.Checked)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.texts_taken == ["P1 interview"]
    text = bench.read(lambda s: s.get(m.Document, doc_id(s, "P1 interview")).text)
    assert "I was waiting for three hours." in text
    # Ann's coding moved with its words.
    assert bench.read(lambda s: sorted(text[c.start:c.end] for c in s.query(m.Coding).all()
                                       if c.document_id == doc_id(s, "P1 interview")))[0] \
        .startswith("I was waiting for three hours")
    bench.undo()  # the text edit is its own undoable step
    assert "I was waiting for hours." in bench.read(lambda s: s.get(m.Document, doc_id(s, "P1 interview")).text)
