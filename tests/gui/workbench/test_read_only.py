"""Read-only mode: a project open elsewhere (or on a read-only medium) is opened for looking,
searching and exporting; the window says so and every way of changing it is closed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from qualcode.cli.main import build_parser
from qualcode.services.coding import codings as coding_service
from qualcode.store.lock import ProjectLock
from tests.gui.conftest import make_window
from tests.gui.helpers import node_id, select_phrase, tree_index


def click_in_question(answers: list[str], label: str) -> None:
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox)
    answers.append(box.text())
    next(b for b in box.buttons() if b.text() == label).click()


def test_a_project_open_elsewhere_opens_read_only_and_refuses_every_change(  # type: ignore[no-untyped-def]
        qtbot, styled_app: QApplication, demo_file: Path) -> None:
    other = ProjectLock(demo_file)  # another window or machine has the project open
    other.acquire()
    try:
        window = make_window(qtbot)
        window.messenger.boxes_enabled = True  # the question is asked in a box
        answers: list[str] = []
        QTimer.singleShot(0, lambda: click_in_question(answers, "Open read-only"))
        assert window.open_project(demo_file)
        assert "is already open by" in answers[0] and answers[0].endswith("or open it read-only.")
        assert window.read_only and window.windowTitle().endswith("— QualCode (read-only)")
        window.messenger.boxes_enabled = False
        assert window.saved_label.text() == "Read-only: nothing can be changed"
        actions = window.window_actions
        for action in (actions.quick_code_action, actions.in_vivo_action, actions.uncode_action,
                       actions.import_action, actions.coder_action, actions.memo_action):
            assert not action.isEnabled(), action.text()
        anonymise = next(a for menu in window.menuBar().actions() for a in menu.menu().actions()
                         if a.text() == "&Anonymise documents…")
        assert not anonymise.isEnabled()
        assert actions.open_action.isEnabled()
        document = window.panels.viewer.document_id
        assert document is not None
        before = window.read(lambda s: coding_service.codings_of_document(s, document))

        select_phrase(window, "Before this I was a support worker")
        view = window.panels.nodes.view
        center = view.visualRect(tree_index(window, "Loneliness")).center()
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=center)
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=center)  # code by double-click
        message = window.messenger.last
        assert message is not None and message.text == "'demo.qualcode' is open read-only: nothing was changed."
        editor = window.panels.viewer.editor
        editor.setFocus()
        qtbot.keyClick(editor, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)  # in vivo
        memo = window.panels.memo
        memo.editor.setFocus()
        qtbot.keyClicks(memo.editor, "Notes")
        qtbot.wait(900)
        assert memo.editor.toPlainText() == ""
        assert memo.status.text() == "Read-only project: memos cannot be changed."
        assert window.read(lambda s: coding_service.codings_of_document(s, document)) == before
        assert not view.acceptDrops() and not view.dragEnabled()
        assert window.undo_stack.count() == 0
        window.close()
    finally:
        other.release()


def test_read_only_from_the_file_menu_and_back_to_normal(qtbot, styled_app: QApplication, demo_file: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(qtbot)
    assert window.open_project(demo_file, read_only=True)
    assert window.read_only and not window.window_actions.quick_code_action.isEnabled()
    change = window.panels.coding.apply(node_id(window, "Loneliness"))
    assert change is None
    assert window.open_project(demo_file, read_only=False)  # opened normally again: everything works
    assert not window.read_only and window.window_actions.quick_code_action.isEnabled()
    assert window.saved_label.text() == "✓ All changes are saved automatically"
    assert not window.panels.memo.editor.isReadOnly()
    window.close()


def test_the_command_line_asks_for_read_only() -> None:
    args = build_parser().parse_args(["gui", "--read-only", "study.qualcode"])
    assert args.read_only and args.path == Path("study.qualcode")
