"""Simple result tables (query results, matrices, frequencies, participant tables) written
through the manuscript-table writers of qualcode.io.tables, in the format the suffix names.

Leading spaces in a first-column cell mark a sub-row (two spaces per level), e.g. the
categories under "gender, n (%)" in a participant table; they become a real indent.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from qualcode.io.tables import Cell, DataTable, write_tables

Value = str | int | float | None


def _cell(value: object) -> Cell:
    return Cell.of(value if value is None or isinstance(value, str | int | float) else str(value))


def _first(value: object) -> Cell:
    text = "" if value is None else str(value)
    stripped = text.lstrip(" ")
    return Cell.of(stripped, indent=(len(text) - len(stripped)) // 2)


def to_data_table(*, title: str, header: Sequence[str], rows: Sequence[Sequence[object]],
                  notes: Sequence[str] = ()) -> DataTable:
    body = tuple((_first(row[0]), *(_cell(v) for v in row[1:])) if row else () for row in rows)
    return DataTable(tuple(str(h) for h in header), body, title=title, note=" ".join(notes),
                     sheet_name=title[:31])


def write_table(path: str | Path, *, title: str, header: Sequence[str], rows: Sequence[Sequence[object]],
                notes: Sequence[str] = ()) -> Path:
    """Write one table as .csv, .xlsx, .docx, .md or .html; return the path written."""
    return write_tables(to_data_table(title=title, header=header, rows=rows, notes=notes), path)
