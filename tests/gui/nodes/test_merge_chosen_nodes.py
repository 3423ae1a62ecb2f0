"""Several codes chosen in the node tree with Ctrl-click and merged in one undoable step,
from the context menu or the Nodes menu: into one of them or into another node."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from qualcode.gui.nodes.merge_nodes_dialog import MergeNodeDialog
from qualcode.gui.workbench.main_window import MainWindow
from qualcode.services.codebook import nodes as node_service
from qualcode.services.coding import codings as coding_service
from tests.gui.helpers import node_id, tree_index

CHOSEN = ("Feeling heard", "Loneliness", "Giving back")  # in tree order


def ctrl_click(window: MainWindow, qtbot, names: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    view = window.panels.nodes.view
    for i, name in enumerate(names):
        point = view.visualRect(tree_index(window, name)).center()
        modifier = Qt.KeyboardModifier.ControlModifier if i else Qt.KeyboardModifier.NoModifier
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, modifier, point)


def spans(window: MainWindow, node: int) -> set[tuple[int, int, int, int]]:
    return {(c.document_id, c.start, c.end, c.coder_id)
            for c in window.read(lambda s: coding_service.codings_of_node(s, node, include_descendants=False))}


def click_merge(dialog: MergeNodeDialog, qtbot) -> None:  # type: ignore[no-untyped-def]
    button = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    assert button.text() == "Merge"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_ctrl_click_three_codes_and_merge_them_into_the_first_chosen_in_one_undoable_step(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    ids = [node_id(window, n) for n in CHOSEN]
    keep = ids[0]
    # the same passage coded to two of them: after the merge it is there once
    shared = next(iter(spans(window, ids[1])))
    window.execute(lambda s: coding_service.apply_code(s, document_id=shared[0], start=shared[1], end=shared[2],
                                                       node_id=ids[2], coder_id=shared[3]))
    window.execute(lambda s: node_service.update_node(s, node_id=ids[1], memo="Heard = listened to."))
    window.execute(lambda s: node_service.update_node(s, node_id=ids[0], memo="Alone, not lonely?"))
    expected = set().union(*(spans(window, n) for n in ids))
    total_before = window.read(lambda s: len(coding_service.codings_of_node(s, keep))) + sum(
        len(spans(window, n)) for n in ids[1:])
    depth = window.undo_stack.count()

    ctrl_click(window, qtbot, CHOSEN)
    panel = window.panels.nodes
    assert panel.view.selected_nodes() == ids
    menu = panel.build_menu(ids[1])
    action = next(a for a in menu.actions() if a.text() == "Merge 3 nodes…")
    assert action.isEnabled()
    action.trigger()
    dialog = panel.node_actions.dialog
    assert isinstance(dialog, MergeNodeDialog) and dialog.isVisible()
    assert dialog.windowTitle() == "Merge 3 nodes"
    assert [dialog.list.item(r).data(Qt.ItemDataRole.UserRole) for r in range(3)] == ids  # the chosen first
    assert dialog.target_id() == keep
    click_merge(dialog, qtbot)

    names = {n.name for n in window.read(node_service.list_nodes)}
    assert "Feeling heard" in names and "Loneliness" not in names and "Giving back" not in names
    merged = window.read(lambda s: coding_service.codings_of_node(s, keep, include_descendants=False))
    assert {(c.document_id, c.start, c.end, c.coder_id) for c in merged} == expected
    assert len(merged) == len(expected) < total_before  # the shared passage once
    memo = window.read(lambda s: node_service.get_node(s, keep)).memo
    assert memo.startswith("Alone, not lonely?") and "[from 'Loneliness'] Heard = listened to." in memo
    assert window.undo_stack.count() == depth + 1
    assert window.undo_stack.undoText() == "Merge 2 nodes into 'Feeling heard'"
    assert ids[1] not in panel.model.nodes and ids[2] not in panel.model.nodes

    window.panels.nodes.view.setFocus()
    qtbot.keyClick(window.panels.nodes.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    names = {n.name for n in window.read(node_service.list_nodes)}
    assert set(CHOSEN) <= names
    assert window.read(lambda s: node_service.get_node(s, keep)).memo == "Alone, not lonely?"
    assert window.read(lambda s: node_service.get_node(s, ids[1])).memo == "Heard = listened to."
    restored = set(window.panels.nodes.model.nodes)
    assert set(ids) <= restored


def test_the_nodes_menu_merges_the_chosen_codes_into_another_node_found_by_name(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    chosen = ("Loneliness", "Feeling heard")
    ids = [node_id(window, n) for n in chosen]
    target = node_id(window, "What matters to you")
    expected = spans(window, target) | spans(window, ids[0]) | spans(window, ids[1])
    ctrl_click(window, qtbot, chosen)
    window.window_actions.merge_action.trigger()
    dialog = window.panels.nodes.node_actions.dialog
    assert isinstance(dialog, MergeNodeDialog) and dialog.isVisible()
    qtbot.keyClicks(dialog.search, "matters to you")
    shown = [dialog.list.item(r) for r in range(dialog.list.count()) if not dialog.list.item(r).isHidden()]
    assert [i.data(Qt.ItemDataRole.UserRole) for i in shown] == [target]
    qtbot.mouseClick(dialog.list.viewport(), Qt.MouseButton.LeftButton, pos=dialog.list.visualItemRect(shown[0]).center())
    click_merge(dialog, qtbot)
    names = {n.name for n in window.read(node_service.list_nodes)}
    assert not set(chosen) & names
    assert spans(window, target) == expected
    window.undo_stack.undo()
    assert set(chosen) <= {n.name for n in window.read(node_service.list_nodes)}


def test_a_theme_and_its_own_code_can_merge_into_the_theme_but_nothing_into_the_code(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    theme, code = node_id(window, "Isolation and loss"), node_id(window, "Loneliness")
    ctrl_click(window, qtbot, ("Isolation and loss", "Loneliness"))
    dialog = window.panels.nodes.node_actions.merge_many(window.panels.nodes.view.selected_nodes())
    offered = {dialog.list.item(r).data(Qt.ItemDataRole.UserRole) for r in range(dialog.list.count())}
    assert theme in offered and code not in offered  # a node under a merged node cannot receive it
    dialog.choose(theme)
    dialog.accept()
    assert code not in {n.id for n in window.read(node_service.list_nodes)}
    assert window.read(lambda s: node_service.get_node(s, theme)).name == "Isolation and loss"
