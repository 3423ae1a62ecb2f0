"""The text-search panel in the real main window on the clinic study: search, keyword-in-context
results, code all hits to a node in one undoable step, undo and redo, jump to a hit."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from qualcode.gui.workbench.main_window import MainWindow
from qualcode.services.coding import codings as coding_service
from tests.analysis.study import Study, build_study
from tests.gui.conftest import make_window

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def _open_study(qtbot, tmp_path: Path) -> tuple[MainWindow, Study]:  # type: ignore[no-untyped-def]
    study = build_study(tmp_path / "clinic.qualcode")
    study.project.close()
    window = make_window(qtbot)
    assert window.open_project(study.project.path), window.messenger.history
    return window, study


def answer_box(asked: list[str], button: QMessageBox.StandardButton) -> None:
    """Click a button of the question box that is open, as the user would."""
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox)
    asked.append(box.text())
    box.button(button).click()


def _my_codings(window: MainWindow, node_id: int) -> list[tuple[str, str]]:
    coder = window.coder_id
    return sorted((c.document_name, c.text) for c in window.read(
        lambda s: coding_service.codings_of_node(s, node_id)) if c.coder_id == coder)


def test_search_kwic_code_all_hits_then_undo_and_redo(qtbot, styled_app: QApplication, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window, study = _open_study(qtbot, tmp_path)
    search_action = next(a for a in window.menu("&Query").actions() if a.text() == "&Text search…")
    search_action.trigger()
    panel = window.analysis_panels.search
    assert panel.isVisible() and window.focusWidget() is panel.query

    qtbot.keyClicks(panel.query, "nurse")
    qtbot.keyClick(panel.query, Qt.Key.Key_Return)
    model = panel.model
    assert model.rowCount() == 3
    rows = [[model.index(r, c).data() for c in range(6)] for r in range(3)]
    assert rows[0] == ["P1 interview", "P1", "P1", "I listened to the ", "nurse", ". I trusted her completely."]
    assert [r[0] for r in rows] == ["P1 interview", "P2 follow-up", "P3 interview"]
    assert "3 hits in 3 documents" in panel.status.text()

    panel.node.select_node(study.nodes["Communication"])
    panel.unit.setCurrentIndex(panel.unit.findData("sentence"))
    before = _my_codings(window, study.nodes["Communication"])
    qtbot.mouseClick(panel.code_all, Qt.MouseButton.LeftButton)
    assert _my_codings(window, study.nodes["Communication"]) == sorted([
        ("P1 interview", "I listened to the nurse."), ("P2 follow-up", "Now the nurse listens."),
        ("P3 interview", "I trust the nurse though.")])
    assert window.undo_stack.undoText() == "Code 3 search hits (sentences) to 'Communication'"
    assert "Coded 3 passages" in panel.status.text()

    ARTIFACTS.mkdir(exist_ok=True)
    window.grab().save(str(ARTIFACTS / "search_panel_window.png"))
    panel.grab().save(str(ARTIFACTS / "search_panel.png"))

    window.undo_stack.undo()
    assert _my_codings(window, study.nodes["Communication"]) == before
    window.undo_stack.redo()
    assert len(_my_codings(window, study.nodes["Communication"])) == 3

    panel.table.doubleClicked.emit(model.index(2, 0))
    selection = window.selection()
    assert selection is not None and selection.document_id == study.documents["P3 interview"]
    assert study.text("P3 interview")[selection.start : selection.end] == "nurse"
    window.close()


def test_code_all_hits_codes_the_hits_beyond_the_listed_ones(qtbot, styled_app: QApplication, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window, study = _open_study(qtbot, tmp_path)
    panel = window.analysis_panels.search
    panel.limit = 1  # as 5,000 listed of 21,479 found on a large project
    qtbot.keyClicks(panel.query, "nurse")
    qtbot.keyClick(panel.query, Qt.Key.Key_Return)
    assert panel.model.rowCount() == 1 and "3 hits in 3 documents" in panel.status.text()
    panel.node.select_node(study.nodes["Communication"])
    before = _my_codings(window, study.nodes["Communication"])
    asked: list[str] = []
    QTimer.singleShot(0, lambda: answer_box(asked, QMessageBox.StandardButton.Cancel))
    qtbot.mouseClick(panel.code_all, Qt.MouseButton.LeftButton)
    assert asked == ["Code 3 hits to “Communication”?\n\nIt is one step you can undo with Ctrl+Z."]
    assert _my_codings(window, study.nodes["Communication"]) == before  # cancelled: nothing coded
    QTimer.singleShot(0, lambda: answer_box(asked, QMessageBox.StandardButton.Ok))
    qtbot.mouseClick(panel.code_all, Qt.MouseButton.LeftButton)
    added = sorted(set(_my_codings(window, study.nodes["Communication"])) - set(before))
    assert added == [("P1 interview", "nurse"), ("P2 follow-up", "nurse"), ("P3 interview", "nurse")]
    assert window.undo_stack.undoText() == "Code 3 search hits to 'Communication'"
    window.undo_stack.undo()
    assert _my_codings(window, study.nodes["Communication"]) == before
    window.close()


def test_code_selected_hits_as_found_and_bad_queries(qtbot, styled_app: QApplication, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window, study = _open_study(qtbot, tmp_path)
    panel = window.analysis_panels.search
    panel.query.setText("listen*")
    panel.lemmas.setChecked(False)
    panel.run()
    assert panel.model.rowCount() == 3
    panel.table.selectRow(1)
    panel.node.select_node(study.nodes["Trust"])
    assert panel.code_selected.isEnabled()
    qtbot.mouseClick(panel.code_selected, Qt.MouseButton.LeftButton)
    assert ("P2 follow-up", "listens") in _my_codings(window, study.nodes["Trust"])

    panel.query.setText('"the nurse')
    panel.run()
    assert panel.model.rowCount() == 0 and not panel.code_all.isEnabled()
    assert "never closed" in panel.status.text()
    panel.query.setText("nurse")
    panel.scope_bar.where.setText("sitee = 2")
    panel.run()
    assert "There is no attribute named 'sitee'" in panel.status.text()
    assert window.messenger.history == []  # shown in the panel, no dialog, no traceback
    window.close()


def test_results_follow_a_text_edit(qtbot, styled_app: QApplication, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from qualcode.services.documents import edit_document_text

    window, _study = _open_study(qtbot, tmp_path)
    panel = window.analysis_panels.search
    panel.query.setText("bus")
    panel.run()
    first = panel.model.hits[0]
    window.execute(lambda s: edit_document_text(s, document_id=first.document_id, start=0, end=0,
                                                replacement="[Recorded 2024] "))
    moved = panel.model.hits[0]
    assert (moved.start, moved.end) == (first.start + 16, first.end + 16) and moved.matched == "bus"
    window.close()
