"""Coding a passage (and undoing it) updates each panel in place from the rows the change
carries: the transcript's highlights, the node's counts and its themes', the document's
counts and coded share, and the new passage in Coded passages; nothing else is read again,
and what the panels show equals a fresh reading of the project."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtWidgets import QWidget
from sqlalchemy import event

from qualcode.gui.contributions import SpanMark
from qualcode.gui.undo import merge_changes
from qualcode.gui.widgets.density_delegate import DENSITY_ROLE
from qualcode.gui.workbench.documents_panel import DOCUMENT_ID_ROLE
from qualcode.gui.workbench.main_window import MainWindow
from qualcode.services import documents as document_service
from qualcode.services.codebook import nodes as node_service
from qualcode.services.coding import coding_stats, retrieval
from qualcode.services.coding import codings as coding_service
from tests.gui.conftest import make_window
from tests.gui.helpers import node_id, select_phrase, tree_index

PHRASE = "Before this I was a support worker with a housing association"
NODE = "Bereavement and life changes"


@contextmanager
def statements(window: MainWindow) -> Iterator[list[str]]:
    """The SQL the window sends to the project meanwhile."""
    assert window.project is not None
    engine = window.project.engine
    sent: list[str] = []

    def record(_connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(" ".join(statement.split()).lower())

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _choose(window: MainWindow, qtbot, name: str) -> None:  # type: ignore[no-untyped-def]
    """Click the node in the tree: Coded passages lists its passages."""
    view = window.panels.nodes.view
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(tree_index(window, name)).center())
    assert window.panels.retrieval.node_id == node_id(window, name)


def _double_click(window: MainWindow, qtbot, name: str) -> None:  # type: ignore[no-untyped-def]
    view = window.panels.nodes.view
    point = view.visualRect(tree_index(window, name)).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.wait(20)  # the documents panel counts on the next turn of the event loop


def _assert_panels_match_the_project(window: MainWindow, node: int, *, listed: bool = True) -> None:
    panels = window.panels
    document_id = panels.viewer.document_id
    assert document_id is not None
    fresh = window.read(lambda s: coding_stats.roll_up(
        {n.id: n.parent_id for n in node_service.list_nodes(s)}, coding_stats.direct_node_stats(s),
        coding_stats.document_cases(s)))
    assert panels.nodes.model.counts == fresh
    density = window.read(lambda s: coding_stats.document_density(s, document_ids=[document_id]))[document_id]
    documents = panels.documents.documents
    item = next(documents.topLevelItem(i) for i in range(documents.topLevelItemCount())
                if documents.topLevelItem(i).data(0, DOCUMENT_ID_ROLE) == document_id)
    assert item.text(2) == f"{density.codings:,}"
    assert item.data(3, DENSITY_ROLE) == density.fraction
    if listed:
        passages = window.read(lambda s: retrieval.retrieve_segments(s, node_id=node))
        assert [s.coding_id for s in panels.retrieval.model.segments] == [s.coding_id for s in passages]
    stored = window.read(lambda s: coding_service.codings_of_document(s, document_id))
    assert sorted(m.coding_id for m in panels.viewer.shown_marks) == sorted(c.id for c in stored)


def test_coding_and_its_undo_update_each_panel_in_place(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    node = node_id(window, NODE)
    _choose(window, qtbot, NODE)
    before = len(window.panels.retrieval.model.segments)
    start, end = select_phrase(window, PHRASE)

    with statements(window) as sent:
        _double_click(window, qtbot, NODE)
    segments = window.panels.retrieval.model.segments
    assert len(segments) == before + 1
    assert any(s.start == start and s.end == end and s.text == PHRASE for s in segments)
    _assert_panels_match_the_project(window, node)
    # Counts, coded share and the evidence layer follow the change's rows: nothing is counted
    # or read again (one statement reads the new passage with its context).
    assert not [s for s in sent if "count(" in s or "cmo_evidence" in s or "group by" in s]

    with statements(window) as sent:
        window.undo_stack.undo()
        qtbot.wait(20)
    assert len(window.panels.retrieval.model.segments) == before
    _assert_panels_match_the_project(window, node)
    assert not [s for s in sent if "count(" in s or "group by" in s]

    window.undo_stack.redo()
    qtbot.wait(20)
    assert len(window.panels.retrieval.model.segments) == before + 1
    _assert_panels_match_the_project(window, node)


def test_a_step_of_several_commands_keeps_every_row_for_the_views(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    _choose(window, qtbot, NODE)
    document_id = window.panels.viewer.document_id
    assert document_id is not None
    node, coder = node_id(window, NODE), window.coder_id
    with window.macro("Code twice"):
        first = window.execute(lambda s: coding_service.apply_code(
            s, document_id=document_id, start=0, end=10, node_id=node, coder_id=coder))
        second = window.execute(lambda s: coding_service.apply_code(
            s, document_id=document_id, start=20, end=30, node_id=node, coder_id=coder))
    assert first is not None and second is not None
    step = merge_changes("Code twice", [first, second])
    rows = step.row_changes("coding")
    assert rows is not None and [r.after["id"] for r in rows if r.after] == [first.result, second.result]
    window.undo_stack.undo()  # one step takes both away, and every panel follows
    qtbot.wait(20)
    assert not {first.result, second.result} & {m.coding_id for m in window.panels.viewer.shown_marks}
    _assert_panels_match_the_project(window, node)


def test_a_viewer_layer_is_read_again_only_after_changes_that_can_move_its_marks(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    _choose(window, qtbot, NODE)
    reads: list[int] = []

    def first_line(_session: Any, document_id: int) -> list[SpanMark]:
        reads.append(document_id)
        return [SpanMark(0, 5, "first", "#336699")]

    window.add_viewer_layer("First line", first_line, redraw_after=lambda change: change.affects("document"))
    window.add_viewer_layer("Every change", lambda _s, _d: [SpanMark(6, 9, "every", "#993366")])
    assert len(reads) == 1
    select_phrase(window, PHRASE)
    _double_click(window, qtbot, NODE)
    assert len(reads) == 1  # coding cannot move this layer's marks
    names = [m.layer for m in window.panels.viewer.editor.layer_marks]
    assert "First line" in names and "Every change" in names
    document_id = window.panels.viewer.document_id
    assert document_id is not None
    window.execute(lambda s: document_service.update_document(s, document_id=document_id, memo="Read twice",
                                                              coder_id=window.coder_id))
    assert len(reads) >= 2  # a change to the document can


def test_the_counts_read_ahead_while_opening_equal_a_fresh_reading(window: MainWindow) -> None:
    assert window.opening_counts() is None  # only while a project opens
    node = node_id(window, NODE)
    _assert_panels_match_the_project(window, node, listed=False)
    fresh = window.read(lambda s: coding_stats.document_density(s))
    assert {row.id: (row.codings, row.coded_fraction) for row in window.panels.documents.rows} == {
        d.document_id: (d.codings, d.fraction) for d in fresh.values()}


def test_when_the_open_returns_the_tree_and_documents_are_filled_and_the_opened_document_chosen(qtbot, styled_app, demo_file) -> None:  # type: ignore[no-untyped-def]
    # The panels that show the counts read ahead fill last; by the time the open returns (before
    # any event is handled) they are filled, and the list has the transcript's document chosen.
    window = make_window(qtbot)
    assert window.open_project(demo_file)
    assert not window.put_off_while_opening(lambda: None)  # nothing is put off once it has opened
    document_id = window.panels.viewer.document_id
    assert document_id is not None
    current = window.panels.documents.documents.currentItem()
    assert current is not None and current.data(0, DOCUMENT_ID_ROLE) == document_id
    assert set(window.panels.nodes.model.nodes) == {n.id for n in window.read(node_service.list_nodes)}
    _assert_panels_match_the_project(window, node_id(window, NODE), listed=False)
    window.close()


class _PaintedRects(QObject):
    """The rectangles of a widget drawn meanwhile."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.rects: list[QRect] = []
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.rects.append(QRect(event.rect()))  # type: ignore[attr-defined]
        return False


