"""The realist feature in the real main window: the CMO dock and Realist menu are there,
Ctrl+Alt+C/M/O tags the viewer's selection, the evidence is outlined in the viewer, and
double-clicking the evidence in the workspace selects it in the transcript again."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox, QLabel

from qualcode.gui.realist.link_dialog import LinkEvidenceDialog
from qualcode.gui.realist.marks import LAYER_NAME
from qualcode.gui.realist.workspace import CmoWorkspace
from qualcode.gui.workbench.main_window import MainWindow
from qualcode.services import documents
from qualcode.services.realist import configurations as cmo
from qualcode.services.realist import evidence as cmo_evidence
from tests.gui.helpers import node_id, select_phrase

ARTIFACTS = Path(__file__).parents[3] / "test-artifacts"
PHRASE = "She came with me the first time"


def _workspace(window: MainWindow, qtbot) -> CmoWorkspace:  # type: ignore[no-untyped-def]
    docks = [d for d in window.dock_list if d.windowTitle() == "CMO configurations"]
    assert len(docks) == 1
    toggle = next(a for a in window.menu("&Realist").actions() if a.text() == "CMO configurations")
    if not docks[0].isVisible():
        toggle.trigger()  # the Realist menu shows the workspace
    assert docks[0].isVisible()
    window.tabifyDockWidget(window.panels.nodes_dock, docks[0])
    docks[0].raise_()
    widget = docks[0].findChild(CmoWorkspace)
    assert isinstance(widget, CmoWorkspace)
    qtbot.waitUntil(lambda: widget.tree.topLevelItemCount() > 0)  # read once its tab is in front
    return widget


def test_keyboard_tagging_in_the_main_window(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    workspace = _workspace(window, qtbot)
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


def test_tagged_passages_are_listed_in_coded_passages(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    workspace = _workspace(window, qtbot)
    retrieval = window.panels.retrieval
    config = window.read(cmo.list_configurations)[0]
    item = workspace.tree.item_for(config.id)
    assert item is not None
    workspace.tree.scrollToItem(item)
    rect = workspace.tree.visualItemRect(item)
    qtbot.mouseClick(workspace.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(workspace.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    stored = window.read(lambda s: cmo_evidence.evidence_for(s, configuration_id=config.id))
    assert retrieval.title.text() == f"{config.label} ({config.concept}): 1 tagged passage in 1 document"
    assert retrieval.model.headerData(4, Qt.Orientation.Horizontal) == "Tagged as"
    assert [(s.text, s.node_name, s.coder_name) for s in retrieval.model.segments] == [
        (e.text, f"{config.label} · {e.role}", e.coder_name) for e in stored]
    assert stored[0].statement in retrieval.preview.toPlainText()
    assert not retrieval.descendants.isEnabled()
    assert window.panels.retrieval_dock.isVisible()

    # Tagging another passage into the listed configuration adds it to the list; undo takes it away.
    p01 = window.read(lambda s: next(d.id for d in documents.list_documents(s) if d.name.startswith("P01")))
    window.open_document(p01)
    select_phrase(window, PHRASE)
    workspace.select_configuration(config.id)
    window.panels.viewer.editor.setFocus()
    QTest.keyClick(window.panels.viewer.editor, Qt.Key.Key_O,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    assert [s.text for s in retrieval.model.segments].count(PHRASE) == 1
    assert retrieval.title.text().endswith("2 tagged passages in 2 documents")
    window.undo_stack.undo()
    assert retrieval.model.rowCount() == 1

    # Deleting the listed configuration empties the panel rather than list it as having nothing.
    workspace.detail.delete()
    assert retrieval.source is None and retrieval.model.rowCount() == 0
    assert retrieval.title.text() == "Choose a node to see every passage coded to it."
    window.undo_stack.undo()

    # The Realist menu lists every configuration's passages; choosing a node lists its codings again.
    listing = next(a for a in window.menu("&Realist").actions() if a.text() == "&List all tagged passages")
    listing.trigger()
    everything = window.read(cmo_evidence.evidence_for)
    assert retrieval.title.text().startswith("All CMO configurations: ")
    assert retrieval.model.rowCount() == len(everything) == 2
    ARTIFACTS.mkdir(exist_ok=True)
    window.grab().save(str(ARTIFACTS / "cmo_tagged_passages.png"))
    window.panels.nodes.view.select_node(node_id(window, "Loneliness"))
    assert retrieval.title.text().startswith("“Loneliness”: ")
    assert retrieval.model.headerData(4, Qt.Orientation.Horizontal) == "Node" and retrieval.descendants.isEnabled()


def _link_dialog(window: MainWindow) -> LinkEvidenceDialog:
    shown = [d for d in window.findChildren(LinkEvidenceDialog) if d.isVisible()]
    assert len(shown) == 1
    return shown[0]


def test_a_coded_passage_is_linked_as_evidence_from_its_context_menu(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    workspace = _workspace(window, qtbot)
    config = window.read(cmo.list_configurations)[1]
    workspace.select_configuration(config.id)
    mechanism = config.statements("M")[0]
    window.panels.nodes.view.select_node(node_id(window, "Loneliness"))
    retrieval = window.panels.retrieval
    segment = retrieval.model.segments[0]
    menu = retrieval.passage_menu(0)
    use = next(a for a in menu.actions() if a.text() == "Use as CMO evidence…")
    use.trigger()
    dialog = _link_dialog(window)
    assert " ".join(segment.text.split())[:40] in dialog.findChild(QLabel, "linkQuote").text()
    assert dialog.configuration.currentData() == config.id  # the workspace's configuration comes first
    dialog.statement.setCurrentIndex(dialog.statement.findData(mechanism.id))
    dialog.stance.setCurrentIndex(dialog.stance.findData("refutes"))
    dialog.memo.setText("Still lonely after the group")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

    linked = window.read(lambda s: cmo_evidence.evidence_for(s, component_id=mechanism.id))
    new = [e for e in linked if e.coding_id == segment.coding_id]
    assert [(e.stance, e.memo, e.text, e.coder_name) for e in new] == [
        ("refutes", "Still lonely after the group", segment.text, "Hannah Fielding")]
    assert workspace.current_configuration() == config.id
    item = workspace.tree.item_for(config.id)
    assert item is not None and item.text(3) == "2"
    window.show_span(segment.document_id, segment.start, segment.end)
    marks = window.panels.viewer.editor.layer_marks
    assert any(m.layer == LAYER_NAME and m.label == f"M {config.label.split()[-1]}" for m in marks)

    # The same link again is refused with a message, and nothing is added.
    retrieval.passage_menu(0).actions()[2].trigger()
    dialog = _link_dialog(window)
    dialog.statement.setCurrentIndex(dialog.statement.findData(mechanism.id))
    dialog.accept()
    assert window.messenger.last is not None and "already evidence" in window.messenger.last.text
    assert len(window.read(lambda s: cmo_evidence.evidence_for(s, component_id=mechanism.id))) == len(linked)

    window.undo_stack.undo()
    assert [e for e in window.read(lambda s: cmo_evidence.evidence_for(s, component_id=mechanism.id))
            if e.coding_id == segment.coding_id] == []


def test_the_transcript_offers_the_link_on_each_coding(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    _workspace(window, qtbot)
    text_at = window.panels.viewer
    window.panels.nodes.view.select_node(node_id(window, "Loneliness"))
    segment = window.panels.retrieval.model.segments[0]
    window.show_span(segment.document_id, segment.start, segment.end)
    menu = window.panels.coding.context_menu(text_at.editor.offsets.to_qt(segment.start + 1))
    submenu = next(a.menu() for a in menu.actions() if a.menu() is not None and a.text().startswith(segment.node_name))
    next(a for a in submenu.actions() if a.text() == "Use as CMO evidence…").trigger()
    dialog = _link_dialog(window)
    assert " ".join(segment.text.split())[:40] in dialog.findChild(QLabel, "linkQuote").text()
    dialog.reject()
    assert window.read(lambda s: [e for e in cmo_evidence.evidence_for(s) if e.coding_id == segment.coding_id]) == []


def test_a_coded_passage_shows_the_cmo_tags_on_it(window: MainWindow) -> None:
    evidence = window.read(cmo_evidence.evidence_for)[0]
    window.panels.nodes.view.select_node(node_id(window, "Going along the first time"))
    retrieval = window.panels.retrieval
    row = next(i for i, s in enumerate(retrieval.model.segments)
               if s.document_id == evidence.document_id and s.start <= evidence.start < s.end)
    retrieval.table.selectRow(row)
    note = f"{LAYER_NAME}: {evidence.configuration_label} · {evidence.concept} · Mechanism (M): {evidence.statement}"
    assert note in retrieval.preview.toPlainText()
    ARTIFACTS.mkdir(exist_ok=True)
    retrieval.grab().save(str(ARTIFACTS / "coded_passage_with_cmo_tag.png"))
    other = next(i for i, s in enumerate(retrieval.model.segments) if s.document_id != evidence.document_id)
    retrieval.table.selectRow(other)
    assert LAYER_NAME not in retrieval.preview.toPlainText()
    window.set_layer_visible(LAYER_NAME, False)  # a hidden layer is not described either
    retrieval.table.selectRow(row)
    assert LAYER_NAME not in retrieval.preview.toPlainText()


def test_a_workspace_behind_the_nodes_tab_reads_nothing_until_its_tab_is_chosen(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QTabBar

    dock = next(d for d in window.dock_list if d.windowTitle() == "CMO configurations")
    workspace = dock.findChild(CmoWorkspace)
    window.tabifyDockWidget(window.panels.nodes_dock, dock)
    window.panels.nodes_dock.raise_()
    qtbot.wait(20)

    def concepts() -> set[str]:
        return {workspace.tree.topLevelItem(i).text(0).split("  (")[0] for i in range(workspace.tree.topLevelItemCount())}

    assert dock.isVisible() and workspace.visibleRegion().isEmpty()  # Qt counts a tab behind as visible
    window.execute(lambda s: cmo.create_configuration(s, concept="Transport", statements=[("C", "No bus on Sundays")],
                                                      coder_id=window.coder_id))
    qtbot.wait(20)
    assert "Transport" not in concepts()  # nobody can see it: not read
    bar = next(b for b in window.findChildren(QTabBar)
               if "CMO configurations" in [b.tabText(i) for i in range(b.count())])
    tab = [bar.tabText(i) for i in range(bar.count())].index("CMO configurations")
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(tab).center())
    qtbot.waitUntil(lambda: "Transport" in concepts())
