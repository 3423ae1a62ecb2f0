"""`qualcode export cases` and the participants summary's caption: a participant list and
a characteristics-of-included-studies table read back from every format."""

from __future__ import annotations

import csv
from html.parser import HTMLParser
from pathlib import Path

import docx
import openpyxl
import pytest

from qualcode.cli.main import main

SHEET = """id,pseudonym,age,site,role
P10,Dana,61,North,patient
P2,Bo,34,South,patient
P1,Ari,47,North,link worker
P3,Cy,29,South,patient
"""


@pytest.fixture
def study(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    path = str(tmp_path / "s.qualcode")
    sheet = tmp_path / "participants.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    assert main(["new", path]) == 0
    assert main(["import-cases", path, str(sheet), "--type", "site=category", "--type", "role=category"]) == 0
    capsys.readouterr()
    return path


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def test_case_table_sorted_and_grouped_in_every_format(study: str, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    args = ["export", "cases", study, "--attribute", "age", "--attribute", "role", "--sort", "age",
            "--group-by", "site", "--title", "Table 1. Participants", "--case-header", "Participant",
            "--headers", "Age (years),Role"]
    for suffix in ("docx", "xlsx", "csv", "html"):
        assert main([*args, "-o", str(tmp_path / f"cases.{suffix}")]) == 0, capsys.readouterr().err
    assert capsys.readouterr().out.splitlines()[-1].endswith("cases.html (4 cases)")
    expected = [["Participant", "Age (years)", "Role"],
                ["site: North"], ["P1", "47", "link worker"], ["P10", "61", "patient"],
                ["site: South"], ["P3", "29", "patient"], ["P2", "34", "patient"]]
    document = docx.Document(str(tmp_path / "cases.docx"))
    assert document.paragraphs[0].text == "Table 1. Participants"
    got = [list(dict.fromkeys(c.text for c in row.cells)) for row in document.tables[0].rows]
    assert got == expected
    sheet = openpyxl.load_workbook(tmp_path / "cases.xlsx").active
    assert sheet is not None
    numbers = [row for row in sheet.iter_rows(values_only=True) if row and row[0] in ("P1", "P10", "P3", "P2")]
    assert numbers == [("P1", 47, "link worker"), ("P10", 61, "patient"), ("P3", 29, "patient"),
                       ("P2", 34, "patient")]
    with open(tmp_path / "cases.csv", encoding="utf-8-sig", newline="") as handle:
        rows = [r for r in csv.reader(handle) if r]
    assert rows[0] == ["Participant", "Age (years)", "Role"]
    assert [r[0] for r in rows[1:] if r[0].startswith("P")] == ["P1", "P10", "P3", "P2"]
    parser = _Cells()
    parser.feed((tmp_path / "cases.html").read_text(encoding="utf-8"))
    assert [r for r in parser.rows if r] == expected


def test_case_table_refuses_a_document_attribute_or_no_attributes(study: str, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "cases", study, "--attribute", "nope", "-o", str(tmp_path / "x.docx")]) == 1
    assert capsys.readouterr().err.startswith("qualcode: error: There is no attribute named 'nope'.")
    assert not (tmp_path / "x.docx").exists()


def test_participants_summary_takes_a_title_and_leaves_identifiers_out(study: str,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "participants", study, "--title", "Table 1. Who took part"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "Table 1. Who took part"
    assert "pseudonym" not in out
    assert "role, n (%)" in out and "site, n (%)" in out
