"""Exporting a coder copy from the window: choose the coder, blind or not, and the file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from qualcode.gui.teamwork.coder_copy_dialog import CoderCopyDialog
from qualcode.gui.teamwork.contribution import contribute
from qualcode.store import models as m
from qualcode.store.project import Project
from tests.stand_in_workbench import StandInWorkbench
from tests.teamwork_support import build_study, count, opened


@pytest.fixture
def bench(qtbot, tmp_path: Path) -> Iterator[StandInWorkbench]:  # type: ignore[no-untyped-def]
    project = Project.open(build_study(tmp_path / "lead.qualcode"), backup=False)
    window = StandInWorkbench(project)
    qtbot.addWidget(window)
    yield window
    project.close()


def test_a_blind_copy_is_written_for_the_named_coder(bench: StandInWorkbench, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = CoderCopyDialog(bench)
    qtbot.addWidget(dialog)
    dialog.coder.setCurrentText("Bob Stone")
    assert dialog.path.text() == str(tmp_path / "lead-bob-stone.qualcode")
    assert dialog.blind.isChecked()
    dialog.export()
    assert dialog.result_copy is not None and dialog.result_copy.codings_removed == 3
    with opened(tmp_path / "lead-bob-stone.qualcode") as s:
        assert count(s, m.Coding) == 0 and count(s, m.Document) == 2


def test_a_copy_for_some_documents_records_them(bench: StandInWorkbench, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from qualcode.services.coders import find_coder
    from qualcode.services.teamwork.distribute import recorded_assignments

    dialog = CoderCopyDialog(bench)
    qtbot.addWidget(dialog)
    dialog.coder.setCurrentText("Bob")
    first = dialog.documents.checked_ids()[0]
    dialog.documents.set_checked([first])  # untick the second interview
    dialog.export()
    assert dialog.result_copy is not None and dialog.result_copy.assigned_documents == 1
    with opened(tmp_path / "lead-bob.qualcode") as s:
        bob = find_coder(s, "Bob").id  # type: ignore[union-attr]
        assert recorded_assignments(s, [bob]) == {bob: {first}}
    dialog.documents.set_checked([])
    dialog.path.setText(str(tmp_path / "other.qualcode"))
    dialog.export()
    assert "at least one document" in dialog.status.text()


def test_an_existing_file_is_refused_on_the_dialog(bench: StandInWorkbench, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = CoderCopyDialog(bench)
    qtbot.addWidget(dialog)
    dialog.coder.setCurrentText("Bob")
    dialog.path.setText(str(tmp_path / "lead.qualcode"))
    dialog.export()
    assert dialog.result_copy is None and "already exists" in dialog.status.text()


def test_the_contribution_adds_the_teamwork_menu_and_the_review_dock(bench: StandInWorkbench) -> None:
    contribute(bench)
    titles = [a.text() for a in bench.menu("&Teamwork").actions() if a.text()]
    assert titles == ["Export a coder copy…", "Merge coders' projects…", "Inter-coder agreement…",
                      "Review disagreements"]
    assert "Disagreements" in bench.docks and bench.docks["Disagreements"].isHidden()
