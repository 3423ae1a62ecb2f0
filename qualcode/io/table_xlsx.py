"""DataTables to an Excel workbook: one sheet per table, merged cells, numbers kept as numbers."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from qualcode.io.tables import DataTable, clean_text

TOTAL_WIDTH = 150  # characters across all columns of a sheet
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(wanted: str, used: set[str]) -> str:
    base = _BAD_SHEET_CHARS.sub(" ", clean_text(wanted)).strip().strip("'")[:31] or "Table"
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def _write_sheet(sheet: Any, table: DataTable) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    top = Alignment(vertical="top", wrap_text=True)
    row = 1
    if table.title:
        sheet.cell(row=1, column=1, value=clean_text(table.title)).font = Font(bold=True, size=12)
        row = 3
    header_row = row
    for c, label in enumerate(table.header, start=1):
        cell = sheet.cell(row=row, column=c, value=clean_text(label))
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
        cell.alignment = top
    hidden = table.covered()
    shade = PatternFill("solid", fgColor="F2F2F2")
    for r, cells in enumerate(table.rows):
        for c, content in enumerate(cells):
            if (r, c) in hidden:
                continue
            value: object = content.number if content.number is not None else clean_text(content.text)
            cell = sheet.cell(row=header_row + 1 + r, column=c + 1, value=value)
            cell.alignment = Alignment(vertical="top", wrap_text=True, indent=content.indent)
            if r in table.heading_rows or (content.runs and all(run.bold for run in content.runs)):
                cell.font = Font(bold=True)
            if r in table.heading_rows:
                cell.fill = shade
    for m in table.merges:
        sheet.merge_cells(start_row=header_row + 1 + m.row, start_column=m.column + 1,
                          end_row=header_row + m.row + m.rows, end_column=m.column + m.columns)
    weights = table.column_weights()
    for c, weight in enumerate(weights, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = max(8, round(TOTAL_WIDTH * weight / sum(weights)))
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    if table.note:
        sheet.cell(row=header_row + len(table.rows) + 2, column=1, value=clean_text(table.note)).font = \
            Font(italic=True)


def write_xlsx(tables: list[DataTable], path: Path, title: str) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    used: set[str] = set()
    for i, table in enumerate(tables):
        sheet = workbook.active if i == 0 else workbook.create_sheet()
        sheet.title = _sheet_name(table.sheet_name or table.title or f"Table {i + 1}", used)
        _write_sheet(sheet, table)
    if title:
        workbook.properties.title = clean_text(title)
    workbook.properties.creator = "QualCode"
    # Packed in memory, then written in one go: a full disk fails that plain write, not the
    # zip writer (which would leave a half-open archive complaining when it is collected).
    buffer = io.BytesIO()
    workbook.save(buffer)
    Path(path).write_bytes(buffer.getvalue())
