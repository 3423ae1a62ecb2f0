"""Manuscript tables, independent of their file format: rows of cells plus merged regions.

Any feature that exports a table (themes with quotes, codebook, CMOC table, participant
characteristics) builds `DataTable`s and calls `qualcode.io.table_export.write_tables`, which writes DOCX (a real
Word table with a repeating header row and merged cells), XLSX, CSV, HTML or Markdown,
always through a temporary file so a failed export leaves nothing half-written.

Text in a cell is a sequence of runs (bold/italic); a newline in a run starts a new
paragraph in the cell. A `Merge` spans body rows and columns; the top-left cell holds the
content and the cells it covers are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from qualcode.domain.errors import ValidationError


class TableFormat(StrEnum):
    DOCX = "docx"
    XLSX = "xlsx"
    CSV = "csv"
    HTML = "html"
    MARKDOWN = "md"


_SUFFIXES = {".docx": TableFormat.DOCX, ".xlsx": TableFormat.XLSX, ".csv": TableFormat.CSV,
             ".html": TableFormat.HTML, ".htm": TableFormat.HTML, ".md": TableFormat.MARKDOWN,
             ".markdown": TableFormat.MARKDOWN}
_NAMES = {"docx": TableFormat.DOCX, "word": TableFormat.DOCX, "xlsx": TableFormat.XLSX, "excel": TableFormat.XLSX,
          "csv": TableFormat.CSV, "html": TableFormat.HTML, "md": TableFormat.MARKDOWN,
          "markdown": TableFormat.MARKDOWN}
# Characters XML (DOCX, XLSX) cannot hold; dropped from every cell so no format fails on them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Cell:
    runs: tuple[Run, ...] = ()
    number: int | float | None = None  # kept as a number in spreadsheets, right-aligned elsewhere
    indent: int = 0  # nesting level, e.g. a code under a theme in a codebook

    @classmethod
    def of(cls, value: Cell | str | int | float | None, *, bold: bool = False, italic: bool = False,
           indent: int = 0) -> Cell:
        if isinstance(value, Cell):
            return value
        if value is None:
            return cls(indent=indent)
        if isinstance(value, bool):
            return cls((Run(str(value), bold, italic),), indent=indent)
        if isinstance(value, int | float):
            return cls((Run(f"{value:g}" if isinstance(value, float) else str(value), bold, italic),),
                       number=value, indent=indent)
        return cls((Run(value, bold, italic),), indent=indent)

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)

    def paragraphs(self) -> list[list[Run]]:
        """The runs split at newlines: one list of runs per paragraph."""
        paragraphs: list[list[Run]] = [[]]
        for run in self.runs:
            for i, piece in enumerate(clean_text(run.text).split("\n")):
                if i:
                    paragraphs.append([])
                if piece:
                    paragraphs[-1].append(Run(piece, run.bold, run.italic))
        return paragraphs


@dataclass(frozen=True)
class Merge:
    """A merged region of the body: `rows` x `columns` cells from (row, column), 0-based."""

    row: int
    column: int
    rows: int = 1
    columns: int = 1


@dataclass(frozen=True)
class DataTable:
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    merges: tuple[Merge, ...] = ()
    title: str = ""
    note: str = ""
    widths: tuple[float, ...] = ()  # relative column widths; equal when empty
    heading_rows: frozenset[int] = field(default_factory=frozenset)  # section rows (bold, shaded)
    landscape: bool = False
    sheet_name: str = ""

    def __post_init__(self) -> None:
        columns = len(self.header)
        for i, row in enumerate(self.rows):
            if len(row) != columns:
                raise ValueError(f"Row {i} has {len(row)} cells; the header has {columns}.")
        covered: set[tuple[int, int]] = set()
        for m in self.merges:
            if m.row < 0 or m.column < 0 or m.rows < 1 or m.columns < 1 \
                    or m.row + m.rows > len(self.rows) or m.column + m.columns > columns:
                raise ValueError(f"Merge {m} lies outside the table.")
            cells = {(r, c) for r in range(m.row, m.row + m.rows) for c in range(m.column, m.column + m.columns)}
            if cells & covered:
                raise ValueError(f"Merge {m} overlaps another merge.")
            covered |= cells
        if self.widths and len(self.widths) != columns:
            raise ValueError("Give one width per column.")

    def column_weights(self) -> list[float]:
        return list(self.widths) if self.widths else [1.0] * len(self.header)

    def covered(self) -> dict[tuple[int, int], Merge]:
        """Each body cell hidden by a merge (not its top-left cell) -> that merge."""
        hidden: dict[tuple[int, int], Merge] = {}
        for m in self.merges:
            for r in range(m.row, m.row + m.rows):
                for c in range(m.column, m.column + m.columns):
                    if (r, c) != (m.row, m.column):
                        hidden[(r, c)] = m
        return hidden

    def merge_at(self, row: int, column: int) -> Merge | None:
        return next((m for m in self.merges if (m.row, m.column) == (row, column)), None)


def clean_text(text: str) -> str:
    """Text safe for every format: line ends as '\\n', no control characters."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def table_format(path: str | Path, format: str | None = None) -> TableFormat:
    """The format named, or the one the file's suffix implies."""
    if format:
        try:
            return _NAMES[format.strip().lower().lstrip(".")]
        except KeyError:
            raise ValidationError(f"Unknown table format '{format}': use docx, xlsx, csv, html or md.") from None
    suffix = Path(path).suffix.lower()
    if suffix not in _SUFFIXES:
        raise ValidationError(f"Cannot tell the table format of '{Path(path).name}': "
                              "end the name with .docx, .xlsx, .csv, .html or .md.")
    return _SUFFIXES[suffix]
