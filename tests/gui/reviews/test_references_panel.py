"""The References panel over a real project: import a RIS file, search and sort, screen the
selected records with the buttons (a reason typed in), blind view, attach a PDF, open it, and
the page markers the viewer draws for it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from qualcode.gui.reviews.contribution import contribute
from qualcode.gui.reviews.page_marks import LAYER_NAME
from qualcode.gui.reviews.references_panel import ReferencesPanel
from qualcode.services import coders
from qualcode.services.reviews import screening
from qualcode.store.project import Project
from tests.filemakers import write_paged_pdf
from tests.review_sample import write_medline_ris
from tests.stand_in_workbench import StandInWorkbench


@pytest.fixture
def bench(qtbot, tmp_path: Path) -> Iterator[StandInWorkbench]:  # type: ignore[no-untyped-def]
    project = Project.create(tmp_path / "review.qualcode")
    with project.session() as s:
        ana = coders.add_coder(s, name="Ana").result
        screening.add_reason(s, stage="full_text", text="wrong population")
    workbench = StandInWorkbench(project, ana)
    qtbot.addWidget(workbench)
    yield workbench
    project.close()


def panel_of(workbench: StandInWorkbench) -> ReferencesPanel:
    """The References panel, on screen as a researcher has it (a hidden panel waits to be shown)."""
    workbench.show()
    workbench.docks["References"].show()
    widget = workbench.docks["References"].widget()
    assert isinstance(widget, ReferencesPanel)
    return widget


def column(panel: ReferencesPanel, number: int) -> list[str]:
    return [str(panel.proxy.index(row, number).data()) for row in range(panel.proxy.rowCount())]


def select(qtbot, panel: ReferencesPanel, *studies: str) -> None:  # type: ignore[no-untyped-def]
    panel.table.clearSelection()
    for study in studies:
        row = column(panel, 0).index(study)
        rect = panel.table.visualRect(panel.proxy.index(row, 0))
        qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier,
                         rect.center())


def test_import_search_sort_and_screen_with_the_buttons(qtbot, bench: StandInWorkbench, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    contribute(bench)
    panel = panel_of(bench)
    bench.show()
    bench.docks["References"].show()
    qtbot.waitExposed(bench)
    qtbot.keyClicks(panel.database, "MEDLINE")
    panel.import_files([write_medline_ris(tmp_path / "medline.ris")])
    assert panel.report.toPlainText().startswith("medline.ris (MEDLINE): 25 new studies, 0 duplicates, 0 not read")
    assert panel.summary.text() == "25 studies · 25 to screen · 0 included"
    assert column(panel, 0)[:3] == ["Adams & Hughes 2010", "Baker 2011", "Chen 2012"]

    qtbot.keyClicks(panel.search, "loneliness")
    assert column(panel, 0) == ["Baker 2011", "Lopez 2021", "Vance & Dube 2019"]
    panel.search.clear()
    header = panel.table.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(1) + header.sectionSize(1) // 2, header.height() // 2))
    years = [int(y) for y in column(panel, 1)]
    assert years == sorted(years)

    select(qtbot, panel, "Chen 2012")
    details = panel.details.toPlainText()
    assert details.startswith("Experiences of green prescribing in primary care: study 3\n")
    assert "Chen, A. (2012). BJGP. doi:10.1000/sp.003" in details
    select(qtbot, panel, "Chen 2012", "Evans 2014")
    qtbot.mouseClick(panel.include_button, Qt.MouseButton.LeftButton)
    statuses = dict(zip(column(panel, 0), column(panel, 5), strict=True))
    assert statuses["Chen 2012"] == statuses["Evans 2014"] == "full text: pending"
    bench.undo()  # the selection was screened in one step
    statuses = dict(zip(column(panel, 0), column(panel, 5), strict=True))
    assert statuses["Chen 2012"] == statuses["Evans 2014"] == "title/abstract: pending"
    bench.redo()
    # Full-text exclusion of Chen with a reason typed into the reason box.
    select(qtbot, panel, "Chen 2012")
    qtbot.keyClicks(panel.reason.lineEdit(), "wrong population")
    qtbot.mouseClick(panel.exclude_button, Qt.MouseButton.LeftButton)
    statuses = dict(zip(column(panel, 0), column(panel, 5), strict=True))
    assert statuses["Chen 2012"] == "full text: excluded"
    assert bench.errors == []
    # A reason not on the team's list is refused with one clear message.
    select(qtbot, panel, "Evans 2014")
    panel.reason.setEditText("")
    qtbot.keyClicks(panel.reason.lineEdit(), "too short")
    qtbot.mouseClick(panel.exclude_button, Qt.MouseButton.LeftButton)
    assert bench.errors == ["'too short' is not on the team's list of reasons: wrong population."]
    qtbot.mouseClick(panel.add_reason_button, Qt.MouseButton.LeftButton)  # the team agrees on a new reason
    assert [panel.reason.itemText(i) for i in range(panel.reason.count())] == ["wrong population", "too short"]
    panel.reason.setCurrentIndex(1)
    qtbot.mouseClick(panel.exclude_button, Qt.MouseButton.LeftButton)
    assert dict(zip(column(panel, 0), column(panel, 5), strict=True))["Evans 2014"] == "full text: excluded"
    bench.undo()
    bench.undo()
    # Undo puts Chen back to full-text pending.
    bench.undo()
    assert dict(zip(column(panel, 0), column(panel, 5), strict=True))["Chen 2012"] == "full text: pending"


def test_blind_view_shows_only_my_decisions(qtbot, bench: StandInWorkbench, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    contribute(bench)
    panel = panel_of(bench)
    panel.import_files([write_medline_ris(tmp_path / "medline.ris")])
    with bench.project.session() as s:  # type: ignore[union-attr]
        ben = coders.add_coder(s, name="Ben").result
        chen = screening.find_reference(s, "Chen 2012")
        screening.decide(s, reference_id=chen, stage="ta", decision="exclude", coder_id=ben)
    panel.refresh()
    select(qtbot, panel, "Chen 2012")
    qtbot.mouseClick(panel.include_button, Qt.MouseButton.LeftButton)
    assert dict(zip(column(panel, 0), column(panel, 5), strict=True))["Chen 2012"] == "title/abstract: conflict"
    qtbot.mouseClick(panel.blind, Qt.MouseButton.LeftButton, pos=QPoint(4, panel.blind.height() // 2))
    statuses = dict(zip(column(panel, 0), column(panel, 5), strict=True))
    assert statuses["Chen 2012"] == "title/abstract: you include"
    assert statuses["Baker 2011"] == "not screened by you"
    assert panel.summary.text().endswith("· blind view")


def test_attach_a_pdf_open_it_and_see_its_page_markers(qtbot, bench: StandInWorkbench, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    contribute(bench)
    panel = panel_of(bench)
    panel.import_files([write_medline_ris(tmp_path / "medline.ris")])
    pdf = write_paged_pdf(tmp_path / "chen.pdf", [["Experiences of green prescribing", "Chen A."],
                                                  ["Findings on page two."], ["Discussion on page three."]])
    select(qtbot, panel, "Chen 2012")
    panel.attach_file(pdf)
    assert column(panel, 6)[column(panel, 0).index("Chen 2012")] == "PDF"
    row = column(panel, 0).index("Chen 2012")
    rect = panel.table.visualRect(panel.proxy.index(row, 0))
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    ((document_id, start, end),) = bench.jumps
    assert (start, end) == (0, 0)
    marks = bench.read(lambda s: bench.layers[LAYER_NAME](s, document_id))
    text = bench.read(lambda s: __import__("qualcode.services.documents", fromlist=["x"]).document_text(s, document_id))
    assert [(m.label, text[m.start:m.end]) for m in marks] == [
        ("p. 1", "Experiences of green prescribing Chen A."), ("p. 2", "Findings on page two."),
        ("p. 3", "Discussion on page three.")]


def test_hand_kept_prisma_counts_and_screening_agreement_dialogs(qtbot, bench: StandInWorkbench, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QDialogButtonBox

    from qualcode.gui.reviews.prisma_counts_dialog import PrismaCountsDialog
    from qualcode.gui.reviews.screening_agreement_dialog import ScreeningAgreementDialog
    from qualcode.services.reviews import prisma

    actions = contribute(bench)
    panel = panel_of(bench)
    panel.import_files([write_medline_ris(tmp_path / "medline.ris")])
    actions.edit_counts()
    dialog = actions.dialog
    assert isinstance(dialog, PrismaCountsDialog)
    registers = dialog.spins["registers"]
    registers.selectAll()
    qtbot.keyClicks(registers, "12")
    qtbot.keyClicks(dialog.database, "CINAHL")
    dialog.database_count.selectAll()
    qtbot.keyClicks(dialog.database_count, "40")
    qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    flow = bench.read(prisma.prisma_report).flow
    assert flow.registers == 12 and dict(flow.databases) == {"medline": 25, "CINAHL": 40}
    assert flow.screened == 25 + 40 + 12

    with bench.project.session() as s:  # type: ignore[union-attr]
        ben = coders.add_coder(s, name="Ben").result
        for study, ana_says, ben_says in (("Chen 2012", "include", "exclude"), ("Baker 2011", "exclude", "exclude"),
                                          ("Evans 2014", "include", "include")):
            reference = screening.find_reference(s, study)
            screening.decide(s, reference_id=reference, stage="ta", decision=ana_says, coder_id=bench.coder_id)
            screening.decide(s, reference_id=reference, stage="ta", decision=ben_says, coder_id=ben)
    panel.refresh()
    actions.agreement()
    agreement = actions.dialog
    assert isinstance(agreement, ScreeningAgreementDialog)
    assert agreement.result.text().startswith("3 records screened by both (0 by only one).\nAgreement 66.7%")
    item = agreement.disagreements.item(0)
    assert item.text() == "Chen 2012: Ana include, Ben exclude"
    rect = agreement.disagreements.visualItemRect(item)
    qtbot.mouseClick(agreement.disagreements.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(agreement.disagreements.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert [r.study for r in panel.selected_rows()] == ["Chen 2012"]


def test_pdfs_attach_to_the_studies_they_match_and_others_are_reported(qtbot, bench: StandInWorkbench, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    contribute(bench)
    panel = panel_of(bench)
    panel.import_files([write_medline_ris(tmp_path / "medline.ris")])
    by_doi = write_paged_pdf(tmp_path / "download (3).pdf", [["A paper", "https://doi.org/10.1000/sp.004"], ["More."]])
    stranger = write_paged_pdf(tmp_path / "unrelated.pdf", [["Gardening tips for spring"], ["Water daily."]])
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"not a pdf")
    panel.attach_matching([by_doi, stranger, broken])
    assert panel.report.toPlainText().splitlines() == [
        "download (3).pdf: Dube & Khan 2013 (by doi)",
        "unrelated.pdf: not attached: no DOI, file name or title matched",
        "broken.pdf: not attached: 'broken.pdf': is not a PDF (the content does not start with '%PDF').",
    ]
    assert dict(zip(column(panel, 0), column(panel, 6), strict=True))["Dube & Khan 2013"] == "PDF"
    bench.undo()  # the attachment is one undoable step
    assert dict(zip(column(panel, 0), column(panel, 6), strict=True))["Dube & Khan 2013"] == ""
    assert panel.summary.text() == "25 studies · 25 to screen · 0 included"  # the import stays


def test_review_menu_exports_write_the_diagram_tables_and_bibliography(qtbot, bench: StandInWorkbench, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                        monkeypatch) -> None:
    import csv

    from PySide6.QtWidgets import QDialogButtonBox, QFileDialog

    from qualcode.gui.reviews.study_columns_dialog import StudyColumnsDialog
    from qualcode.io.references import read_references

    actions = contribute(bench)
    panel = panel_of(bench)
    panel.import_files([write_medline_ris(tmp_path / "medline.ris")])
    with bench.project.session() as s:  # type: ignore[union-attr]
        for study in ("Chen 2012", "Evans 2014"):
            reference = screening.find_reference(s, study)
            screening.decide(s, reference_id=reference, stage="ta", decision="include", coder_id=bench.coder_id)
            screening.decide(s, reference_id=reference, stage="ft", decision="include", coder_id=bench.coder_id)
    target: list[Path] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target[-1]), ""))

    target.append(tmp_path / "flow.svg")
    actions.export_prisma()
    assert "Studies included in review" in target[-1].read_text(encoding="utf-8")

    target.append(tmp_path / "studies.csv")
    actions.export_studies()
    dialog = actions.dialog
    assert isinstance(dialog, StudyColumnsDialog)
    assert dialog.columns() == ["title", "source"]
    year = dialog.list.findItems("year", Qt.MatchFlag.MatchExactly)[0]
    dialog.list.setCurrentItem(year)
    qtbot.keyClick(dialog.list, Qt.Key.Key_Space)  # tick "year"
    title = dialog.list.findItems("title", Qt.MatchFlag.MatchExactly)[0]
    dialog.list.setCurrentItem(title)
    qtbot.keyClick(dialog.list, Qt.Key.Key_Space)  # untick "title"
    qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    with target[-1].open(encoding="utf-8-sig", newline="") as handle:
        rows = [row for row in csv.reader(handle) if len(row) == 3]
    assert rows == [["Study", "Source", "Year"], ["Chen 2012", "BJGP", "2012"], ["Evans 2014", "Health & Place", "2014"]]

    target.append(tmp_path / "included.bib")
    actions.export_bibliography()
    assert [r.title for r in read_references(target[-1]).records] == [
        "Experiences of green prescribing in primary care: study 3", "Experiences of welfare advice in primary care: study 5"]
    assert bench.errors == []


def test_a_bad_reference_file_is_reported_and_the_others_still_land(qtbot, bench: StandInWorkbench, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    contribute(bench)
    panel = panel_of(bench)
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    panel.import_files([broken, write_medline_ris(tmp_path / "medline.ris")])
    assert panel.report.toPlainText().splitlines()[:2] == [
        "broken.json: not imported: 'broken.json': is not valid JSON (line 1: Expecting property name enclosed "
        "in double quotes).",
        "medline.ris (medline): 25 new studies, 0 duplicates, 0 not read"]
    assert bench.jobs == ["Importing broken.json", "Importing medline.ris"]
    assert panel.summary.text() == "25 studies · 25 to screen · 0 included"


def test_a_hidden_references_panel_reads_nothing_until_it_is_shown(qtbot, bench: StandInWorkbench, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from qualcode.services.reviews.references import import_reference_file

    contribute(bench)
    panel = panel_of(bench)
    assert panel.proxy.rowCount() == 0
    bench.docks["References"].hide()  # behind another tab, or closed
    ris = write_medline_ris(tmp_path / "medline.ris")
    bench.execute(lambda s: import_reference_file(s, path=ris, database="MEDLINE"))
    assert panel.proxy.rowCount() == 0  # not read while nobody can see it
    bench.docks["References"].show()
    assert "Chen 2012" in column(panel, 0)
    assert panel.summary.text().startswith(f"{panel.proxy.rowCount()} studies")
