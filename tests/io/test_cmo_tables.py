"""The CMOC table writers: every format written for real and read back."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from qualcode.domain.errors import ValidationError
from qualcode.io.cmo_tables import CmocGroup, CmocRow, CmocTable, write_cmoc_table

SENTENCE = (("When GPs explain the referral ", False), ("(C)", True), (", patients feel it is legitimate ", False),
            ("(M)", True), (", so they attend | return ", False), ("(O)", True), (".", False))
TABLE = CmocTable(
    title="Table 2. CMOCs <draft>",
    columns=("CMOC", "Configuration", "Status", "Excerpts", "Example quote"),
    groups=(
        CmocGroup("Enrolment", (CmocRow("CMOC 1", SENTENCE, ("Confirmed", 3, "“She explained it.” (P1)")),)),
        CmocGroup("Engagement — interpersonal skills", (
            CmocRow("CMOC 2", (("Trust grows ", False), ("(M)", True), (".", False)), ("Proposed", 0, "")),)),
    ),
    note="C = context; M = mechanism; O = outcome.",
    numeric=frozenset({"Excerpts"}),
)
PLAIN = "When GPs explain the referral (C), patients feel it is legitimate (M), so they attend | return (O)."


def test_docx_has_caption_header_concept_rows_bold_markers_and_note(tmp_path: Path) -> None:
    import docx

    path = write_cmoc_table(TABLE, tmp_path / "cmoc.docx")
    document = docx.Document(str(path))
    assert document.paragraphs[0].text == "Table 2. CMOCs <draft>"
    table = document.tables[0]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["CMOC", "Configuration", "Status", "Excerpts", "Example quote"]
    assert rows[1] == ["Enrolment"] * 5  # merged across the row
    assert rows[2] == ["CMOC 1", PLAIN, "Confirmed", "3", "“She explained it.” (P1)"]
    assert rows[3] == ["Engagement — interpersonal skills"] * 5
    assert rows[4] == ["CMOC 2", "Trust grows (M).", "Proposed", "0", ""]
    bold = [run.text for run in table.rows[2].cells[1].paragraphs[0].runs if run.bold]
    assert bold == ["(C)", "(M)", "(O)"]
    assert document.paragraphs[-1].text == "C = context; M = mechanism; O = outcome."
    assert document.sections[0].page_width > document.sections[0].page_height  # landscape for five columns


def test_xlsx_keeps_numbers_merges_concepts_and_freezes_the_header(tmp_path: Path) -> None:
    import openpyxl

    path = write_cmoc_table(TABLE, tmp_path / "cmoc.xlsx")
    sheet = openpyxl.load_workbook(path).active
    assert sheet["A1"].value == "Table 2. CMOCs <draft>"
    assert [c.value for c in sheet[3]] == list(TABLE.columns)
    assert sheet["A4"].value == "Enrolment" and "A4:E4" in {str(r) for r in sheet.merged_cells.ranges}
    assert [c.value for c in sheet[5]] == ["CMOC 1", PLAIN, "Confirmed", 3, "“She explained it.” (P1)"]
    assert sheet["A6"].value == "Engagement — interpersonal skills"
    assert sheet["D7"].value == 0 and sheet.freeze_panes == "A4"
    rich = openpyxl.load_workbook(path, rich_text=True).active["B5"].value
    assert [block.text for block in rich if block.font.b] == ["(C)", "(M)", "(O)"]


def test_csv_is_flat_with_the_concept_as_a_column(tmp_path: Path) -> None:
    path = write_cmoc_table(TABLE, tmp_path / "cmoc.csv")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows == [
        ["Concept", "CMOC", "Configuration", "Status", "Excerpts", "Example quote"],
        ["Enrolment", "CMOC 1", PLAIN, "Confirmed", "3", "“She explained it.” (P1)"],
        ["Engagement — interpersonal skills", "CMOC 2", "Trust grows (M).", "Proposed", "0", ""],
    ]


def test_html_escapes_text_and_groups_rows(tmp_path: Path) -> None:
    from bs4 import BeautifulSoup

    path = write_cmoc_table(TABLE, tmp_path / "cmoc.htm")
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    assert soup.caption.get_text() == "Table 2. CMOCs <draft>"
    body = soup.tbody.find_all("tr")
    assert body[0].th.get_text() == "Enrolment" and body[0].th["colspan"] == "5"
    assert [td.get_text() for td in body[1].find_all("td")] == ["CMOC 1", PLAIN, "Confirmed", "3",
                                                                "“She explained it.” (P1)"]
    assert [span.get_text() for span in body[1].find_all("span", class_="role")] == ["(C)", "(M)", "(O)"]


def test_markdown_escapes_pipes_and_bolds_concepts_and_markers(tmp_path: Path) -> None:
    text = write_cmoc_table(TABLE, tmp_path / "cmoc.md").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "**Table 2. CMOCs <draft>**"
    assert lines[2] == "| CMOC | Configuration | Status | Excerpts | Example quote |"
    assert lines[3] == "| --- | --- | --- | ---: | --- |"
    assert lines[4] == "| **Enrolment** |  |  |  |  |"
    assert lines[5] == ("| CMOC 1 | When GPs explain the referral **(C)**, patients feel it is legitimate **(M)**, so they "
                        "attend \\| return **(O)**. | Confirmed | 3 | “She explained it.” (P1) |")
    assert lines[-1] == "*C = context; M = mechanism; O = outcome.*"


def test_bad_targets_are_refused_and_leave_nothing_behind(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=r"Cannot write a table as 'pdf': use \.docx, \.xlsx, \.csv, \.html or \.md"):
        write_cmoc_table(TABLE, tmp_path / "cmoc.pdf")
    with pytest.raises(ValidationError, match="the folder .* does not exist"):
        write_cmoc_table(TABLE, tmp_path / "missing" / "cmoc.docx")
    (tmp_path / "taken.docx").mkdir()
    with pytest.raises(ValidationError, match="Cannot write 'taken.docx'"):
        write_cmoc_table(TABLE, tmp_path / "taken.docx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken.docx"]


def test_an_existing_file_is_replaced_whole(tmp_path: Path) -> None:
    target = tmp_path / "cmoc.csv"
    target.write_text("old contents that are longer than the new table would ever be " * 50, encoding="utf-8")
    write_cmoc_table(TABLE, target, fmt="csv")
    assert target.read_text(encoding="utf-8-sig").startswith("Concept,CMOC,Configuration")
    assert "old contents" not in target.read_text(encoding="utf-8-sig")
