"""Writing tables to a file: `write_tables` for manuscript `DataTable`s (DOCX, XLSX, CSV,
HTML, Markdown, always through a temporary file), and `write_table` for simple result tables
(query results, matrices, frequencies, participant tables), in the format the suffix names.

Leading spaces in a first-column cell mark a sub-row (two spaces per level), e.g. the
categories under "gender, n (%)" in a participant table; they become a real indent.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
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
    failure = _write_quietly(lambda temp: writers[fmt](items, temp, title), Path(path))
    if failure is not None:
        raise OutputFileError(failure)
    return Path(path).expanduser().absolute()


def _write_quietly(write: Callable[[Path], object], path: Path) -> str | None:
    """Write through `atomic_output`; return the one-line reason when it failed.

    A disk that fills up mid-way leaves the libraries' zip and XML writers half-open; when
    they are collected they complain on stderr ("Exception ignored in ..."). The failure is
    turned into a message and the writers collected here, with that noise left out.
    """
    import gc

    failure: str | None = None
    hook = sys.unraisablehook
    sys.unraisablehook = lambda _unraisable: None
    try:
        try:
            with atomic_output(path) as temp:
                write(temp)
        except OutputFileError as exc:
            failure = str(exc)
        except Exception as exc:
            if type(exc).__name__ != "SerialisationError":  # lxml's word for a failed write
                raise
            failure = f"Cannot write '{path.name}': the disk is full or the file too large ({exc})."
        gc.collect()
    finally:
        sys.unraisablehook = hook
    return failure


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
