"""The workbench driven the way a researcher's hands drive it: a passage dragged out of the
transcript by the mouse and dropped on a node, typing into a memo while autosave ticks."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QAccessible, QDrag, QDragEnterEvent, QDragLeaveEvent, QDragMoveEvent, QDropEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QTextBrowser, QWidget

from qualcode.domain.levels import Level
from qualcode.gui.workbench.main_window import MainWindow
from qualcode.gui.workbench.memo_panel import SAVE_DELAY_MS
from qualcode.services import documents as document_service
from qualcode.services.codebook import nodes as node_service
from qualcode.services.documents import TurnSpec
from tests.gui.helpers import coding_at, node_id, select_phrase, tree_index

PHRASE = "Before this I was a support worker with a housing association"


def start_drag_from_selection(window: MainWindow, qtbot) -> QMimeData:  # type: ignore[no-untyped-def]
    """Press on the selected text and move the mouse: the editor itself builds the QDrag and
    runs it. Returns the drag's mime data as Qt hands it to a drop target, never read."""
    editor = window.panels.viewer.editor
    cursor = editor.textCursor()
    inside = QTextCursor(cursor)
    inside.setPosition((cursor.selectionStart() + cursor.selectionEnd()) // 2)
    press = editor.cursorRect(inside).center()
    viewport = editor.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=press)
    distance = QApplication.startDragDistance() + 12
    for step in (distance // 2, distance, distance * 2):
        qtbot.mouseMove(viewport, press + QPoint(step, step // 3))
    drags = [d for w in (editor, viewport) for d in w.findChildren(QDrag)]
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=press + QPoint(distance * 2, 0))
    assert drags, "moving the mouse with the button down on the selection starts a drag"
    mime = drags[-1].mimeData()
    assert mime is not None
    return mime


def drop_on(target: QWidget, mime: QMimeData, point: QPoint, action: Qt.DropAction = Qt.DropAction.CopyAction
            ) -> bool:
    """What the platform's drag manager sends to the widget under the cursor."""
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    actions = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction
    enter = QDragEnterEvent(point, actions, mime, buttons, modifiers)
    enter.setDropAction(action)
    QApplication.sendEvent(target, enter)
    if not enter.isAccepted():
        return False
    move = QDragMoveEvent(point, actions, mime, buttons, modifiers)
    move.setDropAction(action)
    QApplication.sendEvent(target, move)
    if not move.isAccepted():
        return False
    drop = QDropEvent(QPointF(point), actions, mime, buttons, modifiers)
    drop.setDropAction(action)
    QApplication.sendEvent(target, drop)
    return True


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # Qt's drag events still take integer points
def test_a_passage_dragged_with_the_mouse_onto_a_node_is_coded(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    start, end = select_phrase(window, PHRASE)
    view = window.panels.nodes.view
    point = view.visualRect(tree_index(window, "Loneliness")).center()
    mime = start_drag_from_selection(window, qtbot)
    assert drop_on(view.viewport(), mime, point), "the node tree accepts the passage"
    assert coding_at(window, start, end, "Loneliness") is not None
    assert window.statusBar().currentMessage() == "Coded the dropped passage to 'Loneliness'. Ctrl+Z undoes it."
    assert window.panels.viewer.editor.toPlainText().count(PHRASE) == 1  # the text itself is never moved
    assert mime.text() == PHRASE  # other applications still get the words


def test_typing_a_document_memo_across_autosave_pauses_stays_on_the_document(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    node = node_id(window, "Money worries")
    window.panels.nodes.view.select_node(node)  # a node chosen in the tree earlier
    document = window.panels.viewer.document_id
    assert document is not None
    window.open_document(document + 1)
    memo = window.panels.memo
    assert memo.heading.text() == "Memo on document “LW02_interview_wave1”"
    memo.editor.setFocus()
    qtbot.keyClicks(memo.editor, "Long opening;")
    qtbot.wait(SAVE_DELAY_MS + 300)  # the typing pause: the memo is saved and the window refreshes
    assert window.read(lambda s: document_service.get_document(s, document + 1)).memo == "Long opening;"
    qtbot.keyClicks(memo.editor, " rapport good.")
    qtbot.wait(SAVE_DELAY_MS + 300)
    assert memo.heading.text() == "Memo on document “LW02_interview_wave1”"
    assert window.read(lambda s: document_service.get_document(s, document + 1)).memo == "Long opening; rapport good."
    assert window.read(lambda s: node_service.get_node(s, node)).memo == ""
    assert window.panels.nodes.view.current_node() == node  # the tree keeps its place all the same


def test_undoing_an_in_vivo_code_clears_its_mark_and_count(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    viewer = window.panels.viewer
    before = len(viewer.shown_marks)
    assert f"{before} codings" in viewer.subtitle.text()
    start, end = select_phrase(window, "a reason to put my shoes on in the morning")
    window.panels.coding.in_vivo()
    assert len(viewer.shown_marks) == before + 1 and f"{before + 1} codings" in viewer.subtitle.text()
    viewer.editor.setFocus()
    qtbot.keyClick(viewer.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.read(lambda s: [n for n in node_service.list_nodes(s) if n.name.startswith("a reason")]) == []
    assert len(viewer.shown_marks) == before and f"{before} codings" in viewer.subtitle.text()
    assert all(m.node_name for m in viewer.editor.marks)
    assert all((m.start, m.end) != (start, end) for m in viewer.editor.marks)
    # a node made next may take the freed id: it must not appear on text it does not code
    window.execute(lambda s: node_service.create_node(s, name="Morning routines", level=Level.CODE,
                                                      parent_id=None, coder_id=window.coder_id))
    assert not [m for m in viewer.editor.marks if m.node_name == "Morning routines"]
    assert len(viewer.shown_marks) == before


def start_node_drag(window: MainWindow, qtbot, name: str) -> QMimeData:  # type: ignore[no-untyped-def]
    """Press on a node in the tree and move the mouse: the view builds and runs its QDrag."""
    view = window.panels.nodes.view
    press = view.visualRect(tree_index(window, name)).center()
    viewport = view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=press)
    distance = QApplication.startDragDistance() + 12
    for step in (distance // 2, distance, distance * 2):
        qtbot.mouseMove(viewport, press + QPoint(0, step))
    drags = [d for w in (view, viewport) for d in w.findChildren(QDrag)]
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=press)
    assert drags, "moving the mouse with the button down on a node starts a drag"
    mime = drags[-1].mimeData()
    assert mime is not None
    return mime


def drag_over(target: QWidget, mime: QMimeData, point: QPoint) -> bool:
    """Whether the target, as the cursor moves over `point`, would take the drop (the cursor
    shows a refusal when it would not)."""
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    actions = Qt.DropAction.MoveAction
    enter = QDragEnterEvent(point, actions, mime, buttons, modifiers)
    QApplication.sendEvent(target, enter)
    move = QDragMoveEvent(point, actions, mime, buttons, modifiers)
    QApplication.sendEvent(target, move)
    accepted = move.isAccepted()
    QApplication.sendEvent(target, QDragLeaveEvent())
    return accepted


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_a_node_dragged_with_the_mouse_shows_refusals_before_the_drop_and_moves(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = window.panels.nodes.view
    code = node_id(window, "Loneliness")
    old_parent = window.read(lambda s: node_service.get_node(s, code)).parent_id
    mime = start_node_drag(window, qtbot, "Loneliness")
    refusing = view.visualRect(tree_index(window, "Feeling heard")).center()  # a code under a code
    assert not drag_over(view.viewport(), mime, refusing)
    assert "Cannot move here" in window.statusBar().currentMessage()
    assert window.read(lambda s: node_service.get_node(s, code)).parent_id == old_parent
    target = view.visualRect(tree_index(window, "Belonging to a group")).center()
    assert drag_over(view.viewport(), mime, target)
    assert drop_on(view.viewport(), mime, target, Qt.DropAction.MoveAction)
    assert window.read(lambda s: node_service.get_node(s, code)).parent_id == node_id(window, "Belonging to a group")


def test_ctrl_f_finds_in_the_transcript_steps_through_matches_and_esc_closes(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    viewer = window.panels.viewer
    editor = viewer.editor
    text = editor.toPlainText()
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    bar = viewer.find_bar
    assert bar.isVisible() and bar.field.hasFocus()
    qtbot.keyClicks(bar.field, "people")
    expected = text.lower().count("people")
    assert expected > 2
    assert bar.count.text() == f"1 of {expected}"
    assert len(editor.extraSelections()) == expected  # every match highlighted
    first = editor.textCursor().selectionStart()
    assert editor.textCursor().selectedText().lower() == "people"
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    assert bar.count.text() == f"2 of {expected}" and editor.textCursor().selectionStart() > first
    qtbot.keyClick(bar.field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert bar.count.text() == f"1 of {expected}" and editor.textCursor().selectionStart() == first
    qtbot.keyClick(bar.field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)  # wraps to the last
    assert bar.count.text() == f"{expected} of {expected}"
    qtbot.keyClicks(bar.field, "zzz")
    assert bar.count.text() == "No matches" and editor.extraSelections() == []
    qtbot.keyClick(bar.field, Qt.Key.Key_Escape)
    assert not bar.isVisible() and editor.hasFocus()
    # the node filter moved to Ctrl+L
    qtbot.keyClick(editor, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.panels.nodes.search.hasFocus()


def test_the_shortcuts_help_lists_every_menu_shortcut_including_the_features(window: MainWindow) -> None:
    rows = dict(window.window_actions.shortcut_rows())
    for keys in ("Ctrl+K", "Ctrl+R", "Ctrl+I", "Ctrl+F", "Ctrl+L", "Ctrl+Shift+F", "Ctrl+Alt+C", "Ctrl+Alt+M",
                 "Ctrl+Alt+O", "Ctrl+Alt+N", "Ctrl+Z"):
        assert keys in rows, keys
    assert rows["Ctrl+F"].startswith("Find in transcript")
    window.messenger.boxes_enabled = True
    window.window_actions.show_shortcuts()
    message = window.messenger.last
    assert message is not None and "Ctrl+Alt+C" in message.text and "Ctrl+1 … 9" in message.text
    page = window.messenger.current_box  # the whole list scrolls inside a window that fits the screen
    assert page is not None and page.isVisible()
    browser = page.findChild(QTextBrowser)
    assert "Ctrl+Alt+C" in browser.toPlainText()
    assert page.frameGeometry().height() <= window.screen().availableGeometry().height()
    assert browser.verticalScrollBar().maximum() > 0  # more rows than fit: they scroll
    page.accept()
    window.messenger.boxes_enabled = False


def test_ctrl_plus_and_minus_scale_text_and_speaker_labels_and_are_remembered(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    viewer = window.panels.viewer
    editor = viewer.editor

    def sizes() -> tuple[float, float]:
        document = editor.document()
        body = document.defaultFont().pointSizeF()
        block = document.begin()
        label = 0.0
        while block.isValid() and not label:
            for fragment in (it.fragment() for it in _fragments(block)):
                if fragment.charFormat().fontWeight() >= 700:
                    label = fragment.charFormat().fontPointSize()
                    break
            block = block.next()
        return body, label

    body, label = sizes()
    assert label > 0
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    bigger, bigger_label = sizes()
    assert bigger == pytest.approx(body * 1.2) and bigger_label == pytest.approx(label * 1.2)
    assert viewer.zoom == pytest.approx(1.2)
    window.open_document(viewer.document_id + 1)  # the next transcript opens at the same size
    assert sizes()[0] == pytest.approx(body * 1.2)
    qtbot.keyClick(editor, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert sizes()[0] == pytest.approx(body * 1.1)
    qtbot.keyClick(editor, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert sizes() == (pytest.approx(body), pytest.approx(label))


def _fragments(block):  # type: ignore[no-untyped-def]
    it = block.begin()
    while not it.atEnd():
        yield it
        it += 1


def test_turn_times_from_the_recording_are_shown_beside_their_turns(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    text = "I: How did you hear about it?\nR: My GP told me.\nI: And then?\nR: I went along."
    starts = [0, text.index("R: My"), text.index("I: And"), text.index("R: I went")]
    turns = [TurnSpec(start, text.find("\n", start) if "\n" in text[start:] else len(text), speaker, time)
             for start, speaker, time in zip(starts, ["I", "R", "I", "R"], [3.0, 83.4, None, 3727.0], strict=True)]
    change = window.execute(lambda s: document_service.add_document(s, name="Timed", text=text, turns=turns))
    assert change is not None
    window.open_document(int(change.result))
    qtbot.wait(20)
    margin = window.panels.viewer.time_margin
    shown = [label for label, _ in margin.labels()]
    assert shown == ["00:03", "01:23", "1:02:07"]
    assert margin.width() > 0 and margin.isVisible()
    tops = [rect.top() for _, rect in margin.labels()]
    assert tops == sorted(tops) and len(set(tops)) == 3  # each beside its own turn


def test_snapping_grows_a_mouse_selection_to_whole_words(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = window.panels.viewer.editor
    text = editor.toPlainText()
    phrase = "support worker with a housing association"
    start = text.index(phrase)
    window.panels.viewer.select(start, start + 1)  # scroll it into view

    def point(position: int) -> QPoint:
        cursor = QTextCursor(editor.document())
        cursor.setPosition(position)
        return editor.cursorRect(cursor).center()

    def drag(first: int, last: int) -> str:
        viewport = editor.viewport()
        qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=point(first))
        qtbot.mouseMove(viewport, point((first + last) // 2))
        qtbot.mouseMove(viewport, point(last))
        qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=point(last))
        return editor.textCursor().selectedText()

    window.panels.viewer.select(start, start)
    assert drag(start + 3, start + len("support worker with a hou")) == "port worker with a hou"
    window.window_actions.snap_action.setChecked(True)
    window.panels.viewer.select(start, start)
    assert drag(start + 3, start + len("support worker with a hou")) == "support worker with a housing"


def test_every_control_of_the_workbench_panels_has_an_accessible_name(window: MainWindow) -> None:
    window.panels.viewer.find_bar.open_bar()
    roots = [window.panels.documents, window.panels.nodes, window.panels.notes, window.panels.retrieval,
             window.panels.viewer, window.analysis_panels.search]
    unnamed = []
    checked = 0
    for root in roots:
        for widget in [root, *root.findChildren(QWidget)]:
            if widget.focusPolicy() == Qt.FocusPolicy.NoFocus or not widget.isEnabled() \
                    or widget.window() is not window:  # a combo box's closed popup list
                continue
            interface = QAccessible.queryAccessibleInterface(widget)
            assert interface is not None
            checked += 1
            if not interface.text(QAccessible.Text.Name).strip():
                unnamed.append(f"{type(widget).__name__} {widget.objectName()}")
    assert checked > 20 and unnamed == []
    tree = QAccessible.queryAccessibleInterface(window.panels.nodes.view)
    assert tree.text(QAccessible.Text.Description).startswith("Codes and themes with counts")


def test_a_progress_dialog_is_wide_enough_for_its_title(window: MainWindow) -> None:
    from qualcode.gui.worker import DialogProgress

    title = "Importing 18 transcripts and anonymising participant names"
    progress = DialogProgress(title, window)
    dialog = progress.dialog
    assert dialog.windowTitle() == title
    assert dialog.minimumWidth() >= dialog.fontMetrics().horizontalAdvance(title) + 120
    dialog.close()


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_several_nodes_chosen_with_ctrl_are_dragged_together(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = window.panels.nodes.view
    first, second = node_id(window, "Loneliness"), node_id(window, "Feeling heard")
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.visualRect(tree_index(window, "Loneliness")).center())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier,
                     view.visualRect(tree_index(window, "Feeling heard")).center())
    mime = start_node_drag(window, qtbot, "Feeling heard")
    target = view.visualRect(tree_index(window, "Belonging to a group")).center()
    assert drag_over(view.viewport(), mime, target)
    assert window.statusBar().currentMessage() == "Move 2 nodes to 'Belonging to a group'"
    assert drop_on(view.viewport(), mime, target, Qt.DropAction.MoveAction)
    group = node_id(window, "Belonging to a group")
    assert {window.read(lambda s, n=n: node_service.get_node(s, n)).parent_id for n in (first, second)} == {group}
    window.undo_stack.undo()  # one step
    assert window.read(lambda s: node_service.get_node(s, first)).parent_id != group


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_a_global_theme_dragged_over_a_code_shows_the_refusal_and_nothing_moves(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = window.panels.nodes.view
    mime = start_node_drag(window, qtbot, "Linking people to what matters")
    over_code = view.visualRect(tree_index(window, "Waiting lists")).center()
    assert not drag_over(view.viewport(), mime, over_code)
    assert window.statusBar().currentMessage().startswith("Cannot move here: 'Linking people to what matters'")
    before = window.read(node_service.list_nodes)
    drop_on(view.viewport(), mime, over_code, Qt.DropAction.MoveAction)  # the platform does not drop here
    assert window.read(node_service.list_nodes) == before


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_several_chosen_themes_dragged_together_are_refused_over_a_code_and_taken_by_a_higher_theme(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = window.panels.nodes.view
    names = ("Isolation and loss", "Belonging to a group")
    for i, name in enumerate(names):
        modifier = Qt.KeyboardModifier.ControlModifier if i else Qt.KeyboardModifier.NoModifier
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, modifier,
                         view.visualRect(tree_index(window, name)).center())
    mime = start_node_drag(window, qtbot, names[1])
    assert mime.text().splitlines() == sorted(names, key=lambda n: view.visualRect(tree_index(window, n)).top())
    assert not drag_over(view.viewport(), mime, view.visualRect(tree_index(window, "Waiting lists")).center())
    assert "Cannot move here" in window.statusBar().currentMessage()
    target = view.visualRect(tree_index(window, "Pressures on the service")).center()
    assert drag_over(view.viewport(), mime, target)
    assert window.statusBar().currentMessage() == "Move 2 nodes to 'Pressures on the service'"
