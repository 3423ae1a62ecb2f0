"""The Workbench protocol other features plug into: contributors, execute/read, undo,
long jobs with progress and cancel, viewer layers drawn apart from codings."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.domain.errors import ValidationError
from qualcode.domain.progress import check_cancelled
from qualcode.gui import contributions
from qualcode.gui.contributions import Workbench
from qualcode.gui.workbench.main_window import MainWindow
from qualcode.services import memos as memo_service
from qualcode.services.commands import Change
from tests.gui import sample_contributor
from tests.gui.conftest import make_window


@pytest.fixture
def contributed(qtbot, styled_app, demo_file: Path, monkeypatch: pytest.MonkeyPatch) -> MainWindow:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(contributions, "CONTRIBUTORS", ("tests.gui.sample_contributor",))
    sample_contributor.seen_changes.clear()
    window = make_window(qtbot)
    assert window.open_project(demo_file)
    return window


def test_main_window_implements_the_workbench_protocol(window: MainWindow) -> None:
    workbench: Workbench = window  # checked by mypy; at runtime, the members exist
    for name in ("project", "coder_id", "changed", "execute", "read", "run_job", "selection", "show_span",
                 "menu", "add_dock", "add_viewer_layer", "main_window"):
        assert hasattr(workbench, name), name
    assert workbench.main_window() is window
    assert workbench.menu("&Code") is workbench.menu("Code")


def test_contributed_menu_dock_and_changes(contributed: MainWindow) -> None:
    window = contributed
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles.index("&Sample feature") == titles.index("&Help") - 1
    docks = {d.windowTitle(): d for d in window.dock_list}
    assert docks["Sample panel"] in window.tabifiedDockWidgets(window.panels.nodes_dock)
    assert not docks["Sample panel"].isHidden()
    assert any(a.text() == "Sample panel" for a in window.window_actions.panels_menu.actions())
    action = window.menu("Sample feature").actions()[0]
    action.trigger()
    memos = window.read(lambda s: memo_service.memos_for(s, target_type="project"))
    assert [m.text for m in memos] == ["From the sample feature"]
    assert isinstance(sample_contributor.seen_changes[-1], Change)
    window.undo_stack.undo()
    assert window.read(lambda s: memo_service.memos_for(s, target_type="project")) == []
    assert sample_contributor.seen_changes[-1].title == "Undo Add memo"  # type: ignore[union-attr]


def test_viewer_layer_is_drawn_as_outlined_marks_with_margin_labels(contributed: MainWindow) -> None:
    viewer = contributed.panels.viewer
    marks = viewer.editor.layer_marks
    assert [(m.label, m.layer) for m in marks] == [("C1", "Sample evidence")]
    assert viewer.layer_margin.margin_width() > 0
    text = viewer.editor.toPlainText()
    at = text.index("caseload")
    viewer.select(at, at + 8)
    viewer.editor.verticalScrollBar().setValue(viewer.editor.verticalScrollBar().value())
    labels = viewer.layer_margin.labels()
    assert [m.label for m, _ in labels] == ["C1"]
    contributed.window_actions.layer_actions["Sample evidence"].setChecked(False)
    assert viewer.editor.layer_marks == []
    assert viewer.layer_margin.margin_width() == 0


def test_a_broken_contributor_does_not_stop_the_window(qtbot, styled_app, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(contributions, "CONTRIBUTORS", ("tests.gui.no_such_feature",))
    window = make_window(qtbot)
    assert window.messenger.last is not None
    assert "'tests.gui.no_such_feature' feature could not load" in window.messenger.last.text
    assert window.start_page.isVisible()


def test_execute_shows_user_errors_and_returns_none(window: MainWindow) -> None:
    def refuse(_session: object) -> Change:
        raise ValidationError("A code needs a name.")

    assert window.execute(refuse) is None
    assert window.messenger.last is not None and window.messenger.last.text == "A code needs a name."
    assert window.undo_stack.count() == 0


def test_run_job_runs_off_the_ui_thread_with_its_own_session(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    import threading

    project = window.project
    assert project is not None
    ui_thread = threading.get_ident()
    results: list[object] = []

    def job(progress) -> tuple[int, bool]:  # type: ignore[no-untyped-def]
        progress.update(1, 2, "Counting memos")
        with project.session() as session:  # its own session, on the worker thread
            count = len(memo_service.journal(session))
        progress.update(2, 2, "Done")
        return count, threading.get_ident() != ui_thread

    window.run_job("Counting", job, results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    assert results == [(0, True)]
    assert not window.jobs.busy


def test_a_job_that_returns_a_change_is_undoable(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    project = window.project
    assert project is not None
    coder = window.coder_id
    done: list[object] = []

    def job(_progress) -> Change:  # type: ignore[no-untyped-def]
        with project.session() as session:
            return memo_service.add_journal_entry(session, coder_id=coder or 0, text="Written by a job")

    window.run_job("Writing", job, done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    assert window.panels.journal.list.count() == 1
    assert window.window_actions.undo_action.text() == "&Undo Add journal entry"
    window.undo_stack.undo()
    assert window.read(lambda s: memo_service.journal(s)) == []


def test_cancel_stops_a_job_and_says_so(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    import threading

    started = threading.Event()
    done: list[object] = []

    def job(progress) -> None:  # type: ignore[no-untyped-def]
        started.set()
        for step in range(500):
            progress.update(step, 500, f"Step {step}")
            check_cancelled(progress)
            threading.Event().wait(0.01)

    progress = window.jobs.start("Long job", job, done.append)
    assert started.wait(5)
    from PySide6.QtWidgets import QPushButton

    progress.dialog.findChild(QPushButton).click()  # the user presses Cancel
    qtbot.waitUntil(lambda: not window.jobs.busy, timeout=5000)
    assert done == []
    assert window.statusBar().currentMessage() == "Long job: Cancelled: nothing was changed."


def test_a_failing_job_reports_its_error(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    def job(_progress) -> None:  # type: ignore[no-untyped-def]
        raise ValidationError("The file is empty.")

    window.run_job("Importing", job, lambda _r: None)
    qtbot.waitUntil(lambda: not window.jobs.busy, timeout=5000)
    assert window.messenger.last is not None and window.messenger.last.text == "The file is empty."
