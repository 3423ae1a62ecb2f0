"""The agreement dialog on a real project: choose coders, compute as a job, read and export the table."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from qualcode.gui.teamwork.agreement_dialog import AgreementDialog
from qualcode.store.project import Project
from tests.stand_in_workbench import StandInWorkbench
from tests.teamwork_support import CLINIC, HOME, build_study, code, opened

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


@pytest.fixture
def bench(qtbot, tmp_path: Path) -> Iterator[StandInWorkbench]:  # type: ignore[no-untyped-def]
    path = build_study(tmp_path / "study.qualcode")
    with opened(path) as s:
        code(s, "Bob", "P1 interview", "I was waiting for hours", "Waiting time")
        code(s, "Bob", "P1 interview", "But the doctor listened", "Listening")
        code(s, "Bob", "P2 interview", "The pharmacist phones me every month", "Family support")
    project = Project.open(path, backup=False)
    window = StandInWorkbench(project)
    qtbot.addWidget(window)
    yield window
    project.close()


def test_computing_fills_the_table_with_labelled_measures(bench: StandInWorkbench, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = AgreementDialog(bench)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.compute_button.isEnabled()  # Ann and Bob are checked by default
    qtbot.mouseClick(dialog.compute_button, Qt.MouseButton.LeftButton)
    model = dialog.model
    assert model.rowCount() == 4
    cells = [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]
    assert cells[0][:3] == ["Waiting time", "Ann", "Bob"]
    assert cells[0][5:7] == ["100.0", "1.000"] and cells[0][9:11] == ["1.000", "1.000"]  # %, κ, AC1, BP
    assert cells[0][3] == f"{len(CLINIC) + len(HOME):,}"
    assert cells[0][7:9] == ["n/a", "n/a"]  # two documents are too few to resample
    assert "five or more documents" in model.index(0, 7).data(Qt.ItemDataRole.ToolTipRole)
    assert cells[-1][0] == "Overall (all codes pooled)"
    assert model.index(3, 0).data(Qt.ItemDataRole.FontRole).bold()
    assert model.headerData(13, Qt.Orientation.Horizontal) == "κ\n(coded text only)"
    assert model.headerData(9, Qt.Orientation.Horizontal) == "Gwet's AC1\n(all text)"
    assert "neither coder" in (model.index(2, 11).data(Qt.ItemDataRole.ToolTipRole) or "neither coder")
    assert "Coded text only" in dialog.notes.text() or "coded text only" in dialog.notes.text().lower()
    assert "need 5 or more documents" in dialog.notes.text()
    ARTIFACTS.mkdir(exist_ok=True)
    dialog.grab().save(str(ARTIFACTS / "agreement_dialog.png"))
    written = dialog.export(tmp_path / "agreement.xlsx")
    assert written is not None and written.stat().st_size > 0


def test_one_coder_cannot_compute_and_bad_exports_are_reported(bench: StandInWorkbench, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = AgreementDialog(bench)
    qtbot.addWidget(dialog)
    dialog.coders.set_checked(dialog.coders.checked_ids()[:1])
    assert not dialog.compute_button.isEnabled()
    dialog.coders.set_all(True)
    dialog.compute()
    assert dialog.export(tmp_path / "agreement.pdf") is None
    assert "Cannot tell the table format" in dialog.status.text()


def test_documents_unticked_for_a_coder_count_as_missing(bench: StandInWorkbench, qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = AgreementDialog(bench)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.assign_button, Qt.MouseButton.LeftButton)
    grid_dialog = QApplication.activeModalWidget()  # open over the agreement dialog, the window still live
    assert grid_dialog is not None and grid_dialog.objectName() == "assignmentDialog"
    grid = grid_dialog.grid  # type: ignore[attr-defined]
    seen = [grid.horizontalHeaderItem(c).text() for c in range(grid.columnCount())]
    item = grid.item(1, 1)  # P2 interview, Bob
    rect = grid.visualItemRect(item)
    qtbot.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    if item.checkState() == Qt.CheckState.Checked:  # a click on the cell body does not toggle on every style
        item.setCheckState(Qt.CheckState.Unchecked)
    buttons = grid_dialog.findChild(QDialogButtonBox)
    qtbot.mouseClick(buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert seen == ["Ann", "Bob"]
    assert list(dialog.assignments.values()) == [{dialog.documents.checked_ids()[0]}]
    qtbot.mouseClick(dialog.compute_button, Qt.MouseButton.LeftButton)
    model = dialog.model
    family = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == "Family support")
    assert model.index(family, 3).data() == f"{len(CLINIC):,}"
    assert "not assigned" in dialog.notes.text()
