"""Two clients on one team project, one of them the window: a dialog or memo saved over
someone else's change since it was opened is refused with who changed it, nothing is
overwritten, and an undo refused for the same reason keeps its step on the undo stack."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from qualcode.gui.nodes.node_dialog import NodeEditorDialog
from qualcode.gui.workbench.main_window import MainWindow
from qualcode.services import coders, documents
from qualcode.services.codebook import nodes
from qualcode.services.teamwork import team
from qualcode.store.server import TeamProject
from tests.conftest import add_password
from tests.gui.conftest import make_window


@pytest.fixture
def shared(qtbot, styled_app: QApplication, new_team_url: str,  # type: ignore[no-untyped-def]
           pg_cluster) -> Iterator[tuple[MainWindow, TeamProject, int]]:
    """The window (the member gui_hannah, an owner) and Olga's own connection to the same
    team project, each hearing of the other's changes live."""
    with team.init_team(new_team_url, title="Loneliness study") as admin:
        team.add_member(admin, name="gui_hannah", role="owner", password="gui-hannah-pw")
    add_password(pg_cluster, "gui_hannah", "gui-hannah-pw")
    olga = TeamProject.open(new_team_url)
    with olga.session() as s:
        doc = documents.add_document(s, name="P1", text="I felt lonely until the walking group.").result
        nodes.create_node(s, name="Care", level="basic")
        nodes.create_node(s, name="Loneliness", definition="Feeling without company.")
    window = make_window(qtbot)
    assert window.open_project(new_team_url.replace("qualcode_admin@", "gui_hannah@")), window.messenger.history
    try:
        yield window, olga, doc
    finally:
        window.close()
        olga.close()


def _olga(project: TeamProject) -> int:
    with project.session() as s:
        return coders.ensure_coder(s, "Olga").id


def _node(project: TeamProject, name: str) -> nodes.NodeInfo:
    with project.session() as s:
        return nodes.find_node(s, name)


