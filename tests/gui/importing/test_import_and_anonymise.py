"""The import wizard (files, speakers to cases, duplicates) and the anonymisation review,
driven through the real dialogs and run as background jobs."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.gui.importing.anonymise_review_dialog import AnonymiseReviewDialog
from qualcode.gui.importing.anonymise_setup_dialog import AnonymiseSetupDialog
from qualcode.gui.importing.wizard import ImportWizard
from qualcode.gui.workbench.main_window import MainWindow
from qualcode.resources import resource_path
from qualcode.services import documents
from qualcode.services.cases import cases
from qualcode.services.coding import codings
from qualcode.services.importing.importing import ImportStatus
from tests.gui.conftest import make_window

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
SAMPLES = ("LW01_interview_wave1.txt", "P02_interview_wave1.vtt", "P03_followup_wave2.txt")


@pytest.fixture
def empty(qtbot, styled_app, tmp_path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    window = make_window(qtbot)
    assert window.create_project(tmp_path / "Study", "Study")
    return window


def run_wizard(window: MainWindow, qtbot, paths: list[Path], *, copy: bool = False) -> ImportWizard:  # type: ignore[no-untyped-def]
    window.window_actions.import_action.trigger()
    wizard = window.import_actions.dialog
    assert isinstance(wizard, ImportWizard) and wizard.isVisible()
    wizard.files_page.add_paths(paths)
    wizard.next()
    return wizard


def finish(window: MainWindow, qtbot, wizard: ImportWizard, *, copy: bool = False) -> None:  # type: ignore[no-untyped-def]
    wizard.next()
    if copy:
        wizard.options_page.copy.setChecked(True)
    window.import_actions.last_report = None
    wizard.accept()
    qtbot.waitUntil(lambda: window.import_actions.last_report is not None, timeout=20000)


def test_wizard_imports_files_linking_speakers_to_cases(empty: MainWindow, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    broken = tmp_path / "notes.odt"
    broken.write_bytes(b"not really an OpenDocument file")
    paths = [resource_path("samples", name) for name in SAMPLES]
    wizard = run_wizard(empty, qtbot, [*paths, broken])
    assert wizard.files_page.files.count() == 4
    assert "notes.odt — " in wizard.files_page.files.item(3).text()
    assert wizard.paths() == [p.absolute() for p in paths]
    page = wizard.speakers_page
    speakers = [page.table.item(r, 0).text() for r in range(page.table.rowCount())]
    assert speakers == ["I", "R", "Hannah Fielding", "Carol Whitby", "Speaker 1", "Speaker 2"]
    assert page.interviewers() == ("I",)
    page.set_interviewer("Hannah Fielding", True)
    page.set_interviewer("Speaker 1", True)
    page.set_case("Speaker 2", "Jordan ({id})")
    ARTIFACTS.mkdir(exist_ok=True)
    wizard.grab().save(str(ARTIFACTS / "import-wizard-speakers.png"))
    mapping = wizard.cases_by_path()
    assert mapping[paths[1].absolute()] == {"Carol Whitby": "{id}"}
    assert mapping[paths[2].absolute()] == {"Speaker 2": "Jordan ({id})"}
    finish(empty, qtbot, wizard)
    report = empty.import_actions.last_report
    assert report is not None and [o.status for o in report.outcomes] == [ImportStatus.IMPORTED] * 3
    stored = empty.read(documents.list_documents)
    assert [d.name for d in stored] == ["LW01_interview_wave1", "P02_interview_wave1", "P03_followup_wave2"]
    linked = {c.name: len(c.document_ids) for c in empty.read(cases.list_cases)}
    assert linked == {"Jordan (P03)": 1, "LW01": 1, "P02": 1}
    assert empty.panels.documents.documents.topLevelItemCount() == 3
    assert empty.panels.viewer.title.text() == "LW01_interview_wave1"
    assert empty.window_actions.undo_action.text() == "&Undo Import 3 documents"
    empty.undo_stack.undo()
    assert empty.read(documents.list_documents) == []
    assert empty.panels.documents.documents.topLevelItemCount() == 0
    empty.undo_stack.redo()
    assert len(empty.read(documents.list_documents)) == 3


def test_duplicates_are_skipped_or_copied_as_chosen(empty: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    path = resource_path("samples", SAMPLES[0])
    finish(empty, qtbot, run_wizard(empty, qtbot, [path]))
    finish(empty, qtbot, run_wizard(empty, qtbot, [path]))
    report = empty.import_actions.last_report
    assert report is not None and report.outcomes[0].status is ImportStatus.DUPLICATE
    message = empty.messenger.last
    assert message is not None and message.title == "Import finished"
    assert "already in the project: skipped" in message.text
    assert len(empty.read(documents.list_documents)) == 1
    finish(empty, qtbot, run_wizard(empty, qtbot, [path]), copy=True)
    names = [d.name for d in empty.read(documents.list_documents)]
    assert names == ["LW01_interview_wave1", "LW01_interview_wave1 (2)"]


def test_anonymisation_is_reviewed_then_applied_keeping_codings_on_their_words(window: MainWindow,  # type: ignore[no-untyped-def]
                                                                                qtbot) -> None:
    window.open_document(3)  # P01: Dennis talks about Dr Okafor, Marsh Lane, Leeds ...
    original = window.read(lambda s: documents.document_text(s, 3))
    before = {c.id: c for c in window.read(lambda s: codings.codings_of_document(s, 3))}
    setup = window.import_actions.anonymise_dialog()
    assert isinstance(setup, AnonymiseSetupDialog)
    setup.open_only.setChecked(True)
    for category, box in setup.category_boxes.items():
        box.setChecked(category in ("person", "place"))
    setup.accept()
    qtbot.waitUntil(lambda: isinstance(window.import_actions.dialog, AnonymiseReviewDialog), timeout=30000)
    review = window.import_actions.dialog
    assert isinstance(review, AnonymiseReviewDialog)
    proposals = review.plan().proposals
    assert {p.original for p in proposals} >= {"Dr Okafor", "Leeds"}
    leeds = next(p for p in proposals if p.original == "Leeds")
    okafor = [p for p in proposals if p.original == "Dr Okafor"]
    review.set_kept(leeds.id, False)
    review.set_pseudonym(okafor[0].id, "Dr Green")
    assert review.count.text() == f"{len(proposals) - 1} of {len(proposals)} replacements will be applied."
    ARTIFACTS.mkdir(exist_ok=True)
    review.grab().save(str(ARTIFACTS / "anonymise-review.png"))
    review.category.setCurrentText("place")
    assert review.table.isRowHidden(next(i for i, p in enumerate(proposals) if p.category == "person"))
    review.buttons.button(review.buttons.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: "Replaced" in window.statusBar().currentMessage(), timeout=30000)
    text = window.read(lambda s: documents.document_text(s, 3))
    assert "Leeds" in text and "Dr Green" in text and "[Place A]" in text
    assert text.count("Dr Okafor") == original.count("Dr Okafor") - len(okafor)
    assert text.count("Dr Green") == len(okafor)  # one pseudonym for the same name everywhere
    after = {c.id: c for c in window.read(lambda s: codings.codings_of_document(s, 3))}
    assert set(after) == set(before)
    unchanged = [c for c in before.values() if all(p.original not in c.text for p in proposals)]
    assert unchanged
    assert all(after[c.id].text == c.text for c in unchanged)
    assert window.panels.viewer.editor.toPlainText() == text
    assert window.window_actions.undo_action.text().startswith("&Undo Anonymise")
    window.undo_stack.undo()
    assert window.read(lambda s: documents.document_text(s, 3)) == original
