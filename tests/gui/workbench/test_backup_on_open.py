"""Opening a project in the window keeps the promises of the integrity check and a fresh
rotating backup, both done off the UI thread: a failed backup is reported in the window, a
damaged project is closed with the usual message. What the open project keeps is frozen out
of the garbage collector's full passes until it closes."""

from __future__ import annotations

import gc
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from PySide6.QtWidgets import QApplication

from qualcode.gui.workbench.main_window import MainWindow
from qualcode.services import documents as document_service
from qualcode.store.backup import backup_dir_for
from tests.gui.conftest import make_window


def _documents_in(path: Path) -> int:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
        return int(connection.execute("SELECT count(*) FROM document").fetchone()[0])


def test_opening_in_the_window_leaves_a_fresh_whole_backup(qtbot, styled_app: QApplication, demo_file: Path) -> None:  # type: ignore[no-untyped-def]
    folder = backup_dir_for(demo_file)
    window: MainWindow = make_window(qtbot)
    assert window.open_project(demo_file), window.messenger.history
    assert window.wait_for_backup(30)
    qtbot.waitUntil(lambda: "Backed up to" in window.statusBar().currentMessage(), timeout=10000)
    backups = sorted(folder.glob(f"{demo_file.stem}-*.qualcode"))
    assert len(backups) == 1
    assert _documents_in(backups[0]) == len(window.read(document_service.list_documents)) > 0
    assert not list(folder.glob("*.part"))
    assert window.messenger.history == []
    window.close()


def test_the_backup_starts_once_the_window_shows_the_project_and_a_quick_close_still_makes_it(qtbot, styled_app: QApplication, demo_file: Path) -> None:  # type: ignore[no-untyped-def]
    folder = backup_dir_for(demo_file)
    window: MainWindow = make_window(qtbot)
    assert window.open_project(demo_file)
    # Nothing is copied while the window builds and paints the project...
    assert not folder.exists() or not list(folder.glob(f"{demo_file.stem}-*.qualcode"))
    # ...and closing at once does not skip the check and backup: closing waits for them.
    window.close_project()
    backups = sorted(folder.glob(f"{demo_file.stem}-*.qualcode"))
    assert len(backups) == 1
    assert _documents_in(backups[0]) == _documents_in(demo_file) > 0
    assert window.messenger.history == []
    # Left to run its course, the next open's backup starts by itself a moment later.
    assert window.open_project(demo_file)
    qtbot.waitUntil(lambda: len(list(folder.glob(f"{demo_file.stem}-*.qualcode"))) == 2, timeout=10000)
    window.close()


def test_a_backup_that_cannot_be_written_is_reported_in_the_window(qtbot, styled_app: QApplication, demo_file: Path) -> None:  # type: ignore[no-untyped-def]
    backup_dir_for(demo_file).write_text("not a folder", encoding="utf-8")  # the backup cannot be made
    window: MainWindow = make_window(qtbot)
    assert window.open_project(demo_file)
    qtbot.waitUntil(lambda: window.messenger.last is not None, timeout=10000)
    message = window.messenger.last
    assert message is not None and message.kind == "warning"
    assert message.text.startswith(f"Could not back up '{demo_file.name}'")
    assert "without a fresh backup" in message.text
    assert "Errno" not in message.text  # the reason in words, not Python's error number
    assert window.project is not None and window.panels.viewer.document_id is not None  # still working
    window.close()


def test_damage_found_by_the_full_check_after_opening_closes_the_project_and_keeps_the_backups(qtbot, styled_app: QApplication, demo_file: Path) -> None:  # type: ignore[no-untyped-def]
    folder = backup_dir_for(demo_file)
    folder.mkdir()
    good = folder / f"{demo_file.stem}-20260101-090000-000000.qualcode"
    shutil.copyfile(demo_file, good)
    # An index that no longer matches its table: only the full integrity check finds it.
    with closing(sqlite3.connect(demo_file)) as connection:
        connection.execute("PRAGMA writable_schema=ON")
        connection.execute("UPDATE sqlite_schema SET sql = 'CREATE INDEX ix_coding_document_start "
                           "ON coding (document_id, \"end\")' WHERE name = 'ix_coding_document_start'")
        connection.commit()
    window: MainWindow = make_window(qtbot)
    assert window.open_project(demo_file)
    qtbot.waitUntil(lambda: window.messenger.last is not None, timeout=10000)
    message = window.messenger.last
    assert message is not None and message.kind == "error" and message.title == "Project is damaged"
    assert message.text.startswith(f"'{demo_file.name}' is damaged (row ")
    assert f"Restore it from a backup in '{demo_file.stem}-backups'" in message.text
    assert window.project is None and window.start_page.isVisible()
    assert list(folder.iterdir()) == [good]  # the damaged file was not backed up over good copies
    window.close()


def test_what_an_open_project_keeps_is_left_out_of_full_collections_until_it_closes(window: MainWindow) -> None:
    assert gc.get_freeze_count() > 10_000  # start-up and the open project's models
    window.close_project()
    assert gc.get_freeze_count() == 0
