"""Teamwork in the real main window: the Teamwork menu, the review dock, and a merge run as a
background job through the window's job runner, undone from its undo stack."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QWizard
from sqlalchemy import func, select

from qualcode.gui.teamwork.disagreement_panel import DisagreementPanel
from qualcode.gui.teamwork.merge_wizard import MergeWizard
from qualcode.gui.workbench.main_window import MainWindow
from qualcode.services.coders import ensure_coder
from qualcode.services.coding import codings
from qualcode.store import models as m
from tests.teamwork_support import copy_project, opened


def _codings(window: MainWindow) -> int:
    return int(window.read(lambda s: s.scalar(select(func.count()).select_from(m.Coding))) or 0)


def test_the_teamwork_menu_and_review_dock_are_in_the_window(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    titles = [a.text() for a in window.menu("&Teamwork").actions() if a.text()]
    assert titles == ["Export a coder copy…", "Merge coders' projects…", "Inter-coder agreement…",
                      "Review disagreements"]
    panel = window.findChild(DisagreementPanel)
    assert panel is not None
    window.menu("&Teamwork").actions()[-1].trigger()
    qtbot.waitUntil(panel.isVisible)
    panel.find()
    assert panel.list.topLevelItemCount() > 0  # the demo's two coders differ somewhere
    assert "places where the coders differ" in panel.summary.text()


def test_a_merge_runs_as_a_job_and_is_undone_from_the_window(window: MainWindow, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert window.project is not None
    other = copy_project(window.project.path, tmp_path / "second-coder.qualcode")
    with opened(other) as s:
        coder = ensure_coder(s, "Second coder").id
        doc_id, text = s.execute(select(m.Document.id, m.Document.text).order_by(m.Document.id)).first()  # type: ignore[misc]
        node_id = s.scalar(select(m.Node.id).where(m.Node.level == 1).order_by(m.Node.id))
        codings.apply_code(s, document_id=doc_id, start=0, end=min(40, len(text)), node_id=node_id, coder_id=coder)
    before = _codings(window)
    wizard = MergeWizard(window)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.sources.add_paths([other])
    wizard.next()
    qtbot.waitUntil(wizard.preview_page.isComplete, timeout=20_000)
    assert "would add 1 coding" in wizard.preview_page.status.text()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: wizard.result_report is not None, timeout=20_000)
    assert _codings(window) == before + 1
    assert window.undo_stack.undoText().startswith("Merge second-coder.qualcode")
    window.undo_stack.undo()
    assert _codings(window) == before


def test_the_teamwork_dialogs_open_without_holding_up_the_window(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    from qualcode.gui.teamwork.agreement_dialog import AgreementDialog
    from qualcode.gui.teamwork.coder_copy_dialog import CoderCopyDialog

    actions = {a.text(): a for a in window.menu("&Teamwork").actions()}
    for title, kind in (("Inter-coder agreement…", AgreementDialog), ("Export a coder copy…", CoderCopyDialog)):
        actions[title].trigger()  # returns at once: the dialog is open, the window's events still run
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, kind) and dialog.isVisible(), title
        dialog.reject()
        qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)
