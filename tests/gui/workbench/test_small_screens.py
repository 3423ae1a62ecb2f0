"""The workbench on the screens researchers have: 1280×720 (also 1920×1080 at 150 % scaling),
1366×768 and 1920×1080. Every dock, the status bar and the node tree's columns are on the
screen, the text keeps a readable width, and screenshots go to test-artifacts/ to look at."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QWidget

from qualcode.gui.widgets.scrolling_panel import ScrollingPanel
from qualcode.gui.workbench.main_window import MainWindow

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def _within(window: MainWindow, widget: QWidget) -> QRect:
    """The widget's rectangle in window coordinates."""
    return QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())


@pytest.mark.parametrize(("width", "height"), [(1280, 720), (1366, 768), (1920, 1080)])
def test_the_workbench_fits_the_screen(qtbot, styled_app: QApplication, demo_file: Path,  # type: ignore[no-untyped-def]
                                       width: int, height: int) -> None:
    window = MainWindow(coder_name="Hannah Fielding")
    qtbot.addWidget(window)
    window.messenger.boxes_enabled = False
    window.resize(width, height)  # what maximising does on that screen
    window.show()
    qtbot.waitExposed(window)
    assert window.open_project(demo_file), window.messenger.history
    qtbot.wait(60)
    assert (window.width(), window.height()) == (width, height), "the window is no larger than the screen"
    screen = window.rect()
    docks = [d for d in window.dock_list if d.isVisible() and not d.visibleRegion().isEmpty()]
    assert {d.windowTitle() for d in docks} >= {"Documents && cases", "Nodes", "Coded passages"}
    for dock in docks:
        rect = _within(window, dock)
        assert screen.contains(rect), (dock.windowTitle(), rect)
        assert rect.width() >= 180 and rect.height() >= 120, (dock.windowTitle(), rect)
    for dock in window.panels.dock_widgets():  # the workbench's own panels fit without scrolling
        outer = dock.widget()
        assert isinstance(outer, ScrollingPanel)
        assert not outer.verticalScrollBar().isVisible() and not outer.horizontalScrollBar().isVisible(), \
            dock.windowTitle()
    bar = _within(window, window.statusBar())
    assert screen.contains(bar) and bar.height() > 10
    for label in (window.path_label, window.coder_button, window.saved_label):
        assert bar.contains(_within(window, label)), label.text()
    tree = window.panels.nodes.view
    header = tree.header()
    room = tree.viewport().width()
    for column in range(4):
        right = header.sectionViewportPosition(column) + header.sectionSize(column)
        assert right <= room, (column, right, room)
    assert header.sectionSize(0) >= 90, "node names keep a readable width"
    editor = window.panels.viewer.editor
    assert editor.viewport().width() >= 360 and editor.viewport().height() >= 200
    assert screen.contains(_within(window, editor))
    ARTIFACTS.mkdir(exist_ok=True)
    assert window.grab().save(str(ARTIFACTS / f"workbench-{width}x{height}.png"))
    window.close()
