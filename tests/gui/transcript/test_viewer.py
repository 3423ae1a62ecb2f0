"""The transcript viewer: speaker turns, highlights, stripes, tooltips and its context menu."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QFont, QHelpEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QToolTip

from qualcode.gui.workbench.main_window import MainWindow
from tests.gui.helpers import open_text


def _scroll_to(window: MainWindow, phrase: str) -> int:
    viewer = window.panels.viewer
    at = open_text(window).index(phrase)
    viewer.select(at, at)
    viewer.editor.ensureCursorVisible()
    QApplication.processEvents()
    return at


def test_speaker_labels_are_bold_and_the_interviewer_is_quieter(window: MainWindow) -> None:
    editor = window.panels.viewer.editor
    text = open_text(window)
    label_at = text.index("\nR: Yeah, of course") + 1
    cursor = QTextCursor(editor.document())
    cursor.setPosition(label_at + 1)
    assert cursor.charFormat().fontWeight() == QFont.Weight.Bold
    cursor.setPosition(label_at + 6)
    assert cursor.charFormat().fontWeight() != QFont.Weight.Bold
    participant_color = cursor.charFormat().foreground().color().name()
    question = text.index("Thanks for making the time")
    cursor.setPosition(question + 2)
    assert cursor.charFormat().foreground().color().name() == "#4f5b67"
    assert participant_color != "#4f5b67"


def test_hovering_a_coded_passage_shows_node_coder_and_memo(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    at = _scroll_to(window, "I went with him the first time")
    editor = window.panels.viewer.editor
    rect = editor.cursorRect()
    point = QPoint(rect.right() + 20, rect.center().y())
    event = QHelpEvent(QEvent.Type.ToolTip, point, editor.viewport().mapToGlobal(point))
    QApplication.sendEvent(editor.viewport(), event)
    text = QToolTip.text()
    assert "Going along the first time" in text
    assert "Hannah Fielding" in text and "Sam Okafor" in text
    assert "Accompanying is costly" in text
    assert at > 0


def test_clicking_a_stripe_selects_its_passage_and_shows_its_memo(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    _scroll_to(window, "I went with him the first time")
    stripes = window.panels.viewer.stripes
    mark, bar, _label = next((m, b, lab) for m, b, lab in stripes.layout_marks()
                             if m.node_name == "Going along the first time" and m.memo)
    qtbot.mouseClick(stripes, Qt.MouseButton.LeftButton, pos=bar.center().toPoint())
    selection = window.selection()
    offsets = window.panels.viewer.editor.offsets
    assert selection is not None
    assert (selection.start, selection.end) == (offsets.to_model(mark.start), offsets.to_model(mark.end))
    memo = window.panels.memo
    assert memo.heading.text().startswith("Memo on coding to “Going along the first time” by Hannah Fielding")
    assert memo.editor.toPlainText().startswith("Accompanying is costly")


def test_overlapping_codings_get_separate_lanes(window: MainWindow) -> None:
    marks = window.panels.viewer.shown_marks
    for a in marks:
        for b in marks:
            if a is not b and a.start < b.end and b.start < a.end:
                assert a.lane != b.lane
    assert window.panels.viewer.editor.lanes >= 2


def test_context_menu_offers_coding_actions_for_the_codings_under_the_mouse(window: MainWindow) -> None:
    at = _scroll_to(window, "I went with him the first time")
    qt_position = window.panels.viewer.editor.offsets.to_qt(at + 3)
    menu = window.panels.coding.context_menu(qt_position)
    titles = [a.text() for a in menu.actions()]
    assert "Quick code…" in titles and "Code this sentence" in titles
    submenus = {a.text(): a.menu() for a in menu.actions() if a.menu() is not None}
    coded = submenus["Going along the first time (Hannah Fielding)"]
    assert [a.text() for a in coded.actions() if a.text()] == [
        "Select passage", "Adjust boundaries…", "Memo…", "Exemplar quote", "Use as CMO evidence…", "Uncode"]
    exemplar = next(a for a in coded.actions() if a.text() == "Exemplar quote")
    assert exemplar.isChecked()


def test_emoji_in_a_transcript_keep_codings_on_the_right_words(qtbot, styled_app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from qualcode.services import coders, documents
    from qualcode.services.codebook import nodes
    from qualcode.services.coding import codings
    from qualcode.store.project import Project
    from tests.gui.conftest import make_window

    text = "P1: It was 😀 great 🎉 at the 𝄞 music group.\nP1: I felt less alone."
    path = tmp_path / "emoji.qualcode"
    with Project.create(path) as project, project.session() as s:
        coder = coders.ensure_coder(s, "Hannah Fielding").id
        doc = documents.add_document(s, name="Emoji", text=text).result
        node = nodes.create_node(s, name="Music").result
        start = text.index("music group")
        codings.apply_code(s, document_id=doc, start=start, end=start + len("music group"), node_id=node,
                           coder_id=coder)
    window = make_window(qtbot)
    assert window.open_project(path)
    editor = window.panels.viewer.editor
    mark = window.panels.viewer.shown_marks[0]
    cursor = QTextCursor(editor.document())
    cursor.setPosition(mark.start)
    cursor.setPosition(mark.end, QTextCursor.MoveMode.KeepAnchor)
    assert cursor.selectedText() == "music group"
    window.panels.viewer.select(text.index("less alone"), text.index("less alone") + len("less alone"))
    assert editor.textCursor().selectedText() == "less alone"
    selection = window.selection()
    assert selection is not None and text[selection.start:selection.end] == "less alone"


def test_a_node_renamed_while_no_transcript_is_open_shows_its_new_name_when_one_opens(window: MainWindow) -> None:
    from qualcode.services import documents as document_service
    from qualcode.services.codebook import nodes as node_service

    viewer = window.panels.viewer
    first = viewer.document_id
    assert first is not None
    others = [d.id for d in window.read(document_service.list_documents) if d.id != first]
    window.execute(lambda s: document_service.delete_document(s, document_id=first))
    assert viewer.document_id is None  # the open transcript went with its document
    loneliness = window.read(lambda s: node_service.find_node(s, "Loneliness")).id
    window.execute(lambda s: node_service.update_node(s, node_id=loneliness, name="Feeling alone"))
    opened = next(d for d in others if any(
        c.node_id == loneliness for c in window.read(lambda s, d=d: _codings_of(s, d))))
    viewer.open_document(opened)
    names = {m.node_name for m in viewer.shown_marks if m.node_id == loneliness}
    assert names == {"Feeling alone"}


def _codings_of(session, document_id):  # type: ignore[no-untyped-def]
    from qualcode.services.coding import codings as coding_service

    return coding_service.codings_of_document(session, document_id)


def test_clicking_through_transcripts_keeps_only_the_one_shown(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QTextDocument
    from PySide6.QtTest import QTest

    panel = window.panels.documents.documents
    editor = window.panels.viewer.editor
    shown = []
    for _ in range(2):
        for row in range(panel.topLevelItemCount()):
            item = panel.topLevelItem(row)
            panel.scrollToItem(item)
            QTest.mouseClick(panel.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                             panel.visualItemRect(item).center())
            qtbot.waitUntil(lambda item=item: window.panels.viewer.title.text() == item.text(0))
            shown.append(editor.toPlainText())
            kept = editor.findChildren(QTextDocument)
            # The transcript shown is the editor's only document: those shown before are gone.
            assert kept == [editor.document()], [d.toPlainText()[:40] for d in kept]
    assert len(set(shown)) == panel.topLevelItemCount() and len(shown) == 2 * panel.topLevelItemCount()


def test_the_coding_stripes_sit_between_the_text_and_the_scroll_bar(window: MainWindow) -> None:
    editor = window.panels.viewer.editor
    stripes = window.panels.viewer.stripes
    QApplication.processEvents()
    text = editor.viewport().geometry()
    bar = editor.verticalScrollBar().parentWidget().geometry()
    assert editor.verticalScrollBar().isVisible() and stripes.width() > 0
    assert stripes.geometry().left() == text.right() + 1  # right beside the text
    assert stripes.geometry().right() < bar.left()  # and none of it under the scroll bar
