"""Coding-query, matrix and co-occurrence panels in the real main window on the clinic study:
results as worked out by hand in tests/analysis, clickable cells, exports."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from matplotlib.image import imread
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog

from qualcode.gui.workbench.main_window import MainWindow
from tests.analysis.study import Study, build_study
from tests.gui.conftest import make_window

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def _open_study(qtbot, tmp_path: Path) -> tuple[MainWindow, Study]:  # type: ignore[no-untyped-def]
    study = build_study(tmp_path / "clinic.qualcode")
    study.project.close()
    window = make_window(qtbot)
    assert window.open_project(study.project.path), window.messenger.history
    return window, study


def _show(window: MainWindow, title: str) -> None:
    next(a for a in window.menu("&Query").actions() if a.text() == title).trigger()


def test_coding_query_panel(qtbot, styled_app: QApplication, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window, study = _open_study(qtbot, tmp_path)
    _show(window, "&Coding query…")
    panel = window.analysis_panels.query
    assert window.analysis_panels.currentWidget() is panel
    panel.first.select_node(study.nodes["Trust"])
    panel.operator.setCurrentText("AND")
    panel.second.select_node(study.nodes["Communication"])
    panel.proximity.setCurrentIndex(panel.proximity.findData("sentence"))
    qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    rows = [[panel.model.index(r, c).data() for c in range(5)] for r in range(panel.model.rowCount())]
    assert rows == [["P1 interview", "P1", "Communication, Trust", "Ann, Ben", "I listened to the nurse."],
                    ["P2 interview", "P2", "Communication, Trust", "Ann, Ben", "The doctor rushed me."]]
    assert "2 passages in 2 documents" in panel.status.text()
    panel.scope_bar.coder.setCurrentIndex(panel.scope_bar.coder.findText("Ann"))
    panel.run()
    assert panel.model.rowCount() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    panel.scope_bar.coder.setCurrentIndex(0)
    panel.run()
    panel.grab().save(str(ARTIFACTS / "coding_query_panel.png"))
    panel.table.doubleClicked.emit(panel.model.index(1, 0))
    selection = window.selection()
    assert selection is not None and (selection.start, selection.end) == study.span("P2 interview",
                                                                                     "The doctor rushed me.")
    window.close()


def test_matrix_panel_cells_and_export(qtbot, styled_app: QApplication, tmp_path: Path,  # type: ignore[no-untyped-def]
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    window, _study = _open_study(qtbot, tmp_path)
    _show(window, "&Matrix coding…")
    panel = window.analysis_panels.matrix
    panel.columns.setCurrentIndex(panel.columns.findText("site (values)"))
    qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    model = panel.model
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())] == [
        "Site 1", "Site 2", "Total"]
    assert [model.headerData(r, Qt.Orientation.Vertical).strip() for r in range(model.rowCount())] == [
        "Barriers", "Access", "Cost", "Trust", "Communication", "Total"]
    assert [[model.index(r, c).data() for c in range(3)] for r in range(6)] == [
        ["2", "3", "5"], ["1", "1", "2"], ["1", "2", "3"], ["2", "3", "5"], ["1", "2", "3"], ["5", "8", "13"]]
    panel.table.clicked.emit(model.index(3, 1))
    assert panel.cell.title.text() == "Trust × Site 2: 3 codings"
    assert sorted(s.text for s in panel.cell.model.segments) == [
        "I trust the nurse though.", "I trusted nobody", "The doctor rushed me"]
    panel.cell.table.doubleClicked.emit(panel.cell.model.index(0, 1))
    assert window.selection() is not None
    panel.table.clicked.emit(model.index(5, 2))  # the grand total is not a cell with codings
    assert panel.cell.title.text() == "Trust × Site 2: 3 codings"
    panel.measure.setCurrentIndex(panel.measure.findData("cases"))
    panel.run()
    assert model.index(4, 1).data() == "1"
    written = panel.export_to(tmp_path / "matrix.xlsx")
    values = [list(r) for r in load_workbook(written).active.iter_rows(values_only=True) if any(r)]
    assert values[1] == ["Node", "Site 1", "Site 2", "Total"] and values[2] == ["Barriers", 1, 2, 3]
    panel.grab().save(str(ARTIFACTS / "matrix_panel.png"))

    # Saving through the dialog: Excel is offered first; a name typed bare gets the chosen type's suffix.
    asked: list[str] = []

    def choose(_parent, _title, default, _filters, offered):  # type: ignore[no-untyped-def]
        asked.append(offered)
        return str(tmp_path / "by site"), "Word document (*.docx)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose)
    panel.export_dialog()
    assert asked == ["Excel workbook (*.xlsx)"]
    assert (tmp_path / "by site.docx").exists() and window.statusBar().currentMessage().endswith("by site.docx")
    window.close()


def test_cooccurrence_panel_cells_heatmap_and_table(qtbot, styled_app: QApplication, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window, _study = _open_study(qtbot, tmp_path)
    _show(window, "C&o-occurrence…")
    panel = window.analysis_panels.cooccurrence
    assert not panel.heatmap_button.isEnabled()
    qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    model = panel.model
    labels = [model.headerData(r, Qt.Orientation.Vertical).strip() for r in range(model.rowCount())]
    assert labels == ["Barriers", "Access", "Cost", "Trust", "Communication"]
    assert model.index(3, 4).data() == "2" and model.index(4, 3).data() == "2" and model.index(3, 3).data() == "5"
    panel.table.clicked.emit(model.index(3, 4))
    assert panel.cell.title.text() == "Trust × Communication: 4 codings"
    image = imread(panel.save_heatmap(tmp_path / "heatmap.png", dpi=100))
    assert image.shape[0] > 300 and image.shape[1] > 300
    with panel.export_to(tmp_path / "cooc.csv").open(encoding="utf-8-sig") as handle:
        table = list(csv.reader(handle))
    assert table[0] == ["Node", "Barriers", "Access", "Cost", "Trust", "Communication"]
    assert table[4] == ["Trust", "0", "0", "0", "5", "2"]
    panel.mode.setCurrentIndex(panel.mode.findData("document"))
    panel.run()
    assert model.index(3, 4).data() == "2" and model.index(1, 4).data() == "1"
    panel.grab().save(str(ARTIFACTS / "cooccurrence_panel.png"))
    window.close()


def test_frequency_panel_codings_words_and_participants(qtbot, styled_app: QApplication, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from docx import Document as DocxDocument

    window, _study = _open_study(qtbot, tmp_path)
    _show(window, "&Frequencies and participants…")
    panel = window.analysis_panels.frequencies
    panel.run()
    model = panel.model
    assert model.header == ["Level", "Node", "Codings", "With sub-themes", "Documents", "Cases"]
    assert [model.index(0, c).data() for c in range(6)] == ["Basic theme", "Barriers", "0", "5", "3", "3"]

    panel.view.setCurrentIndex(panel.view.findData("words"))
    assert panel.top.isVisible() and panel.chart_button.isVisible() and not panel.chart_button.isEnabled()
    panel.group.setCurrentIndex(panel.group.findData("site"))
    panel.top.setValue(3)
    panel.run()
    qtbot.waitUntil(lambda: panel.words is not None, timeout=20000)
    assert model.header == ["Word", "Count", "Site 1", "Site 2", "Forms counted"]
    assert [[model.index(r, c).data() for c in range(4)] for r in range(3)] == [
        ["listen", "3", "1", "2"], ["nurse", "3", "1", "2"], ["trust", "3", "1", "2"]]
    chart = imread(panel.save_chart(tmp_path / "words.png", dpi=100))
    assert chart.shape[0] > 150
    ARTIFACTS.mkdir(exist_ok=True)
    panel.save_chart(ARTIFACTS / "word_chart_by_site.png", dpi=150)

    panel.view.setCurrentIndex(panel.view.findData("participants"))
    assert not panel.scope_bar.isVisible()
    panel.group.setCurrentIndex(panel.group.findData("site"))
    panel.run()
    assert model.header == ["Characteristic", "Site 1 (n=1)", "Site 2 (n=2)", "Total (n=3)"]
    assert [model.index(2, c).data() for c in range(4)] == ["    range", "34", "45–52", "34–52"]
    table = DocxDocument(str(panel.export_to(tmp_path / "table1.docx"))).tables[0]
    assert [c.text for c in table.rows[1].cells] == ["Participants, n", "1", "2", "3"]
    panel.grab().save(str(ARTIFACTS / "frequency_panel.png"))
    window.close()


def test_results_say_when_the_codings_changed(qtbot, styled_app: QApplication, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from qualcode.services.coding.codings import apply_code

    window, study = _open_study(qtbot, tmp_path)
    panel = window.analysis_panels.matrix
    panel.columns.setCurrentIndex(panel.columns.findText("cases"))
    panel.run()
    assert "changed since" not in panel.status.text()
    start, end = study.span("P2 follow-up", "The café next door")
    window.execute(lambda s: apply_code(s, document_id=study.documents["P2 follow-up"], start=start, end=end,
                                        node_id=study.nodes["Trust"], coder_id=window.coder_id))
    assert "the project has changed since: run again to update" in panel.status.text()
    panel.run()
    assert "changed since" not in panel.status.text()
    assert panel.model.index(3, 1).data() == "3"  # Trust x P2: c8, c9 and the new coding
    window.close()
