"""The case sheet driven as a researcher drives it: opened from the View menu on the demo project,
values typed into cells with the keyboard, a word refused in a number column, attributes and
cases added and renamed, documents ticked, and every step taken back with Ctrl+Z."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QInputDialog, QLineEdit, QMessageBox, QWidget

from qualcode.gui.cases.attribute_dialog import NewAttributeDialog
from qualcode.gui.cases.documents_dialog import CaseDocumentsDialog
from qualcode.gui.cases.panel import CaseSheetPanel
from qualcode.gui.workbench.main_window import MainWindow
from qualcode.services.cases import cases as case_service
from qualcode.services.cases.case_grid import read_case_grid
from tests.gui.conftest import make_window

CTRL = Qt.KeyboardModifier.ControlModifier


def open_sheet(window: MainWindow) -> CaseSheetPanel:
    """View › Case sheet, as chosen from the menu."""
    view = window.menu("&View")
    action = next(a for a in view.actions() if a.text() == "Case &sheet")
    action.trigger()
    panel = window.case_sheet  # type: ignore[attr-defined]
    assert panel.isVisible()
    return panel


def cell(panel: CaseSheetPanel, case: str, column: str) -> QModelIndex:
    headers = [panel.proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(panel.proxy.columnCount())]
    rows = [panel.proxy.index(r, 0).data() for r in range(panel.proxy.rowCount())]
    return panel.proxy.index(rows.index(case), headers.index(column))


def editor_of(panel: CaseSheetPanel, index: QModelIndex) -> QWidget:
    editor = panel.table.indexWidget(index)
    assert editor is not None, "the cell is being edited"
    return editor


def type_into(panel: CaseSheetPanel, qtbot, case: str, column: str, text: str, *, start_with_f2: bool = False,  # type: ignore[no-untyped-def]
              key: Qt.Key = Qt.Key.Key_Return) -> QWidget:
    """Go to the cell, start typing (or press F2 and replace what is there), then press `key`."""
    index = cell(panel, case, column)
    panel.table.setCurrentIndex(index)
    panel.table.setFocus()
    if start_with_f2:
        qtbot.keyClick(panel.table, Qt.Key.Key_F2)
        rest = text
    else:
        qtbot.keyClicks(panel.table, text[:1])  # typing starts editing, the key is kept
        rest = text[1:]
    editor = editor_of(panel, index)
    line = editor.lineEdit() if isinstance(editor, QComboBox) else editor
    assert isinstance(line, QLineEdit)
    if start_with_f2:
        line.selectAll()
        qtbot.keyClick(line, Qt.Key.Key_Delete)
    qtbot.keyClicks(line, rest)
    qtbot.keyClick(line, key)
    qtbot.wait(1)  # the delegate commits on the next turn of the event loop
    return editor


def value(window: MainWindow, case: str, attribute: str) -> str | None:
    def read(s) -> str | None:  # type: ignore[no-untyped-def]
        case_id = next(c.id for c in case_service.list_cases(s) if c.name == case)
        return case_service.attribute_values(s, case_id=case_id).get(attribute)
    return window.read(read)


def linked(window: MainWindow, case: str) -> list[str]:
    grid = window.read(read_case_grid)
    row = next(r for r in grid.rows if r.name == case)
    return [grid.documents[d] for d in row.document_ids]


def undo(window: MainWindow, qtbot, panel: CaseSheetPanel) -> None:  # type: ignore[no-untyped-def]
    """Ctrl+Z in the sheet, the window in front again (as it is once a dialog over it closes)."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Z, CTRL)


