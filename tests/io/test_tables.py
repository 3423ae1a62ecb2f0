"""Generic table writers: every format written to disk and read back cell by cell."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from qualcode.domain.errors import ValidationError
from qualcode.io.files import OutputFileError, atomic_output
from qualcode.io.table_export import write_tables
from qualcode.io.tables import Cell, DataTable, Merge, Run

QUOTE = "P3: “We use an assets and strength based approach” — naïve café 😊"
RTL = "ש: זה עזר לי מאוד"


def sample() -> DataTable:
    """Section row across all columns, then an organising theme merged over two rows."""
    rows = (
        (Cell.of("Global: Relationships"), Cell.of(None), Cell.of(None), Cell.of(None)),
        (Cell.of("Trust"), Cell.of("Time to listen"),
         Cell((Run("P1: ", bold=True), Run("She just let me talk.\nLW1: We use | pipes * stars", italic=True))),
         Cell.of(12)),
        (Cell.of("Trust"), Cell.of("Same worker", indent=1), Cell.of(QUOTE), Cell.of(3.5)),
        (Cell.of("Access"), Cell.of("Transport"), Cell.of(RTL + "\x0b"), Cell.of(0)),
    )
    return DataTable(header=("Organising theme", "Theme", "Example quotes", "Codings"), rows=rows,
                     merges=(Merge(0, 0, 1, 4), Merge(1, 0, 2, 1)), title="Table 2. Themes", note="n = 18",
                     widths=(2, 2, 5, 1), heading_rows=frozenset({0}))


def test_docx_is_a_real_word_table_with_merged_cells_and_a_repeating_header(tmp_path: Path) -> None:
    from docx import Document
    from docx.oxml.ns import qn

    path = write_tables(sample(), tmp_path / "themes.docx")
    document = Document(str(path))
    assert [p.text for p in document.paragraphs][:1] == ["Table 2. Themes"]
    table = document.tables[0]
    assert len(table.rows) == 5 and len(table.columns) == 4
    assert [c.text for c in table.rows[0].cells] == ["Organising theme", "Theme", "Example quotes", "Codings"]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(run.bold for run in table.cell(0, 0).paragraphs[0].runs)
    # The section row is one cell spanning the four columns.
    section = table.rows[1]._tr.tc_lst
    assert len(section) == 1 and section[0].grid_span == 4
    assert table.cell(1, 0).text == "Global: Relationships"
    # "Trust" is one cell merged over two rows: same cell object, vMerge restart/continue.
    assert table.cell(2, 0)._tc is table.cell(3, 0)._tc
    assert table.rows[2]._tr.tc_lst[0].vMerge == "restart" and table.rows[3]._tr.tc_lst[0].vMerge == "continue"
    assert table.cell(2, 0).text == "Trust"
    quote_cell = table.cell(2, 2)
    assert [p.text for p in quote_cell.paragraphs] == ["P1: She just let me talk.", "LW1: We use | pipes * stars"]
    assert quote_cell.paragraphs[0].runs[0].bold and quote_cell.paragraphs[0].runs[1].italic
    assert table.cell(3, 2).text == QUOTE
    assert table.cell(4, 2).text == RTL  # the vertical tab is dropped, not fatal
    assert table.cell(2, 3).text == "12" and table.cell(3, 3).text == "3.5"
    assert table.cell(3, 1).paragraphs[0].paragraph_format.left_indent is not None
    assert any(p.text == "n = 18" for p in document.paragraphs)


def test_xlsx_has_merged_ranges_numbers_and_unicode(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = write_tables([sample(), sample()], tmp_path / "themes.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == ["Table 2. Themes", "Table 2. Themes (2)"]
    sheet = book.worksheets[0]
    assert sheet["A1"].value == "Table 2. Themes"
    assert [sheet.cell(row=3, column=c).value for c in range(1, 5)] == [
        "Organising theme", "Theme", "Example quotes", "Codings"]
    assert {str(r) for r in sheet.merged_cells.ranges} == {"A4:D4", "A5:A6"}
    assert sheet["A5"].value == "Trust"
    assert sheet["C5"].value == "P1: She just let me talk.\nLW1: We use | pipes * stars"
    assert sheet["C6"].value == QUOTE and sheet["C7"].value == RTL
    assert sheet["D5"].value == 12 and sheet["D6"].value == 3.5
    assert sheet.freeze_panes == "A4"


def test_csv_repeats_vertically_merged_values_and_opens_in_excel(tmp_path: Path) -> None:
    path = write_tables(sample(), tmp_path / "themes.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["Organising theme", "Theme", "Example quotes", "Codings"]
    assert rows[1] == ["Global: Relationships", "", "", ""]
    assert rows[2][0] == rows[3][0] == "Trust"
    assert rows[2][2] == "P1: She just let me talk.\nLW1: We use | pipes * stars"
    assert rows[3][2] == QUOTE and rows[4][2] == RTL


def test_html_uses_rowspan_colspan_and_escapes(tmp_path: Path) -> None:
    path = write_tables(sample(), tmp_path / "themes.html", title="Findings <draft>")
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    assert soup.find("h1").text == "Findings <draft>"
    assert soup.find("caption").text == "Table 2. Themes"
    body = soup.find("tbody").find_all("tr")
    assert body[0].td["colspan"] == "4" and "section" in body[0]["class"]
    assert body[1].td["rowspan"] == "2" and body[1].td.text == "Trust"
    assert len(body[2].find_all("td")) == 3  # the merged cell is not repeated
    assert body[1].find_all("td")[1].text == "Time to listen"
    assert body[1].find("strong").text == "P1: " and body[1].find("em").text.startswith("She just")
    assert body[2].find_all("td")[1].text == QUOTE
    assert body[3].find_all("td")[2].text == RTL and body[3].find_all("td")[2]["dir"] == "auto"


def test_markdown_escapes_pipes_and_leaves_merged_cells_blank(tmp_path: Path) -> None:
    path = write_tables(sample(), tmp_path / "themes.md")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "**Table 2. Themes**"
    assert lines[2] == "| Organising theme | Theme | Example quotes | Codings |"
    assert lines[3] == "|---|---|---|---:|"
    assert lines[4] == "| **Global: Relationships** |  |  |  |"
    assert lines[5] == ("| Trust | Time to listen | **P1:** *She just let me talk.*<br>"
                        r"*LW1: We use \| pipes \* stars* | 12 |")
    assert lines[6].startswith("|  | \u2003Same worker | " + QUOTE)
    assert lines[-1] == "*n = 18*"


def test_format_from_suffix_or_name_and_clear_refusals(tmp_path: Path) -> None:
    assert write_tables(sample(), tmp_path / "out.txt", format="markdown").read_text(encoding="utf-8")
    with pytest.raises(ValidationError, match=r"end the name with \.docx"):
        write_tables(sample(), tmp_path / "out.txt")
    with pytest.raises(ValidationError, match="Unknown table format 'pdf'"):
        write_tables(sample(), tmp_path / "out.pdf", format="pdf")
    with pytest.raises(ValidationError, match="A CSV file holds one table"):
        write_tables([sample(), sample()], tmp_path / "out.csv")
    with pytest.raises(ValueError, match="overlaps another merge"):
        DataTable(header=("a", "b"), rows=((Cell.of(1), Cell.of(2)),), merges=(Merge(0, 0, 1, 2), Merge(0, 1)))


def test_unwritable_paths_give_one_line_and_leave_nothing_behind(tmp_path: Path) -> None:
    with pytest.raises(OutputFileError, match=r"the folder .* does not exist"):
        write_tables(sample(), tmp_path / "missing" / "t.docx")
    with pytest.raises(OutputFileError, match="is a folder"):
        write_tables(sample(), tmp_path, format="docx")
    target = tmp_path / "keep.csv"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_output(target) as temp:
        temp.write_text("half", encoding="utf-8")
        raise RuntimeError("writer failed")
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.csv"]


def test_unwritable_folder_is_reported() -> None:
    # /proc refuses new files even to root, so this holds wherever the tests run.
    with pytest.raises(OutputFileError, match=r"Cannot write 't\.docx'"):
        write_tables(sample(), Path("/proc/t.docx"))
    assert not Path("/proc/t.docx").exists()


def test_a_written_file_gets_an_ordinary_files_permissions(tmp_path: Path) -> None:
    import os

    mask = os.umask(0o027)
    try:
        with atomic_output(tmp_path / "out.csv") as temp:
            temp.write_text("a,b\n", encoding="utf-8")
    finally:
        os.umask(mask)
    assert (tmp_path / "out.csv").stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]
