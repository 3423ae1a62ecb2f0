"""Coding in the workbench by every method: drop, double-click, shortcut, quick code, in vivo,
sentence and turn; then working on codings: uncode, boundaries, memo, exemplar."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from qualcode.gui.transcript.editor import PASSAGE_MIME
from qualcode.gui.workbench.main_window import MainWindow
from qualcode.gui.workbench.quick_code import QuickCodeDialog
from qualcode.services.codebook import nodes as node_service
from tests.gui.helpers import coding_at, codings_of_open_document, node_id, open_text, select_phrase, tree_index

PHRASE = "Before this I was a support worker with a housing association"


def test_demo_opens_on_the_first_transcript_with_its_codings_drawn(window: MainWindow) -> None:
    viewer = window.panels.viewer
    assert viewer.title.text() == "LW01_interview_wave1"
    assert "LW01" in viewer.subtitle.text() and "18 codings" in viewer.subtitle.text()
    stored = codings_of_open_document(window)
    assert len(viewer.shown_marks) == len(stored) == 18
    assert viewer.editor.toPlainText() == open_text(window)
    assert window.coder_button.text() == "Coder: Hannah Fielding"
    assert window.path_label.text().endswith("demo.qualcode")
    assert window.saved_label.text() == "✓ All changes are saved automatically"


def test_double_clicking_a_node_codes_the_selection(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    start, end = select_phrase(window, PHRASE)
    view = window.panels.nodes.view
    index = tree_index(window, "Bereavement and life changes")
    rect = view.visualRect(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    coding = coding_at(window, start, end, "Bereavement and life changes")
    assert coding is not None and coding.coder_name == "Hannah Fielding"
    assert any(m.coding_id == coding.id for m in window.panels.viewer.shown_marks)
    counts = window.panels.nodes.model.counts[node_id(window, "Bereavement and life changes")]
    assert counts.codings == 4  # three in the demo, one more now


def test_double_clicking_a_theme_to_code_it_leaves_it_open_or_closed_as_it_was(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = window.panels.nodes.view
    theme = "Isolation and loss"
    index = tree_index(window, theme)
    view.collapse(index)
    start, end = select_phrase(window, PHRASE)
    rect = view.visualRect(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert coding_at(window, start, end, theme) is not None
    assert not view.isExpanded(view.proxy_index(node_id(window, theme)))  # coded, not opened
    # With nothing selected, a double-click opens the theme as anywhere else.
    window.panels.viewer.select(start, start)
    assert window.selection() is None
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.isExpanded(view.proxy_index(node_id(window, theme)))


def _drag(view_widget, mime: QMimeData, point: QPoint) -> None:  # type: ignore[no-untyped-def]
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    action = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(point, action, mime, buttons, modifiers)
    QApplication.sendEvent(view_widget, enter)
    move = QDragMoveEvent(point, action, mime, buttons, modifiers)
    QApplication.sendEvent(view_widget, move)
    drop = QDropEvent(QPointF(point), action, mime, buttons, modifiers)
    QApplication.sendEvent(view_widget, drop)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # Qt's drag events still take integer points
def test_dragging_the_selection_onto_a_node_codes_it(window: MainWindow) -> None:
    start, end = select_phrase(window, PHRASE)
    mime = window.panels.viewer.editor.createMimeDataFromSelection()
    payload = json.loads(bytes(mime.data(PASSAGE_MIME).data()).decode())
    assert payload == {"document_id": window.panels.viewer.document_id, "start": start, "end": end}
    view = window.panels.nodes.view
    rect = view.visualRect(tree_index(window, "Loneliness"))
    _drag(view.viewport(), mime, rect.center())
    assert coding_at(window, start, end, "Loneliness") is not None
    assert window.statusBar().currentMessage() == "Coded the dropped passage to 'Loneliness'. Ctrl+Z undoes it."


def test_ctrl_r_repeats_the_last_node_and_recent_nodes_have_numbers(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    first = select_phrase(window, PHRASE)
    window.panels.coding.apply(node_id(window, "Loneliness"))
    second = select_phrase(window, "so a lot of the stuff I do now isn't new to me")
    window.activateWindow()
    editor = window.panels.viewer.editor
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert coding_at(window, *second, "Loneliness") is not None
    window.panels.coding.apply(node_id(window, "Feeling heard"))
    third = select_phrase(window, "Day to day, honestly, it's a mix.")
    qtbot.keyClick(editor, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # second most recent
    assert coding_at(window, *third, "Loneliness") is not None
    assert coding_at(window, *first, "Loneliness") is not None
    assert window.window_actions.recent_code_action.shortcut().toString() == "Ctrl+R"


def test_quick_code_box_finds_a_node_and_enter_applies_it(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    start, end = select_phrase(window, PHRASE)
    window.window_actions.quick_code_action.trigger()
    dialog = window.panels.coding.dialog
    assert isinstance(dialog, QuickCodeDialog) and dialog.isVisible()
    qtbot.keyClicks(dialog.search, "waiting")
    assert dialog.list.currentItem().text().startswith("Waiting lists    ")  # the name first, then its themes
    assert dialog.list.currentItem().toolTip().endswith("› Waiting lists")
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert coding_at(window, start, end, "Waiting lists") is not None


def test_quick_code_box_creates_a_new_code_in_one_undo_step(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    start, end = select_phrase(window, PHRASE)
    window.window_actions.quick_code_action.trigger()
    dialog = window.panels.coding.dialog
    assert isinstance(dialog, QuickCodeDialog)
    qtbot.keyClicks(dialog.search, "Previous careers")
    assert dialog.list.currentItem().text() == "＋ Create code “Previous careers”"
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert coding_at(window, start, end, "Previous careers") is not None
    assert window.window_actions.undo_action.text() == "&Undo Code to new code 'Previous careers'"
    window.undo_stack.undo()
    names = {n.name for n in window.read(node_service.list_nodes)}
    assert "Previous careers" not in names


def test_in_vivo_code_is_named_from_the_words_and_undoes_as_one(window: MainWindow) -> None:
    start, end = select_phrase(window, "a reason to put my shoes on in the morning")
    before = len(window.read(node_service.list_nodes))
    change = window.panels.coding.in_vivo()
    assert change is not None
    assert coding_at(window, start, end, "a reason to put my shoes on in …") is not None
    assert len(window.read(node_service.list_nodes)) == before + 1
    window.undo_stack.undo()
    assert len(window.read(node_service.list_nodes)) == before
    window.undo_stack.redo()
    assert coding_at(window, start, end, "a reason to put my shoes on in …") is not None


def test_code_this_sentence_and_this_turn_use_the_chosen_node(window: MainWindow) -> None:
    text = open_text(window)
    window.panels.nodes.view.select_node(node_id(window, "High caseloads"))
    inside = text.index("Mostly older men, actually")
    window.panels.viewer.select(inside + 3, inside + 3)
    window.window_actions.sentence_action.trigger()
    sentence = "Mostly older men, actually, which is interesting."
    assert coding_at(window, inside, inside + len(sentence), "High caseloads") is not None
    window.panels.viewer.select(inside + 3, inside + 3)
    window.window_actions.turn_action.trigger()
    turn_start = text.rindex("\n", 0, inside) + 1 + len("R: ")
    turn_end = text.index("\n", inside)
    assert coding_at(window, turn_start, turn_end, "High caseloads") is not None


def test_uncode_removes_the_coding_at_the_cursor_and_undo_restores_it(window: MainWindow) -> None:
    text = open_text(window)
    phrase = "I've got a caseload of about forty-five"
    at = text.index(phrase)
    window.panels.nodes.view.select_node(node_id(window, "High caseloads"))
    window.panels.viewer.select(at + 5, at + 5)
    ids_before = {c.id for c in codings_of_open_document(window)}
    window.window_actions.uncode_action.trigger()
    after = {c.id for c in codings_of_open_document(window)}
    assert len(ids_before - after) == 1
    removed = (ids_before - after).pop()
    assert removed not in {m.coding_id for m in window.panels.viewer.shown_marks}
    window.undo_stack.undo()
    assert removed in {c.id for c in codings_of_open_document(window)}
    assert removed in {m.coding_id for m in window.panels.viewer.shown_marks}


def test_boundaries_memo_and_exemplar_of_a_coding(window: MainWindow) -> None:
    start, end = select_phrase(window, PHRASE)
    change = window.panels.coding.apply(node_id(window, "Loneliness"))
    assert change is not None
    coding_id = int(change.result)
    coding = window.panels.coding
    dialog = coding.adjust_boundaries(coding_id)
    dialog.end.setValue(end + len(" in Hollowbridge"))  # type: ignore[attr-defined]
    assert "in Hollowbridge" in dialog.preview.toPlainText()  # type: ignore[attr-defined]
    dialog.accept()
    memo_dialog = coding.edit_memo(coding_id)
    memo_dialog.editor.setPlainText("Background matters for how she frames the role.")  # type: ignore[attr-defined]
    memo_dialog.accept()
    coding.toggle_exemplar(coding_id)
    stored = coding_at(window, start, end + len(" in Hollowbridge"), "Loneliness")
    assert stored is not None and stored.id == coding_id
    assert stored.memo == "Background matters for how she frames the role."
    assert stored.exemplar is True
    mark = next(m for m in window.panels.viewer.shown_marks if m.coding_id == coding_id)
    assert mark.exemplar and mark.memo.startswith("Background")
    from qualcode.gui.transcript.editor import tooltip_html

    html = tooltip_html([mark], [])
    assert "Loneliness" in html and "Hannah Fielding" in html and "Background matters" in html


def test_undo_and_redo_from_the_edit_menu(window: MainWindow) -> None:
    start, end = select_phrase(window, PHRASE)
    window.panels.coding.apply(node_id(window, "Loneliness"))
    undo, redo = window.window_actions.undo_action, window.window_actions.redo_action
    assert undo.text() == "&Undo Code passage to 'Loneliness'"
    undo.trigger()
    assert coding_at(window, start, end, "Loneliness") is None
    assert redo.text() == "&Redo Code passage to 'Loneliness'"
    assert all((m.start, m.end) != (start, end) for m in window.panels.viewer.shown_marks)
    redo.trigger()
    assert coding_at(window, start, end, "Loneliness") is not None


def test_coding_without_a_selection_says_what_to_do(window: MainWindow) -> None:
    window.panels.viewer.select(10, 10)
    assert window.panels.coding.apply(node_id(window, "Loneliness")) is None
    assert window.statusBar().currentMessage() == "Select a passage in the transcript first."


def test_coding_the_same_passage_twice_is_refused_with_a_message(window: MainWindow) -> None:
    select_phrase(window, PHRASE)
    window.panels.coding.apply(node_id(window, "Loneliness"))
    assert window.panels.coding.apply(node_id(window, "Loneliness")) is None
    assert window.messenger.last is not None
    assert window.messenger.last.text == "This passage is already coded to 'Loneliness' by Hannah Fielding."
