"""The REFI-QDA items in the real workbench: File > Export / Import, jobs, undo, reports."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMenu

from qualcode.gui.workbench.main_window import MainWindow
from qualcode.io.refi.schemas import validate_bytes
from qualcode.services import project as project_service
from qualcode.services.codebook import nodes as node_service
from tests.exchange.refi_fixtures import QdpxBuilder
from tests.exchange.test_refi_import_tools import nvivo_file

ARTIFACTS = Path(__file__).parents[3] / "test-artifacts"


def _submenu(window: MainWindow, title: str) -> QMenu:
    project_menu = window.menu("&File")
    (menu,) = [a.menu() for a in project_menu.actions() if a.text() == title]
    return menu


def _trigger(window: MainWindow, submenu: str, text: str) -> None:
    (action,) = [a for a in _submenu(window, submenu).actions() if a.text() == text]
    assert action.isEnabled()
    action.trigger()


def test_items_join_the_file_menus_import_and_export(window: MainWindow) -> None:
    texts = [a.text() for a in window.menu("&File").actions()]
    assert texts.index("&Import") < texts.index("&Export") < texts.index("&Close project") < texts.index("&Quit")
    imports = [a.text() for a in _submenu(window, "&Import").actions() if not a.isSeparator()]
    assert imports[-3:] == ["REFI-QDA project into this project…", "REFI-QDA project as a new project…",
                            "REFI-QDA codebook (.qdc)…"]
    assert "&Transcripts…" in imports
    ARTIFACTS.mkdir(exist_ok=True)
    for title, name in (("&Export", "refi-export-menu.png"), ("&Import", "refi-import-menu.png")):
        menu = _submenu(window, title)
        menu.adjustSize()
        assert menu.grab().save(str(ARTIFACTS / name))


def test_export_runs_as_a_job_and_shows_its_report(window: MainWindow, qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "demo.qdpx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    _trigger(window, "&Export", "REFI-QDA project (.qdpx)…")
    actions = window.qualcode_exchange_actions
    qtbot.waitUntil(lambda: bool(actions.reports), timeout=20_000)
    with zipfile.ZipFile(target) as archive:
        assert validate_bytes(archive.read("project.qde"), "project") == []
    assert actions.reports[-1].windowTitle() == "Export — demo.qdpx"
    assert window.messenger.history == [] or all("error" not in str(m).lower() for m in window.messenger.history)


def test_import_into_the_open_project_is_undoable(window: MainWindow, qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = nvivo_file(QdpxBuilder(tmp_path))
    before = window.read(lambda s: project_service.summary(s).counts["codings"])
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    _trigger(window, "&Import", "REFI-QDA project into this project…")
    actions = window.qualcode_exchange_actions
    qtbot.waitUntil(lambda: bool(actions.reports), timeout=20_000)
    assert window.read(lambda s: project_service.summary(s).counts["codings"]) == before + 4
    assert window.read(lambda s: node_service.find_node(s, "Closing").level.label) == "Code"
    assert window.undo_stack.undoText() == "Import nvivo.qdpx"
    ARTIFACTS.mkdir(exist_ok=True)
    window.grab().save(str(ARTIFACTS / "refi-import-in-window.png"))
    window.undo_stack.undo()
    assert window.read(lambda s: project_service.summary(s).counts["codings"]) == before


def test_import_as_a_new_project_opens_it(window: MainWindow, qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    path = nvivo_file(QdpxBuilder(tmp_path))
    target = tmp_path / "from-nvivo.qualcode"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    _trigger(window, "&Import", "REFI-QDA project as a new project…")
    qtbot.waitUntil(lambda: window.project is not None and window.project.path == target, timeout=20_000)
    assert window.read(lambda s: project_service.summary(s).counts["codings"]) == 4


def test_importing_a_qualcoder_file_reports_how_its_positions_were_counted(  # type: ignore[no-untyped-def]
        window: MainWindow, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.exchange.test_refi_other_readers import _qualcoder_file

    path, _ = _qualcoder_file(QdpxBuilder(tmp_path), "QualCoder 3.6", crlf=True)
    before = window.read(lambda s: project_service.summary(s).counts["codings"])
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    _trigger(window, "&Import", "REFI-QDA project into this project…")
    actions = window.qualcode_exchange_actions
    qtbot.waitUntil(lambda: bool(actions.reports), timeout=20_000)
    dialog = actions.reports[-1]
    assert window.read(lambda s: project_service.summary(s).counts["codings"]) == before + 50
    assert dialog.facts_label.text() == ("Written by QualCoder 3.6 · positions counted in code points, each CRLF "
                                         "counted once")
    heading, rows = dialog.groups()[0]
    assert heading == "How positions were counted" and "QualCoder 3.6" in rows[0][1]


def test_a_project_chosen_as_a_codebook_says_which_import_to_use(  # type: ignore[no-untyped-def]
        window: MainWindow, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = nvivo_file(QdpxBuilder(tmp_path))
    before = window.read(lambda s: project_service.summary(s).counts["nodes"])
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    _trigger(window, "&Import", "REFI-QDA codebook (.qdc)…")
    qtbot.waitUntil(lambda: any("import it as a project" in str(m) for m in window.messenger.history),
                    timeout=20_000)
    assert window.read(lambda s: project_service.summary(s).counts["nodes"]) == before
