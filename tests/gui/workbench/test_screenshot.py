"""Renders the workbench with the demo project at 1600x1000 to test-artifacts/ so people can
look at it, and checks that nothing important is cut off."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFontMetrics

from qualcode.gui.workbench.main_window import MainWindow
from tests.gui.conftest import make_window
from tests.gui.helpers import node_id, select_phrase

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def _settle(qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.wait(50)


def test_workbench_screenshot(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.resize(1600, 1000)
    _settle(qtbot)
    window.panels.nodes.view.select_node(node_id(window, "Going along the first time"))
    select_phrase(window, "I ask them what a good week would look like.")
    viewer = window.panels.viewer.editor
    viewer.verticalScrollBar().setValue(int(viewer.verticalScrollBar().maximum() * 0.06))
    _settle(qtbot)
    ARTIFACTS.mkdir(exist_ok=True)
    image = window.grab().toImage()
    path = ARTIFACTS / "workbench.png"
    assert image.save(str(path))
    assert (image.width(), image.height()) == (1600, 1000)
    assert path.stat().st_size > 50_000

    header = window.panels.nodes.view.header()
    metrics = QFontMetrics(header.font())
    for column, title in enumerate(("Name", "Codings", "Docs", "Cases")):
        assert header.sectionSize(column) >= metrics.horizontalAdvance(title) + 8, title
    toolbar = window.window_actions.toolbar
    for action in toolbar.actions():
        widget = toolbar.widgetForAction(action)
        if widget is not None and not action.isSeparator():
            assert toolbar.rect().contains(widget.geometry()), action.iconText()
    for dock in window.dock_list:
        # panels a feature keeps closed until asked for, or tabbed behind another, are not laid out
        if dock.isVisible() and not dock.visibleRegion().isEmpty():
            assert dock.width() >= 240 and dock.height() >= 160, dock.windowTitle()
    assert window.panels.viewer.stripes.layout_marks(), "coding stripes are drawn"


def test_start_page_screenshot(qtbot, styled_app) -> None:  # type: ignore[no-untyped-def]
    window = make_window(qtbot)
    _settle(qtbot)
    ARTIFACTS.mkdir(exist_ok=True)
    image = window.grab().toImage()
    assert image.save(str(ARTIFACTS / "start-page.png"))
    assert window.start_page.new_button.isVisible()
