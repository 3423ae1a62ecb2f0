"""The realist feature in the real main window: the CMO dock and Realist menu are there,
Ctrl+Alt+C/M/O tags the viewer's selection, the evidence is outlined in the viewer, and
double-clicking the evidence in the workspace selects it in the transcript again."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from qualcode.gui.cmo_marks import LAYER_NAME
from qualcode.gui.cmo_workspace import CmoWorkspace
from qualcode.gui.main_window import MainWindow
from qualcode.services import cmo, documents
from tests.gui.helpers import select_phrase

ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"
PHRASE = "She came with me the first time"


def _workspace(window: MainWindow) -> CmoWorkspace:
    docks = [d for d in window.dock_list if d.windowTitle() == "CMO configurations"]
    assert len(docks) == 1
    toggle = next(a for a in window.menu("&Realist").actions() if a.text() == "CMO configurations")
    if not docks[0].isVisible():
        toggle.trigger()  # the Realist menu shows the workspace
    assert docks[0].isVisible()
    window.tabifyDockWidget(window.panels.nodes_dock, docks[0])
    docks[0].raise_()
    widget = docks[0].widget()
    assert isinstance(widget, CmoWorkspace)
    return widget


def test_keyboard_tagging_in_the_main_window(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    workspace = _workspace(window)
    menu_titles = [a.text() for a in window.menuBar().actions()]
    assert "&Realist" in menu_titles and LAYER_NAME in window.viewer_layers
    demo_configs = window.read(cmo.list_configurations)
    assert workspace.tree.topLevelItemCount() == len({c.concept for c in demo_configs})

    p01 = window.read(lambda s: next(d.id for d in documents.list_documents(s) if d.name.startswith("P01")))
    window.open_document(p01)
    workspace.start_new()
    start, end = select_phrase(window, PHRASE)
    editor = window.panels.viewer.editor
    editor.setFocus()
    for key in (Qt.Key.Key_C, Qt.Key.Key_M, Qt.Key.Key_O):
        QTest.keyClick(editor, key, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    config_id = workspace.current_configuration()
    assert config_id is not None
    config = window.read(lambda s: cmo.get_configuration(s, config_id))
    assert [c.role for c in config.components] == ["C", "M", "O"]
    item = workspace.tree.item_for(config_id)
    assert item is not None and item.text(3) == "1" and item.text(0) == config.label

    marks = [m for m in editor.layer_marks if m.layer == LAYER_NAME and m.label.endswith(config.label.split()[-1])]
    assert sorted(m.label[0] for m in marks) == ["C", "M", "O"]

    window.panels.viewer.select(0, 1)  # move away, then jump back from the evidence list
    evidence = workspace.detail.evidence
    evidence.itemDoubleClicked.emit(evidence.topLevelItem(0), 1)
    selection = window.selection()
    assert selection is not None and (selection.document_id, selection.start, selection.end) == (p01, start, end)

    window.undo_stack.undo()
    assert window.read(lambda s: len(cmo.get_configuration(s, config_id).components)) == 2
    ARTIFACTS.mkdir(exist_ok=True)
    window.undo_stack.redo()
    qtbot.wait(10)
    window.grab().save(str(ARTIFACTS / "cmo_main_window.png"))
