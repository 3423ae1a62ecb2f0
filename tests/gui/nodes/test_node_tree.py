"""The node tree: levels and counts, drag-and-drop moves (and refused ones), rename in place,
colour, codebook entry, merge and delete with the coding choice."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QLineEdit

from qualcode.domain.levels import Level
from qualcode.gui.nodes.delete_node_dialog import DeleteNodeDialog
from qualcode.gui.nodes.merge_nodes_dialog import MergeNodeDialog
from qualcode.gui.nodes.node_dialog import NodeEditorDialog
from qualcode.gui.nodes.tree_model import NODE_ID_ROLE
from qualcode.gui.workbench.main_window import MainWindow
from qualcode.services.codebook import nodes as node_service
from qualcode.services.coding import coding_stats
from qualcode.services.coding import codings as coding_service
from tests.gui.helpers import node_id, tree_index


def source_index(window: MainWindow, name: str) -> QModelIndex:
    return window.panels.nodes.model.index_of(node_id(window, name))


def move_by_drop(window: MainWindow, name: str, onto: str | None, row: int = -1) -> bool:
    """Drag `name` and drop it on `onto` (None: the empty space at the top level)."""
    model = window.panels.nodes.model
    mime = model.mimeData([source_index(window, name)])
    parent = source_index(window, onto) if onto else QModelIndex()
    assert model.canDropMimeData(mime, Qt.DropAction.MoveAction, row, 0, parent)
    return model.dropMimeData(mime, Qt.DropAction.MoveAction, row, 0, parent)


def test_tree_shows_the_network_with_levels_and_rolled_up_counts(window: MainWindow) -> None:
    model = window.panels.nodes.model
    assert model.rowCount() == 1
    top = model.index(0, 0)
    assert top.data() == "Linking people to what matters"
    assert [model.index(r, 0, top).data() for r in range(model.rowCount(top))] == [
        "Practical barriers come first", "Relationships that make it work", "Connection and purpose",
        "Pressures on the service"]
    nodes = window.read(node_service.list_nodes)
    assert len(model.nodes) == len(nodes) == 27
    stored = window.read(lambda s: len(coding_service.codings_of_node(s, model.node_id(top))))
    assert model.index(0, 1).data() == str(stored) and model.index(0, 2).data() == "6"
    getting_there = source_index(window, "Getting there")
    assert getting_there.data(Qt.ItemDataRole.UserRole + 2) == int(Level.BASIC)
    assert not getting_there.data(Qt.ItemDataRole.DecorationRole).isNull()
    counts = model.counts[node_id(window, "Getting there")]
    direct = window.read(lambda s: coding_service.codings_of_node(s, node_id(window, "Getting there")))
    assert counts.codings == len(direct) and counts.documents == len({c.document_id for c in direct})


def test_dragging_a_code_under_another_basic_theme_moves_it_with_its_codings(window: MainWindow) -> None:
    code = node_id(window, "Loneliness")
    before = window.read(lambda s: len(coding_service.codings_of_node(s, code)))
    move_by_drop(window, "Loneliness", "Belonging to a group")
    moved = window.read(lambda s: node_service.get_node(s, code))
    assert moved.parent_id == node_id(window, "Belonging to a group")
    assert window.read(lambda s: len(coding_service.codings_of_node(s, code))) == before
    model = window.panels.nodes.model
    assert model.parent(model.index_of(code)).data() == "Belonging to a group"
    assert model.counts[node_id(window, "Belonging to a group")].codings == 12 + before
    window.undo_stack.undo()
    assert window.read(lambda s: node_service.get_node(s, code)).parent_id == node_id(window, "Isolation and loss")


def test_a_move_the_level_rule_forbids_is_refused_with_the_reason(window: MainWindow) -> None:
    code = node_id(window, "Loneliness")
    parent = window.read(lambda s: node_service.get_node(s, code)).parent_id
    assert window.panels.nodes.model.move_refusal(code, node_id(window, "Feeling heard")) is not None
    move_by_drop(window, "Loneliness", "Feeling heard")
    assert window.read(lambda s: node_service.get_node(s, code)).parent_id == parent
    message = window.messenger.last
    assert message is not None and message.kind == "error"
    assert message.text == ("'Loneliness' (code) cannot go under 'Feeling heard' (code): "
                            "a parent must be a higher level.")
    move_by_drop(window, "Loneliness", "Belonging to a group")  # the window is still usable
    assert window.read(lambda s: node_service.get_node(s, code)).parent_id == node_id(window, "Belonging to a group")


def test_reordering_siblings_by_drop(window: MainWindow) -> None:
    model = window.panels.nodes.model
    top = model.index_of(node_id(window, "Linking people to what matters"))
    move_by_drop(window, "Pressures on the service", "Linking people to what matters", row=0)
    assert model.index(0, 0, top).data() == "Pressures on the service"
    move_by_drop(window, "Pressures on the service", "Linking people to what matters", row=4)
    assert model.index(3, 0, top).data() == "Pressures on the service"


def test_rename_in_place_and_undo(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = window.panels.nodes.view
    index = view.proxy_index(node_id(window, "Getting there"))
    view.setCurrentIndex(index)
    view.edit(index)
    editor = view.viewport().findChild(QLineEdit)
    assert editor is not None and editor.text() == "Getting there"
    editor.selectAll()
    qtbot.keyClicks(editor, "Transport")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != view.State.EditingState)  # the delegate commits queued
    assert window.read(lambda s: node_service.get_node(s, node_id(window, "Transport"))).level is Level.BASIC
    assert window.window_actions.undo_action.text() == "&Undo Rename 'Getting there' to 'Transport'"
    window.undo_stack.undo()
    assert view.proxy_index(node_id(window, "Getting there")).data() == "Getting there"


def test_colour_and_codebook_entry_are_edited(window: MainWindow) -> None:
    actions = window.panels.nodes.node_actions
    code = node_id(window, "High caseloads")
    actions.set_colour(code, "#aa3377")
    dialog = actions.edit_node(code)
    assert isinstance(dialog, NodeEditorDialog) and dialog.name.text() == "High caseloads"
    dialog.definition.setPlainText("Waits for any service a person was referred on to.")
    dialog.inclusion.setPlainText("Therapy, groups, housing.")
    dialog.exclusion.setPlainText("Waiting for the link worker (code under 'High caseloads').")
    dialog.accept()
    stored = window.read(lambda s: node_service.get_node(s, code))
    assert stored.color == "#aa3377"
    assert stored.definition == "Waits for any service a person was referred on to."
    assert stored.inclusion == "Therapy, groups, housing."
    assert stored.exclusion.startswith("Waiting for the link worker")
    tooltip = window.panels.nodes.model.index_of(code).data(Qt.ItemDataRole.ToolTipRole)
    assert "Therapy, groups, housing." in tooltip
    marks = [m for m in window.panels.viewer.shown_marks if m.node_id == code]
    assert marks and all(m.color == "#aa3377" for m in marks)


def test_new_theme_goes_under_the_chosen_higher_node(window: MainWindow) -> None:
    organising = node_id(window, "Connection and purpose")
    dialog = window.panels.nodes.node_actions.new_node(Level.BASIC, organising)
    assert isinstance(dialog, NodeEditorDialog)
    dialog.name.setText("Routine and structure")
    dialog.definition.setPlainText("Having a reason to get up and a shape to the week.")
    dialog.accept()
    created = window.read(lambda s: node_service.find_node(s, "Routine and structure"))
    assert created.parent_id == organising and created.level is Level.BASIC
    assert created.definition == "Having a reason to get up and a shape to the week."
    view = window.panels.nodes.view
    assert view.proxy_index(created.id).isValid()


def test_merge_moves_codings_into_the_target(window: MainWindow) -> None:
    source, target = node_id(window, "Feeling heard"), node_id(window, "What matters to you")
    total = window.read(lambda s: len(coding_service.codings_of_node(s, source))
                        + len(coding_service.codings_of_node(s, target)))
    dialog = window.panels.nodes.node_actions.merge(source)
    assert isinstance(dialog, MergeNodeDialog)
    dialog.search.setText("what matters")
    dialog.choose(target)
    dialog.accept()
    names = {n.name for n in window.read(node_service.list_nodes)}
    assert "Feeling heard" not in names
    assert window.read(lambda s: len(coding_service.codings_of_node(s, target))) == total
    assert source not in window.panels.nodes.model.nodes


def test_delete_moves_codings_to_the_parent_when_chosen(window: MainWindow) -> None:
    code, parent = node_id(window, "Giving back"), node_id(window, "Belonging to a group")
    own = window.read(lambda s: len(coding_service.codings_of_node(s, code)))
    before = window.read(lambda s: len(coding_service.codings_of_node(s, parent, include_descendants=False)))
    dialog = window.panels.nodes.node_actions.delete(code)
    assert isinstance(dialog, DeleteNodeDialog) and dialog.move_codings.isChecked()
    dialog.accept()
    assert window.read(lambda s: len(coding_service.codings_of_node(s, parent, include_descendants=False))) == \
        before + own
    window.undo_stack.undo()
    assert window.read(lambda s: node_service.get_node(s, code)).name == "Giving back"


def test_delete_can_drop_the_codings(window: MainWindow) -> None:
    code = node_id(window, "Waiting lists")
    total = window.read(lambda s: sum(d.codings for d in coding_stats.document_density(s).values()))
    own = window.read(lambda s: len(coding_service.codings_of_node(s, code)))
    dialog = window.panels.nodes.node_actions.delete(code)
    assert isinstance(dialog, DeleteNodeDialog)
    dialog.delete_codings.setChecked(True)
    dialog.accept()
    assert window.read(lambda s: sum(d.codings for d in coding_stats.document_density(s).values())) == total - own
    assert all(m.node_id != code for m in window.panels.viewer.shown_marks)


def test_expansion_and_current_node_survive_a_refresh(window: MainWindow) -> None:
    view = window.panels.nodes.view
    money = node_id(window, "Money worries")
    view.expand(view.proxy_index(money))
    view.select_node(money)
    window.panels.nodes.node_actions.set_colour(money, "#336699")  # rebuilds the model
    assert view.isExpanded(view.proxy_index(money))
    assert view.currentIndex().data(NODE_ID_ROLE) == money


def test_find_box_filters_the_tree(window: MainWindow) -> None:
    panel = window.panels.nodes
    panel.search.setText("wait")
    proxy = panel.view.proxy
    visible: list[str] = []

    def walk(parent: QModelIndex) -> None:
        for row in range(proxy.rowCount(parent)):
            index = proxy.index(row, 0, parent)
            visible.append(index.data())
            walk(index)

    walk(QModelIndex())
    assert visible == ["Linking people to what matters", "Pressures on the service", "Capacity", "Waiting lists"]


def test_ctrl_click_several_nodes_and_group_them_into_a_new_theme(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = window.panels.nodes.view
    first, second = node_id(window, "Loneliness"), node_id(window, "Feeling heard")
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.visualRect(tree_index(window, "Loneliness")).center())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier,
                     view.visualRect(tree_index(window, "Feeling heard")).center())
    assert sorted(view.selected_nodes()) == sorted([first, second])
    menu = window.panels.nodes.build_menu(second)
    texts = [a.text() for a in menu.actions()]
    assert "Group 2 nodes into a new theme…" in texts and "Colour 2 nodes…" in texts
    next(a for a in menu.actions() if a.text() == "Group 2 nodes into a new theme…").trigger()
    dialog = window.panels.nodes.node_actions.dialog
    assert dialog is not None and dialog.isVisible()
    editor = dialog.findChild(QLineEdit)
    qtbot.keyClicks(editor, "Being alone")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    theme = window.read(lambda s: node_service.find_node(s, "Being alone"))
    assert theme.level is Level.BASIC
    assert {window.read(lambda s, n=n: node_service.get_node(s, n)).parent_id for n in (first, second)} == {theme.id}
    assert window.undo_stack.undoText().startswith("Group")
    window.undo_stack.undo()
    assert "Being alone" not in {n.name for n in window.read(node_service.list_nodes)}


def test_colour_several_chosen_nodes_in_one_step(window: MainWindow) -> None:
    ids = [node_id(window, "Loneliness"), node_id(window, "Feeling heard")]
    window.panels.nodes.node_actions.set_colours(ids, "#117733")
    assert {window.read(lambda s, n=n: node_service.get_node(s, n)).color for n in ids} == {"#117733"}
    assert window.undo_stack.undoText() == "Colour 2 nodes"


def test_delete_several_chosen_nodes_keeping_their_codings_in_one_step(window: MainWindow) -> None:
    from PySide6.QtWidgets import QMessageBox

    ids = [node_id(window, "Loneliness"), node_id(window, "Feeling heard")]
    parents = [window.read(lambda s, n=n: node_service.get_node(s, n)).parent_id for n in ids]
    before = [window.read(lambda s, p=p: len(coding_service.codings_of_node(s, p))) for p in parents]
    view = window.panels.nodes.view
    for name in ("Loneliness", "Feeling heard"):
        view.selectionModel().select(tree_index(window, name), view.selectionModel().SelectionFlag.Select
                                     | view.selectionModel().SelectionFlag.Rows)
    menu = window.panels.nodes.build_menu(ids[0])
    next(a for a in menu.actions() if a.text() == "Delete 2 nodes…").trigger()
    box = window.panels.nodes.node_actions.dialog
    assert isinstance(box, QMessageBox) and box.isVisible()
    next(b for b in box.buttons() if b.text() == "Keep codings on the parents").click()
    names = {n.name for n in window.read(node_service.list_nodes)}
    assert "Loneliness" not in names and "Feeling heard" not in names
    after = [window.read(lambda s, p=p: len(coding_service.codings_of_node(s, p))) for p in parents]
    assert after == before  # a parent's count already included its codes' codings
    assert window.undo_stack.undoText() == "Delete 2 nodes"
    window.undo_stack.undo()
    names = {n.name for n in window.read(node_service.list_nodes)}
    assert {"Loneliness", "Feeling heard"} <= names
