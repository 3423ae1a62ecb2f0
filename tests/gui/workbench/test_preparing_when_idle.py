"""The sentence splitter loads in the background once the project is left alone, not while
the user codes: loading it takes the interpreter in turns with the window."""

from __future__ import annotations

from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtTest import QTest

from qualcode.gui.workbench.main_window import MainWindow
from qualcode.gui.workbench.project_lifecycle import PREPARE_WHEN_IDLE_MS
from qualcode.nlp import sentences
from tests.gui.helpers import open_text, tree_index


def _loaded() -> bool:
    QThreadPool.globalInstance().waitForDone(30_000)
    return sentences.cache_stats()["size"] > 0  # what loading it splits on the way


def test_the_sentence_splitter_loads_once_coding_pauses(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    sentences.clear_cache()
    tree = window.panels.nodes.view
    index = tree_index(window, "Feeling heard")
    tree.setCurrentIndex(index)
    point = tree.visualRect(index).center()
    text = open_text(window)
    before = window.undo_stack.count()
    for i in range(4):  # a passage coded every 0.6 s, by double-clicking the chosen code
        start = text.index(" ", 200 + 150 * i) + 1
        window.panels.viewer.select(start, start + 30)
        QTest.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
        QTest.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
        qtbot.wait(PREPARE_WHEN_IDLE_MS * 3 // 10)
        assert not _loaded()
    assert window.undo_stack.count() == before + 4  # each double-click coded its passage
    qtbot.waitUntil(_loaded, timeout=PREPARE_WHEN_IDLE_MS * 3)