def test_coding_from_the_keyboard_draws_again_only_the_lines_of_the_new_passage(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    viewer = window.panels.viewer
    start, end = select_phrase(window, PHRASE)
    qtbot.wait(20)
    before = viewer.editor.viewport().grab().toImage()
    painted = _PaintedRects(viewer.editor.viewport())
    change = window.panels.coding.apply(node_id(window, NODE))  # as Ctrl+R or Enter in the tree does
    qtbot.wait(20)
    assert change is not None
    full = viewer.editor.viewport().rect()
    top, bottom = viewer.editor.vertical_extent(viewer.editor.offsets.to_qt(start), viewer.editor.offsets.to_qt(end))
    assert painted.rects and all(r.height() < full.height() / 2 for r in painted.rects)
    assert any(r.top() <= top and r.bottom() >= bottom for r in painted.rects)
    # What is drawn there is the new highlight: the passage's pixels changed, nothing far below it.
    after = viewer.editor.viewport().grab().toImage()
    rect = viewer.editor.span_line_rects(viewer.editor.offsets.to_qt(start), viewer.editor.offsets.to_qt(end))[0]
    y = int(rect.center().y())
    assert any(before.pixelColor(x, y) != after.pixelColor(x, y) for x in range(int(rect.left()), int(rect.right())))
    assert all(before.pixelColor(x, full.bottom() - 1) == after.pixelColor(x, full.bottom() - 1)
               for x in range(0, full.width(), 7)) or bottom >= full.bottom() - 20
    assert any(m.coding_id == change.result for m in viewer.shown_marks)


def test_clicking_the_tree_after_selecting_text_draws_again_only_the_chosen_row(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = window.panels.nodes.view
    _choose(window, qtbot, NODE)
    select_phrase(window, PHRASE)  # the transcript takes the keyboard focus
    qtbot.wait(20)
    assert not view.hasFocus()
    unfocused = view.viewport().grab().toImage()
    painted = _PaintedRects(view.viewport())
    rect = view.visualRect(tree_index(window, NODE))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.wait(20)
    assert view.hasFocus()
    assert painted.rects and all(r.height() <= rect.height() * 2 for r in painted.rects)
    # Drawn whole with the focus, the tree differs from before only on the chosen row.
    focused = view.viewport().grab().toImage()
    width, height = focused.width(), focused.height()
    outside = [(x, y) for y in range(0, height, 3) for x in range(0, width, 5) if not rect.top() <= y <= rect.bottom()]
    assert all(focused.pixelColor(x, y) == unfocused.pixelColor(x, y) for x, y in outside)
    window.panels.viewer.editor.setFocus()  # and back: again only that row
    painted.rects.clear()
    qtbot.wait(20)
    assert painted.rects and all(r.height() <= rect.height() * 2 for r in painted.rects)


def test_clicking_the_tree_after_selecting_text_draws_again_only_the_selection_in_the_transcript(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = window.panels.viewer.editor
    view = window.panels.nodes.view
    select_phrase(window, PHRASE)  # the transcript has the keyboard focus and a selection
    qtbot.wait(20)
    assert editor.hasFocus()
    painted = _PaintedRects(editor.viewport())
    stripes = _PaintedRects(window.panels.viewer.stripes)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(tree_index(window, NODE)).center())
    qtbot.wait(20)
    assert view.hasFocus() and not editor.hasFocus()
    full = editor.viewport().rect()
    assert painted.rects and all(r.height() < full.height() / 2 for r in painted.rects)  # the selection's lines
    margin = window.panels.viewer.stripes.rect()  # it looks the same with or without the focus
    assert sum(r.width() * r.height() for r in stripes.rects) < margin.width() * margin.height() / 4
    # What is on the screen is what a whole fresh drawing of the transcript gives: nothing stale.
    on_screen = editor.screen().grabWindow(window.winId()).toImage()
    corner = editor.mapTo(window, editor.rect().topLeft())
    fresh = editor.grab().toImage()
    step = 4
    differing = [(x, y) for y in range(0, fresh.height(), step) for x in range(0, fresh.width(), step)
                 if on_screen.pixelColor(corner.x() + x, corner.y() + y) != fresh.pixelColor(x, y)]
    assert not differing, differing[:5]