def test_the_sheet_opens_from_the_view_menu_with_every_case_its_kind_documents_and_values(
        window: MainWindow) -> None:
    panel = open_sheet(window)
    headers = [panel.proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(panel.proxy.columnCount())]
    assert headers == ["Case", "Kind", "Documents", "age", "gender", "interview_wave", "months_in_role", "role", "site"]
    assert [panel.proxy.index(r, 0).data() for r in range(panel.proxy.rowCount())] == [
        "LW01", "LW02", "LW03", "P01", "P02", "P03", "P04", "P05", "P06"]
    assert cell(panel, "P01", "Kind").data() == "participant"
    assert cell(panel, "P01", "Documents").data() == "P01_interview_wave1"
    assert cell(panel, "P01", "age").data() == "70" and cell(panel, "P01", "months_in_role").data() == ""
    assert panel.count.text() == "9 cases"
    assert "number attribute" in panel.proxy.headerData(3, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    listed = {(label.split(" <")[0], k) for k, label in window.window_actions.shortcut_rows()}
    assert ("Case sheet", "Ctrl+Shift+A") in listed  # listed in Help › Keyboard shortcuts
    assert panel.table.accessibleName() == "Case sheet"
    assert panel.kind.accessibleName() == "Show cases of kind"


def test_a_number_typed_into_a_cell_is_saved_and_ctrl_z_takes_it_back(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = open_sheet(window)
    type_into(panel, qtbot, "P01", "age", "71")
    assert value(window, "P01", "age") == "71"
    assert cell(panel, "P01", "age").data() == "71"
    assert panel.table.state() != panel.table.State.EditingState
    type_into(panel, qtbot, "P05", "months_in_role", "6", start_with_f2=True)  # an empty cell gets a value
    assert value(window, "P05", "months_in_role") == "6"
    undo(window, qtbot, panel)
    assert value(window, "P05", "months_in_role") is None and cell(panel, "P05", "months_in_role").data() == ""
    undo(window, qtbot, panel)
    assert value(window, "P01", "age") == "70" and cell(panel, "P01", "age").data() == "70"


def test_a_word_in_a_number_column_is_refused_in_one_line_and_nothing_changes(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = open_sheet(window)
    steps = window.undo_stack.count()
    type_into(panel, qtbot, "P01", "age", "abc", start_with_f2=True)
    message = "P01: 'age' takes numbers; 'abc' is not a number. Nothing was changed."
    assert panel.message.text() == message and panel.message.isVisible()
    assert window.statusBar().currentMessage() == message
    assert "\n" not in message and window.messenger.history == []  # no box, no traceback
    assert value(window, "P01", "age") == "70" and cell(panel, "P01", "age").data() == "70"
    assert window.undo_stack.count() == steps
    type_into(panel, qtbot, "P01", "age", "71", start_with_f2=True)  # put right: the refusal goes
    assert value(window, "P01", "age") == "71" and not panel.message.isVisible()


def test_a_date_column_takes_iso_dates_and_a_category_column_offers_its_values(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = open_sheet(window)
    qtbot.mouseClick(panel.add_attribute_button, Qt.MouseButton.LeftButton)
    dialog = panel.dialog
    assert isinstance(dialog, NewAttributeDialog)
    qtbot.keyClicks(dialog.name, "interviewed on")
    dialog.type.setCurrentIndex(dialog.type.findData("date"))
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert cell(panel, "P02", "interviewed on").isValid()
    type_into(panel, qtbot, "P02", "interviewed on", "2024-03-14")
    assert value(window, "P02", "interviewed on") == "2024-03-14"
    type_into(panel, qtbot, "P03", "interviewed on", "next spring")
    assert panel.message.text() == ("P03: 'interviewed on' takes dates (YYYY-MM-DD); 'next spring' is not a date. "
                                    "Nothing was changed.")
    assert value(window, "P03", "interviewed on") is None

    index = cell(panel, "P02", "site")
    panel.table.setCurrentIndex(index)
    qtbot.keyClick(panel.table, Qt.Key.Key_F2)
    combo = editor_of(panel, index)
    assert isinstance(combo, QComboBox)
    assert [combo.itemText(i) for i in range(combo.count())] == ["", "Eastfield", "Northgate", "Riverside"]
    assert combo.currentText() == "Riverside" and combo.accessibleName() == "site of P02"
    combo.setCurrentIndex(combo.findText("Eastfield"))  # chosen from the list
    qtbot.keyClick(combo.lineEdit(), Qt.Key.Key_Return)
    qtbot.wait(1)
    assert value(window, "P02", "site") == "Eastfield"
    type_into(panel, qtbot, "P02", "site", "", start_with_f2=True)  # emptied: no value
    assert value(window, "P02", "site") is None and cell(panel, "P02", "site").data() == ""


def test_tab_commits_and_moves_to_the_next_cell(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = open_sheet(window)
    type_into(panel, qtbot, "P04", "age", "53", key=Qt.Key.Key_Tab)
    assert value(window, "P04", "age") == "53"
    assert panel.table.currentIndex() == cell(panel, "P04", "gender")
    editor = editor_of(panel, cell(panel, "P04", "gender"))  # the next cell is open for typing
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.wait(1)
    assert value(window, "P04", "gender") == "female"


def test_adding_an_attribute_and_ticking_a_document_are_each_undone_by_ctrl_z(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = open_sheet(window)
    matrix = window.analysis_panels.matrix  # type: ignore[attr-defined]
    qtbot.mouseClick(panel.add_attribute_button, Qt.MouseButton.LeftButton)
    dialog = panel.dialog
    qtbot.keyClicks(dialog.name, "household")
    dialog.type.setCurrentIndex(dialog.type.findData("category"))
    dialog.accept()
    assert [a.name for a in window.read(case_service.list_attributes) if a.name == "household"] == ["household"]
    assert panel.table.currentIndex().column() == cell(panel, "LW01", "household").column()
    assert matrix.columns.findText("household (values)") >= 0  # the matrix offers the new attribute at once
    type_into(panel, qtbot, "LW03", "household", "lives alone")
    assert value(window, "LW03", "household") == "lives alone"

    panel.table.setCurrentIndex(cell(panel, "LW03", "Documents"))
    qtbot.keyClick(panel.table, Qt.Key.Key_F2)
    chooser = panel.dialog
    assert isinstance(chooser, CaseDocumentsDialog) and chooser.windowTitle() == "Documents of LW03"
    item = chooser.item_named("P04_interview_wave1")
    chooser.list.setCurrentItem(item)
    chooser.list.setFocus()
    qtbot.keyClick(chooser.list, Qt.Key.Key_Space)
    assert item.checkState() == Qt.CheckState.Checked
    chooser.accept()
    assert linked(window, "LW03") == ["P04_interview_wave1"]
    assert cell(panel, "LW03", "Documents").data() == "P04_interview_wave1"

    undo(window, qtbot, panel)
    assert linked(window, "LW03") == []
    undo(window, qtbot, panel)
    assert value(window, "LW03", "household") is None
    undo(window, qtbot, panel)
    assert "household" not in [a.name for a in window.read(case_service.list_attributes)]
    assert matrix.columns.findText("household (values)") < 0
    assert "household" not in [panel.proxy.headerData(c, Qt.Orientation.Horizontal)
                               for c in range(panel.proxy.columnCount())]


def test_a_case_is_added_renamed_and_an_attribute_renamed_each_undoably(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = open_sheet(window)
    qtbot.mouseClick(panel.add_case_button, Qt.MouseButton.LeftButton)
    ask = panel.dialog
    assert isinstance(ask, QInputDialog)
    ask.setTextValue("  P07 ")
    ask.accept()
    assert cell(panel, "P07", "Case") == panel.table.currentIndex()
    assert "P07" in [c.name for c in window.read(case_service.list_cases)]
    type_into(panel, qtbot, "P07", "Case", "P7", start_with_f2=True)
    assert [c.name for c in window.read(case_service.list_cases) if c.name.startswith("P0") or c.name == "P7"][-1] \
        == "P7"
    header = panel.table.horizontalHeader()
    section = cell(panel, "P7", "role").column()
    middle = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    qtbot.mouseDClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(middle, header.height() // 2))
    rename = panel.dialog
    assert isinstance(rename, QInputDialog) and rename.textValue() == "role"
    rename.setTextValue("staff or patient")
    rename.accept()
    assert value(window, "P01", "staff or patient") == "patient"
    assert window.analysis_panels.matrix.columns.findText("staff or patient (values)") >= 0  # type: ignore[attr-defined]
    filters = window.panels.documents.attribute  # the documents panel's filter follows too
    assert "staff or patient" in [filters.itemText(i) for i in range(filters.count())]

    undo(window, qtbot, panel)
    assert value(window, "P01", "role") == "patient"
    undo(window, qtbot, panel)
    assert "P07" in [c.name for c in window.read(case_service.list_cases)]
    undo(window, qtbot, panel)
    assert "P07" not in [c.name for c in window.read(case_service.list_cases)]
    assert panel.count.text() == "9 cases"


def test_a_case_name_already_taken_is_refused_and_the_sheet_keeps_the_old_name(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = open_sheet(window)
    panel.table.setCurrentIndex(cell(panel, "P06", "age"))
    panel.rename_case_action.trigger()  # More › Rename case: the case's name opens for typing
    editor = editor_of(panel, cell(panel, "P06", "Case"))
    assert isinstance(editor, QLineEdit) and editor.text() == "P06" and editor.accessibleName() == "Case name of P06"
    qtbot.keyClicks(editor, "p05")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.wait(1)
    assert window.messenger.last is not None and window.messenger.last.text == "There is already a case named 'p05'."
    assert cell(panel, "P06", "Case").isValid()


def test_deleting_a_case_asks_first_and_ctrl_z_brings_it_back_with_its_values(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = open_sheet(window)
    panel.table.setCurrentIndex(cell(panel, "P06", "age"))
    panel.delete_case_action.trigger()
    box = panel.dialog
    assert isinstance(box, QMessageBox) and box.text().startswith("Delete the case 'P06'")
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert value(window, "P06", "age") == "38"
    panel.delete_case_action.trigger()
    panel.dialog.button(QMessageBox.StandardButton.Yes).click()
    assert "P06" not in [c.name for c in window.read(case_service.list_cases)]
    assert panel.count.text() == "8 cases"
    undo(window, qtbot, panel)
    assert value(window, "P06", "age") == "38" and cell(panel, "P06", "site").data() == "Eastfield"


def test_the_kind_filter_shows_sites_apart_from_participants(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = open_sheet(window)
    qtbot.mouseClick(panel.add_case_button, Qt.MouseButton.LeftButton)
    panel.dialog.setTextValue("Northgate")
    panel.dialog.accept()
    panel.table.setCurrentIndex(cell(panel, "Northgate", "Documents"))
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)  # Enter on the Documents cell opens the chooser too
    chooser = panel.dialog
    for name in ("LW01_interview_wave1", "P01_interview_wave1"):
        chooser.item_named(name).setCheckState(Qt.CheckState.Checked)
    chooser.accept()
    assert cell(panel, "Northgate", "Kind").data() == "site"  # it groups LW01's and P01's interviews
    panel.kind.setCurrentIndex(panel.kind.findText("Sites"))
    assert [panel.proxy.index(r, 0).data() for r in range(panel.proxy.rowCount())] == ["Northgate"]
    assert panel.count.text() == "1 of 10 cases"
    panel.kind.setCurrentIndex(panel.kind.findText("Participants"))
    assert panel.proxy.rowCount() == 9


def test_a_read_only_project_shows_the_sheet_but_no_typing_changes_it(  # type: ignore[no-untyped-def]
        qtbot, styled_app: QApplication, demo_file: Path) -> None:
    window = make_window(qtbot)
    assert window.open_project(demo_file, read_only=True)
    panel = open_sheet(window)
    assert cell(panel, "P01", "age").data() == "70"
    for button in (panel.add_case_button, panel.add_attribute_button, panel.documents_button, panel.more):
        assert not button.isEnabled()
    panel.table.setCurrentIndex(cell(panel, "P01", "age"))
    qtbot.keyClick(panel.table, Qt.Key.Key_F2)
    qtbot.keyClicks(panel.table, "99")
    assert panel.table.state() != panel.table.State.EditingState
    assert panel.table.indexWidget(cell(panel, "P01", "age")) is None
    assert window.read(lambda s: value(window, "P01", "age")) == "70"
    window.close()


def test_at_1280_by_720_every_case_and_control_of_the_sheet_is_in_view(  # type: ignore[no-untyped-def]
        qtbot, styled_app: QApplication, demo_file: Path, tmp_path: Path) -> None:
    window = make_window(qtbot)
    window.resize(1280, 720)
    assert window.open_project(demo_file)
    panel = open_sheet(window)
    qtbot.wait(50)
    table = panel.table
    last = table.visualRect(cell(panel, "P06", "Case"))
    assert last.bottom() <= table.viewport().height(), "all nine cases show without scrolling"
    for widget in (panel.kind, panel.add_case_button, panel.add_attribute_button, panel.documents_button,
                   panel.more):
        corner = widget.mapTo(panel, widget.rect().bottomRight())
        assert corner.x() <= panel.width() and corner.y() <= panel.height(), widget.objectName()
        assert widget.width() >= widget.minimumSizeHint().width(), widget.objectName()
    for column in ("Case", "Documents", "age"):
        index = cell(panel, "P01", column)
        text = str(index.data())
        assert table.visualRect(index).width() >= table.fontMetrics().horizontalAdvance(text), column
    window.grab().save(str(tmp_path / "case-sheet-1280x720.png"))
    window.close()
