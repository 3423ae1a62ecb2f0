"""The start page, recent projects, layout kept between runs, and bad input: a damaged or
locked project, a deleted recent file — each says what is wrong and the window stays usable."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QTabBar

from qualcode.gui.settings import RecentProjects
from qualcode.gui.workbench.main_window import MainWindow
from qualcode.store.project import Project
from tests.gui.conftest import make_window


@pytest.fixture
def start(qtbot, styled_app) -> MainWindow:  # type: ignore[no-untyped-def]
    return make_window(qtbot)


def test_the_start_page_offers_new_open_demo_and_recent(start: MainWindow, demo_file: Path) -> None:
    page = start.start_page
    assert start.central.currentWidget() is page
    assert [b.text() for b in (page.new_button, page.open_button, page.demo_button)] == [
        "New project…", "Open project…", "Open the demo project"]
    assert page.no_recent.isVisible()
    assert not any(dock.isVisible() for dock in start.dock_list)
    assert not start.window_actions.quick_code_action.isEnabled()
    assert start.open_project(demo_file)
    start.close_project()
    assert start.central.currentWidget() is page
    assert page.recent.count() == 1 and page.recent.item(0).text().startswith("demo\n")


def test_the_start_page_after_switching_projects_shows_no_left_over_panel_tabs(
        start: MainWindow, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for name in ("pilot", "other"):
        Project.create(tmp_path / f"{name}.qualcode", title=name).close()
    assert start.open_project(tmp_path / "pilot.qualcode")
    start.grab()
    assert start.open_project(tmp_path / "other.qualcode")  # from one project straight to another
    start.grab()
    assert any(dock.isVisible() for dock in start.dock_list)
    start.close_project()
    start.grab().save(str(tmp_path / "start.png"))  # painted as the user sees it
    # Dock tab bars Qt no longer uses are parked outside the window (or under the start page);
    # none may show its tabs over the start page.
    stacked = start.children()
    over_start_page = [bar for bar in start.findChildren(QTabBar)
                       if bar.parent() is start and bar.isVisible() and bar.count()
                       and start.rect().intersects(bar.geometry())
                       and stacked.index(bar) > stacked.index(start.centralWidget())]
    assert [[bar.tabText(i) for i in range(bar.count())] for bar in over_start_page] == []
    assert start.central.currentWidget() is start.start_page


def test_creating_a_project_opens_it_empty(start: MainWindow, tmp_path: Path) -> None:
    assert start.create_project(tmp_path / "Fieldwork 2024", "Fieldwork 2024")
    assert start.project is not None and start.project.path == tmp_path / "Fieldwork 2024.qualcode"
    assert start.windowTitle() == "Fieldwork 2024 — QualCode"
    assert start.panels.nodes.model.rowCount() == 0
    assert start.panels.viewer.stack.currentWidget() is start.panels.viewer.empty
    assert start.window_actions.quick_code_action.isEnabled()


def test_opening_the_demo_builds_it_in_the_data_folder(start: MainWindow, qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    start.start_page.demo_button.click()
    qtbot.waitUntil(lambda: start.project is not None, timeout=30000)
    assert start.project is not None
    assert start.project.path == tmp_path / "data" / "QualCode" / "QualCode demo.qualcode"
    assert start.panels.nodes.model.rowCount() == 1
    assert len(start.panels.viewer.shown_marks) > 0


def test_a_deleted_recent_project_is_explained_and_forgotten(start: MainWindow, demo_file: Path,
                                                             tmp_path: Path) -> None:
    gone = tmp_path / "gone.qualcode"
    shutil.copy(demo_file, gone)
    RecentProjects(start.settings).add(gone)
    gone.unlink()
    start.start_page.set_recent(start.recent.paths())
    assert "(missing)" in start.start_page.recent.item(0).text()
    start.start_page.recent.itemClicked.emit(start.start_page.recent.item(0))
    message = start.messenger.last
    assert message is not None and message.title == "Project not found"
    assert message.text == (f"The project 'gone.qualcode' is no longer at {tmp_path}: it was moved or deleted, "
                            "so it was removed from the recent projects.")
    assert start.recent.paths() == [] and start.start_page.recent.count() == 0
    assert start.open_project(demo_file)  # still usable


def test_a_damaged_project_is_refused_with_a_clear_message(start: MainWindow, demo_file: Path,
                                                           tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.qualcode"
    data = bytearray(demo_file.read_bytes())
    data[4096:12288] = b"\x00garbage" * 1024
    damaged.write_bytes(bytes(data))
    assert not start.open_project(damaged)
    message = start.messenger.last
    assert message is not None and message.title == "Cannot open project"
    assert "'damaged.qualcode' is damaged" in message.text and "backup" in message.text
    assert start.project is None and start.central.currentWidget() is start.start_page
    not_a_project = tmp_path / "notes.qualcode"
    not_a_project.write_text("just some notes")
    assert not start.open_project(not_a_project)
    assert start.messenger.last.text == "'notes.qualcode' is not a QualCode project (not a database file)."  # type: ignore[union-attr]
    assert start.open_project(demo_file)


def test_a_project_open_elsewhere_is_refused_and_the_current_one_stays_open(window: MainWindow,
                                                                           tmp_path: Path) -> None:
    other = tmp_path / "other.qualcode"
    Project.create(other).close()
    holder = Project.open(other)  # another QualCode holds it
    try:
        current = window.project
        assert not window.open_project(other)
        assert window.messenger.last is not None and "already open" in window.messenger.last.text
        assert window.project is current
        assert window.panels.viewer.document_id is not None
    finally:
        holder.close()


def test_messages_appear_in_a_box_over_the_window(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.messenger.boxes_enabled = True
    window.show_error("The file is locked.")
    box = window.messenger.current_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.text() == "The file is locked." and box.icon() == QMessageBox.Icon.Critical
    box.button(QMessageBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: window.messenger.current_box is None)
    assert window.isEnabled()


def test_dock_layout_and_last_document_are_restored_next_time(qtbot, styled_app, demo_file: Path) -> None:  # type: ignore[no-untyped-def]
    first = make_window(qtbot)
    assert first.open_project(demo_file)
    first.panels.retrieval_dock.hide()
    first.open_document(3)
    first.close()
    second = make_window(qtbot)
    assert second.open_project(demo_file)
    assert not second.panels.retrieval_dock.isVisible()
    assert second.panels.nodes_dock.isVisible()
    assert second.panels.viewer.document_id == 3
    second.window_actions.panels_menu.actions()[3].trigger()  # View › Panels › Coded passages
    assert second.panels.retrieval_dock.isVisible()
    second.close()


def test_window_closes_cleanly_and_releases_the_project(qtbot, styled_app, demo_file: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(qtbot)
    assert window.open_project(demo_file)
    window.panels.memo.editor.setPlainText("Unsaved typing is kept.")
    window.close()
    with Project.open(demo_file) as project, project.session() as session:
        from qualcode.services import documents

        assert documents.get_document(session, 1).memo == "Unsaved typing is kept."
