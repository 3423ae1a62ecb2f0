"""Reading case sheets (.csv, .xlsx) and inferring attribute types."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from qualcode.domain.enums import AttributeType
from qualcode.io.casesheet import infer_type, read_sheet
from tests.filemakers import write_xlsx


def test_csv_with_bom_semicolons_quotes_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text('\ufeffid;site;note\n\nP1;"North; East";Zoë ☕\nP2;South;\n', encoding="utf-8")
    sheet = read_sheet(path)
    assert sheet.header == ("id", "site", "note")
    assert sheet.rows == (("P1", "North; East", "Zoë ☕"), ("P2", "South", None))


def test_cp1252_csv(tmp_path: Path) -> None:
    (tmp_path / "p.csv").write_bytes("id,town\nP1,Sainte-Thérèse\n".encode("cp1252"))
    assert read_sheet(tmp_path / "p.csv").rows == (("P1", "Sainte-Thérèse"),)


def test_trailing_empty_cells_from_spreadsheets_are_ignored(tmp_path: Path) -> None:
    (tmp_path / "p.csv").write_text("id,age,,\nP1,3,,\nP2,4,,\n", encoding="utf-8")
    sheet = read_sheet(tmp_path / "p.csv")
    assert sheet.header == ("id", "age")
    assert sheet.rows == (("P1", "3"), ("P2", "4"))


def test_xlsx_keeps_typed_cells(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "p.xlsx", [["id", "age", "interviewed"], ["P1", 34, datetime(2024, 3, 14)],
                                             ["P2", 41.5, datetime(2024, 4, 2)]])
    sheet = read_sheet(path)
    assert sheet.rows[0] == ("P1", 34, datetime(2024, 3, 14))
    assert sheet.first_row_number == 2


def test_type_inference() -> None:
    assert infer_type(["34", "41", None, "29.5"]) is AttributeType.NUMBER
    assert infer_type(["2024-03-14", "14/03/2024"]) is AttributeType.DATE
    assert infer_type([datetime(2024, 1, 1), None]) is AttributeType.DATE
    assert infer_type(["female", "male", "female", "non-binary"]) is AttributeType.CATEGORY
    assert infer_type(["Alice", "Bob", "Carol"]) is AttributeType.TEXT
    assert infer_type(["a long free-text answer that goes on " * 3, "another long answer " * 4,
                       "a long free-text answer that goes on " * 3]) is AttributeType.TEXT
    assert infer_type([None, ""]) is AttributeType.TEXT


def test_a_quoted_cell_keeps_its_line_break(tmp_path: Path) -> None:
    (tmp_path / "p.csv").write_text('id,notes\nP1,"first line\nsecond line"\nP2,one\n', encoding="utf-8")
    assert read_sheet(tmp_path / "p.csv").rows == (("P1", "first line\nsecond line"), ("P2", "one"))
