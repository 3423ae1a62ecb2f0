"""A team project in the window: opened from its URL as a member, others' work shows up
live in the node tree (no reload), and the status bar names who else is connected."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from qualcode.gui.workbench.main_window import MainWindow
from qualcode.services import coders, documents
from qualcode.services.codebook import nodes
from qualcode.services.coding import codings
from qualcode.services.teamwork import team
from qualcode.store.server import TeamProject
from tests.conftest import add_password
from tests.gui.conftest import make_window


def test_others_codes_and_codings_appear_live_in_the_node_tree(
        qtbot, styled_app: QApplication, new_team_url: str, pg_cluster) -> None:  # type: ignore[no-untyped-def]
    with team.init_team(new_team_url, title="Loneliness study") as admin:
        team.add_member(admin, name="gui_ana", role="owner", password="gui-ana-pw")
        with admin.session() as s:
            doc = documents.add_document(s, name="P1", text="I felt lonely until the walking group.").result
            nodes.create_node(s, name="Loneliness")
    add_password(pg_cluster, "gui_ana", "gui-ana-pw")
    other = TeamProject.open(new_team_url)  # the owner, working elsewhere
    with other.session() as s:
        s.connection()  # connected now
    window: MainWindow = make_window(qtbot)
    try:
        assert window.open_project(new_team_url.replace("qualcode_admin@", "gui_ana@")), window.messenger.history
        assert window.windowTitle() == "Loneliness study (team) — QualCode"
        assert window.coder_button.text() == "Coder: gui_ana"
        model = window.panels.nodes.model
        assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["Loneliness"]
        qtbot.waitUntil(lambda: window.members_label.text() == "Also here: qualcode_admin", timeout=3000)

        started = time.perf_counter()
        with other.session() as s:
            walking = nodes.create_node(s, name="Walking group").result
            owner = coders.ensure_coder(s, "Olga").id
            codings.apply_code(s, document_id=doc, start=24, end=37, node_id=walking, coder_id=owner)

        def shows_walking_group_with_one_coding() -> bool:
            rows = {model.index(r, 0).data(): model.index(r, 1).data() for r in range(model.rowCount())}
            return rows.get("Walking group") == "1"

        qtbot.waitUntil(shows_walking_group_with_one_coding, timeout=2500)
        print(f"live refresh in the window: {1000 * (time.perf_counter() - started):.0f} ms (target < 2000)")
        assert "Changes by qualcode_admin" in window.statusBar().currentMessage()

        # The owner renames a code; before the window hears of it, the member renames it in
        # place from the tree as she saw it: refused with the reason, the owner's name kept.
        with other.session() as s:
            lonely = nodes.find_node(s, "Loneliness").id
            nodes.update_node(s, node_id=lonely, name="Isolation")
        index = model.index_of(lonely)
        assert not model.setData(index, "Feeling alone", Qt.ItemDataRole.EditRole)
        assert any("changed by qualcode_admin since you opened it" in str(entry) for entry in window.messenger.history), \
            window.messenger.history
        qtbot.waitUntil(lambda: model.index_of(lonely).data() == "Isolation", timeout=2500)

        # Her own rename, then the owner's change to the same code: her undo is refused.
        assert model.setData(model.index_of(lonely), "Feeling alone", Qt.ItemDataRole.EditRole)
        with other.session() as s:
            nodes.update_node(s, node_id=lonely, definition="Being without company")
        window.undo_stack.undo()
        assert "Cannot undo 'Rename 'Isolation' to 'Feeling alone''" in window.messenger.history[-1].text
        qtbot.waitUntil(lambda: window.undo_stack.undoText() == "Rename 'Isolation' to 'Feeling alone'", timeout=1000)
        with other.session() as s:
            assert (nodes.get_node(s, lonely).name, nodes.get_node(s, lonely).definition) == (
                "Feeling alone", "Being without company")
    finally:
        window.close()
        other.close()
    assert window.live._thread is None