def test_the_node_dialog_saved_after_someone_elses_change_is_refused_and_overwrites_nothing(
        shared: tuple[MainWindow, TeamProject, int], qtbot) -> None:  # type: ignore[no-untyped-def]
    window, olga, _doc = shared
    lonely = _node(olga, "Loneliness").id
    dialog = window.panels.nodes.node_actions.edit_node(lonely)
    assert isinstance(dialog, NodeEditorDialog)
    dialog.inclusion.setFocus()
    QTest.keyClicks(dialog.inclusion, "Says they are alone")
    with olga.session() as s:  # meanwhile Olga sharpens the definition
        nodes.update_node(s, node_id=lonely, definition="Wanting company one does not have.", coder_id=_olga(olga))
    QTest.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert window.messenger.last is not None
    assert window.messenger.last.text == ("Not saved: the node 'Loneliness' was changed by Olga since you opened it; "
                                          "reopen it to see their change.")
    node = _node(olga, "Loneliness")
    assert (node.definition, node.inclusion) == ("Wanting company one does not have.", "")
    assert window.undo_stack.count() == 0

    # Reopened, the dialog shows Olga's definition and saves.
    qtbot.waitUntil(lambda: window.panels.nodes.model.nodes[lonely].definition.startswith("Wanting"), timeout=3000)
    again = window.panels.nodes.node_actions.edit_node(lonely)
    assert isinstance(again, NodeEditorDialog)
    assert again.definition.toPlainText() == "Wanting company one does not have."
    QTest.keyClicks(again.inclusion, "Says they are alone")
    QTest.mouseClick(again.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    node = _node(olga, "Loneliness")
    assert (node.definition, node.inclusion) == ("Wanting company one does not have.", "Says they are alone")


def test_a_node_memo_typed_over_someone_elses_change_is_refused_and_the_typing_is_kept(
        shared: tuple[MainWindow, TeamProject, int], qtbot) -> None:  # type: ignore[no-untyped-def]
    window, olga, _doc = shared
    lonely = _node(olga, "Loneliness").id
    panel = window.panels.memo
    panel.set_target("node", lonely)
    panel.editor.setFocus()
    QTest.keyClicks(panel.editor, "Hannah: compare with P4.")
    with olga.session() as s:  # while Hannah types, Olga writes the memo of the same node
        nodes.update_node(s, node_id=lonely, memo="Olga: ask about pets.", coder_id=_olga(olga))
    qtbot.wait(400)  # her change is heard; what is being typed is not replaced
    assert panel.editor.toPlainText() == "Hannah: compare with P4."
    panel.save()  # as when the typing pauses
    assert window.messenger.last is not None
    assert window.messenger.last.text == ("Not saved: the node 'Loneliness' was changed by Olga since you opened it; "
                                          "reopen it to see their change.")
    assert _node(olga, "Loneliness").memo == "Olga: ask about pets."
    qtbot.wait(300)
    assert panel.editor.toPlainText() == "Hannah: compare with P4."
    assert panel.status.text().startswith("Not saved")
    panel.set_target("node", lonely)  # chosen again: her memo as it is now
    assert panel.editor.toPlainText() == "Olga: ask about pets."


def test_an_undo_refused_after_someone_elses_change_keeps_the_step_and_the_history(
        shared: tuple[MainWindow, TeamProject, int], qtbot) -> None:  # type: ignore[no-untyped-def]
    window, olga, _doc = shared
    model = window.panels.nodes.model
    care, lonely = _node(olga, "Care").id, _node(olga, "Loneliness").id
    assert model.setData(model.index_of(care), "Caring", Qt.ItemDataRole.EditRole)
    assert model.setData(model.index_of(lonely), "Isolation", Qt.ItemDataRole.EditRole)
    assert (window.undo_stack.count(), window.undo_stack.index()) == (2, 2)
    with olga.session() as s:
        nodes.update_node(s, node_id=lonely, exclusion="Solitude chosen freely", coder_id=_olga(olga))

    window.window_actions.undo_action.trigger()
    assert window.messenger.last is not None
    assert window.messenger.last.text == (
        "Cannot undo 'Rename 'Loneliness' to 'Isolation'': the node 'Isolation' was changed by Olga since. "
        "Nothing was changed. The step stays in the undo history.")
    qtbot.waitUntil(lambda: window.undo_stack.index() == 2, timeout=1000)
    assert window.undo_stack.count() == 2
    assert window.undo_stack.undoText() == "Rename 'Loneliness' to 'Isolation'"
    assert not window.undo_stack.canRedo()
    assert (_node(olga, "Isolation").exclusion, _node(olga, "Caring").id) == ("Solitude chosen freely", care)

    # Once Olga takes her change back, the kept step undoes, and so does the one before it.
    with olga.session() as s:
        nodes.update_node(s, node_id=lonely, exclusion="", coder_id=_olga(olga))
    window.window_actions.undo_action.trigger()
    assert _node(olga, "Loneliness").id == lonely
    window.window_actions.undo_action.trigger()
    assert _node(olga, "Care").id == care
    assert (window.undo_stack.index(), window.undo_stack.redoText()) == (0, "Rename 'Care' to 'Caring'")

    # A refused redo stays to be redone too.
    with olga.session() as s:
        nodes.update_node(s, node_id=care, definition="Looking after someone", coder_id=_olga(olga))
    window.window_actions.redo_action.trigger()
    assert "Cannot redo 'Rename 'Care' to 'Caring'': the node 'Care' was changed by Olga since." in \
        window.messenger.last.text
    qtbot.waitUntil(lambda: window.undo_stack.index() == 0, timeout=1000)
    assert window.undo_stack.redoText() == "Rename 'Care' to 'Caring'" and window.undo_stack.count() == 2
    assert _node(olga, "Care").definition == "Looking after someone"


def test_a_cmo_status_set_over_someone_elses_change_is_refused_and_shows_theirs(
        shared: tuple[MainWindow, TeamProject, int], qtbot) -> None:  # type: ignore[no-untyped-def]
    from qualcode.gui.realist.workspace import CmoWorkspace
    from qualcode.services.realist import configurations as cmo

    window, olga, _doc = shared
    with olga.session() as s:
        config = cmo.create_configuration(s, concept="Company", label="CMO1", statements=[
            ("C", "Living alone"), ("M", "Being listened to"), ("O", "Less lonely")], coder_id=_olga(olga)).result
    dock = next(d for d in window.dock_list if d.windowTitle() == "CMO configurations")
    dock.show()
    dock.raise_()
    workspace = dock.findChild(CmoWorkspace)
    qtbot.waitUntil(lambda: workspace.tree.item_for(config) is not None, timeout=3000)
    workspace.select_configuration(config)
    detail = workspace.detail
    assert detail.config is not None and detail.config.status == "proposed"
    with olga.session() as s:  # Olga refutes it; Hannah, not yet told, confirms it
        cmo.update_configuration(s, configuration_id=config, status="refuted", memo="P3 contradicts it",
                                 coder_id=_olga(olga))
    detail.status.setCurrentText("confirmed")
    detail.status.activated.emit(detail.status.currentIndex())
    assert window.messenger.last is not None
    assert window.messenger.last.text == ("Not saved: the CMO configuration 'CMO1' was changed by Olga since you "
                                          "opened it; reopen it to see their change.")
    assert detail.status.currentText() == "refuted"  # the stored status shows again
    with olga.session() as s:
        assert cmo.get_configuration(s, config).status == "refuted"


def test_a_case_sheet_value_typed_over_someone_elses_change_is_refused_and_keeps_theirs(
        shared: tuple[MainWindow, TeamProject, int], qtbot) -> None:  # type: ignore[no-untyped-def]
    from qualcode.services.cases import cases

    window, olga, _doc = shared
    with olga.session() as s:
        p01 = cases.create_case(s, name="P01").result
        age = cases.create_attribute(s, name="age", type="number").result
        cases.set_attribute_value(s, attribute_id=age, case_id=p01, value="70")
    qtbot.waitUntil(lambda: window.read(lambda s: len(cases.list_cases(s))) == 1, timeout=3000)
    window.case_sheet_action.trigger()  # type: ignore[attr-defined]
    panel = window.case_sheet  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: panel.proxy.rowCount() == 1, timeout=3000)
    headers = [panel.proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(panel.proxy.columnCount())]
    index = panel.proxy.index(0, headers.index("age"))
    assert index.data() == "70"
    with olga.session() as s:  # Olga corrects the age while Hannah has the sheet open
        cases.set_attribute_value(s, attribute_id=age, case_id=p01, value="71", coder_id=_olga(olga))
    panel.table.setCurrentIndex(index)
    panel.table.setFocus()
    QTest.keyClicks(panel.table, "7")  # typing starts editing before the sheet has heard of it
    editor = panel.table.indexWidget(index)
    assert editor is not None
    QTest.keyClicks(editor, "2")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    qtbot.wait(200)  # the delegate commits on the next turn of the event loop; Olga's change is heard
    assert window.messenger.last is not None and "was changed by Olga" in window.messenger.last.text
    with olga.session() as s:
        assert cases.attribute_values(s, case_id=p01)["age"] == "71"  # hers stands
    qtbot.waitUntil(lambda: panel.proxy.index(0, headers.index("age")).data() == "71", timeout=3000)
