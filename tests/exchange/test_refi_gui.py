"""File > Export / Import REFI-QDA items and the exchange report dialog, on their own."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot

from qualcode.gui.exchange.contribution import contribute
from qualcode.gui.exchange.report_dialog import ExchangeReportDialog
from qualcode.io.refi.model import Deviation
from qualcode.io.refi.schemas import validate_bytes
from qualcode.services import coders
from qualcode.services.codebook import nodes
from qualcode.services.exchange import refi as exchange
from qualcode.services.exchange.refi import ExchangeReport
from qualcode.store.project import Project
from tests.exchange.refi_fixtures import QdpxBuilder, build_rich_project
from tests.exchange.test_refi_import_tools import nvivo_file
from tests.stand_in_workbench import StandInWorkbench

ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"


def _items(workbench: StandInWorkbench, submenu: str) -> dict[str, object]:
    file_menu = workbench.menu("&File")
    (menu,) = [a.menu() for a in file_menu.actions() if a.text() == submenu]
    return {a.text(): a for a in menu.actions()}


@pytest.fixture
def bench(qtbot: QtBot, project: Project) -> StandInWorkbench:
    with project.session() as s:
        coder = coders.add_coder(s, name="Dana").result
    workbench = StandInWorkbench(project, coder)
    qtbot.addWidget(workbench)
    contribute(workbench)
    return workbench


def test_menu_items_follow_the_open_project(qtbot: QtBot) -> None:
    workbench = StandInWorkbench(None)
    qtbot.addWidget(workbench)
    contribute(workbench)
    exports, imports = _items(workbench, "&Export"), _items(workbench, "&Import")
    assert list(exports) == ["REFI-QDA project (.qdpx)…", "REFI-QDA codebook (.qdc)…"]
    assert list(imports) == ["REFI-QDA project into this project…", "REFI-QDA project as a new project…",
                             "REFI-QDA codebook (.qdc)…"]
    assert [a.isEnabled() for a in exports.values()] == [False, False]
    assert [a.isEnabled() for a in imports.values()] == [False, True, False]


def test_export_from_the_menu_writes_a_valid_file_and_reports(bench: StandInWorkbench, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch, qtbot: QtBot) -> None:
    build_rich_project(bench.project)
    target = tmp_path / "from-menu.qdpx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    _items(bench, "&Export")["REFI-QDA project (.qdpx)…"].trigger()
    assert bench.jobs == ["Exporting a REFI-QDA project"] and bench.errors == []
    with zipfile.ZipFile(target) as archive:
        assert validate_bytes(archive.read("project.qde"), "project") == []
    dialog = bench.qualcode_exchange_actions.reports[-1]
    assert dialog.windowTitle() == "Export — from-menu.qdpx"
    assert "3 documents, 9 codes, 11 codings" in dialog.summary_label.text()
    assert [(heading, len(rows)) for heading, rows in dialog.groups()] == [("Texts NVivo may show shifted", 3)]
    assert "Texts NVivo may show shifted (3)" in dialog.browser.toPlainText()
    _save(dialog, "refi-export-report.png")


def test_import_into_the_project_is_one_undoable_step(bench: StandInWorkbench, qdpx: QdpxBuilder, qtbot: QtBot,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    path = nvivo_file(qdpx)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    _items(bench, "&Import")["REFI-QDA project into this project…"].trigger()
    assert bench.errors == [] and bench.jobs == ["Importing nvivo.qdpx"]
    assert bench.read(lambda s: len(nodes.list_nodes(s))) == 4
    dialog = bench.qualcode_exchange_actions.reports[-1]
    assert dialog.facts_label.text() == "Written by NVivo 12.6.0.959 · positions counted in UTF-16 code units"
    shown = dialog.browser.toPlainText()
    assert "Repeated selections (merged) (1)" in shown and "How positions were counted (1)" in shown
    assert "source 'Interview 01': its text file starts with a UTF-8 byte-order mark" in shown
    _save(dialog, "refi-import-report.png")
    with bench.project.session() as s:
        bench.stack.undo(s)
    assert bench.read(lambda s: len(nodes.list_nodes(s))) == 0


def test_import_as_new_project_creates_and_opens_it(bench: StandInWorkbench, tmp_path: Path, qtbot: QtBot,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    build_rich_project(bench.project)
    with bench.project.session() as s:
        exported = exchange.export_qdpx(s, path=tmp_path / "study.qdpx")
    target = tmp_path / "fresh.qualcode"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(exported.path), ""))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    _items(bench, "&Import")["REFI-QDA project as a new project…"].trigger()
    assert bench.opened == [target] and target.exists() and bench.errors == []


def test_codebook_import_and_refused_files(bench: StandInWorkbench, tmp_path: Path, qdpx: QdpxBuilder,
                                           qtbot: QtBot) -> None:
    codebook = tmp_path / "codes.qdc"
    codebook.write_text('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
                        '<Code guid="7BF3E6C1-0000-4000-8000-000000000001" name="Hope" isCodable="true"/>'
                        '</Codes></CodeBook>', encoding="utf-8")
    bench.qualcode_exchange_actions.import_qdc(codebook)
    assert bench.read(lambda s: [n.name for n in nodes.list_nodes(s)]) == ["Hope"]
    slip = qdpx.write("slip.qdpx", '<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>', {"../x": b""})
    bench.qualcode_exchange_actions.import_qdpx(slip)
    assert bench.errors == ["The archive holds an entry that climbs out of its folder ('../x'); QualCode refuses "
                            "such files for safety."]


def test_report_dialog_copies_and_saves_its_text(qtbot: QtBot, tmp_path: Path) -> None:
    report = ExchangeReport(tmp_path / "x.qdpx", {"documents": 2}, (
        Deviation("selection-position", "ends at 90, past the end of the text (32); cut at 32", "source 'A', sel 1"),
        Deviation("crlf", "1 source text(s) use CRLF line ends"),
    ), "NVivo 14", "UTF-16 code units")
    dialog = ExchangeReportDialog(report, title="Import")
    qtbot.addWidget(dialog)
    dialog.copy_report()
    expected = ("x.qdpx: 2 documents; 2 notes below\nWritten by NVivo 14 · positions counted in UTF-16 code units\n"
                "- source 'A', sel 1: ends at 90, past the end of the text (32); cut at 32\n"
                "- 1 source text(s) use CRLF line ends\n")
    assert QApplication.clipboard().text() == expected
    dialog.save_report(tmp_path / "report.txt")
    assert (tmp_path / "report.txt").read_text(encoding="utf-8") == expected
    empty = ExchangeReportDialog(ExchangeReport(tmp_path / "y.qdc", {"codes": 3}, ()), title="Export")
    qtbot.addWidget(empty)
    assert empty.browser.toPlainText() == "Nothing to report: everything followed the standard."


def _save(dialog: ExchangeReportDialog, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    dialog.resize(820, 480)
    assert dialog.grab().save(str(ARTIFACTS / name))
