"""Writing tables to a file: `write_tables` for manuscript `DataTable`s (DOCX, XLSX, CSV,
HTML, Markdown, always through a temporary file), and `write_table` for simple result tables
(query results, matrices, frequencies, participant tables), in the format the suffix names.

Leading spaces in a first-column cell mark a sub-row (two spaces per level), e.g. the
categories under "gender, n (%)" in a participant table; they become a real indent.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from qualcode.domain.errors import ValidationError
from qualcode.io import table_docx, table_text, table_xlsx
from qualcode.io.files import OutputFileError, atomic_output
from qualcode.io.tables import Cell, DataTable, TableFormat, table_format

Value = str | int | float | None


def write_tables(tables: DataTable | Sequence[DataTable], path: str | Path, *, format: str | None = None,
                 title: str = "") -> Path:
    """Write one or more tables to a file (CSV holds a single table). Returns the path written."""
    items = [tables] if isinstance(tables, DataTable) else list(tables)
    if not items:
        raise ValidationError("There is no table to write.")
    fmt = table_format(path, format)
    if fmt is TableFormat.CSV and len(items) > 1:
        raise ValidationError("A CSV file holds one table: choose XLSX, DOCX, HTML or Markdown for several.")
    writers = {TableFormat.DOCX: table_docx.write_docx, TableFormat.XLSX: table_xlsx.write_xlsx,
               TableFormat.CSV: table_text.write_csv, TableFormat.HTML: table_text.write_html,
               TableFormat.MARKDOWN: table_text.write_markdown}
    with atomic_output(path) as temp:
        try:
            writers[fmt](items, temp, title)
        except PermissionError as exc:
            raise OutputFileError(f"Cannot write '{Path(path).name}': {exc.strerror or exc}.") from None
    return Path(path).expanduser().absolute()


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
