"""A team project opened in the window joins the recent projects (start page and File ▸ Open
recent), named readably and without any password, and opens again from there."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from qualcode.domain.location import without_password
from qualcode.gui.settings import RecentProjects
from qualcode.services.teamwork import team
from qualcode.store.project import Project
from tests.conftest import add_password
from tests.gui.conftest import make_window


def test_a_team_project_is_listed_among_recent_projects_and_reopens_from_the_list(
        qtbot, styled_app: QApplication, new_team_url: str, pg_cluster, tmp_path: Path,  # type: ignore[no-untyped-def]
        private_settings: Path) -> None:
    with team.init_team(new_team_url, title="Loneliness study") as admin:
        team.add_member(admin, name="gui_rita", role="coder", password="gui-rita-pw")
    add_password(pg_cluster, "gui_rita", "gui-rita-pw")
    url = new_team_url.replace("qualcode_admin@", "gui_rita@")
    database = url.rsplit("/", 1)[1]
    local = tmp_path / "Pilot.qualcode"
    Project.create(local, title="Pilot").close()

    window = make_window(qtbot)
    try:
        assert window.open_project(local)
        assert window.open_project(url), window.messenger.history
        window.close_project()
        page = window.start_page
        assert window.central.currentWidget() is page
        assert [page.recent.item(r).text() for r in range(page.recent.count())] == [
            f"team: {database} on 127.0.0.1\nas gui_rita, port {pg_cluster.port}", f"Pilot\n{tmp_path}"]
        assert url in page.recent.item(0).toolTip()
        stored = "".join(p.read_text() for p in private_settings.rglob("*") if p.is_file())
        assert url in stored and "gui-rita-pw" not in stored
        window.grab().save("/tmp/team-recent-start-page.png")

        window.window_actions.refresh_recent_menu()
        labels = [a.text() for a in window.window_actions.recent_menu.actions()]
        assert labels == [f"team: {database} on 127.0.0.1", f"Pilot  —  {tmp_path}"]

        item = page.recent.item(0)  # clicked on the start page: opens as the member again
        QTest.mouseClick(page.recent.viewport(), Qt.MouseButton.LeftButton,
                         pos=page.recent.visualItemRect(item).center())
        assert window.project is not None and window.windowTitle() == "Loneliness study (team) — QualCode"
        assert window.coder_button.text() == "Coder: gui_rita"

        window.close_project()  # and from File ▸ Open recent
        window.window_actions.refresh_recent_menu()
        window.window_actions.recent_menu.actions()[0].trigger()
        assert window.windowTitle() == "Loneliness study (team) — QualCode"
        assert window.recent.entries() == [url, local]  # listed once, newest first
    finally:
        window.close()


def test_a_password_never_reaches_the_recent_list(qtbot, styled_app: QApplication) -> None:  # type: ignore[no-untyped-def]
    window = make_window(qtbot)
    recent = RecentProjects(window.settings)
    recent.add("postgresql://ana:secret@db.example.org:5433/loneliness")
    assert recent.entries() == ["postgresql://ana@db.example.org:5433/loneliness"]
    assert without_password("postgresql://ana@db.example.org/loneliness") == \
        "postgresql://ana@db.example.org/loneliness"
    window._show_start_page()
    assert window.start_page.recent.item(0).text() == (
        "team: loneliness on db.example.org\nas ana, port 5433")


def test_an_unreachable_team_project_stays_in_the_list_with_the_reason(
        qtbot, styled_app: QApplication, pg_cluster) -> None:  # type: ignore[no-untyped-def]
    window = make_window(qtbot)
    gone = pg_cluster.url("no_such_study")
    RecentProjects(window.settings).add(gone)
    window._show_start_page()
    page = window.start_page
    QTest.mouseClick(page.recent.viewport(), Qt.MouseButton.LeftButton,
                     pos=page.recent.visualItemRect(page.recent.item(0)).center())
    assert window.project is None
    message = window.messenger.last
    assert message is not None and message.title == "Cannot open team project"
    assert message.text.startswith("Cannot connect to the team project no_such_study on 127.0.0.1:")
    assert window.recent.entries() == [gone]
