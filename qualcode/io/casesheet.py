"""Case sheets: a table of participants or sites (.csv or .xlsx) and attribute type inference.

The first non-empty row is the header. A CSV's encoding is detected like a text file's and
its delimiter (comma, semicolon, tab, bar) taken from the header row. A row with a different number of
cells than the header is an error naming the row, never silently padded or cut (trailing
empty cells, as spreadsheets export them, are ignored).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from qualcode.domain.enums import AttributeType
from qualcode.domain.errors import QualCodeError
from qualcode.io.base import MAX_PACKAGE_FILE_BYTES, MAX_TEXT_FILE_BYTES, check_size, file_error
from qualcode.io.text import decode, read_bytes, refuse_other_formats

Cell = str | int | float | date | datetime | None
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DMY_DATE = re.compile(r"\d{1,2}/\d{1,2}/\d{4}")
_NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")
MAX_CATEGORIES = 20
LONG_TEXT = 60


@dataclass(frozen=True)
class Sheet:
    path: Path
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]  # each as long as the header
    first_row_number: int  # the spreadsheet row number of rows[0], for messages

    def column(self, name: str) -> list[Cell]:
        index = self.header.index(name)
        return [row[index] for row in self.rows]


def read_sheet(path: str | Path, *, worksheet: str | None = None, encoding: str | None = None) -> Sheet:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        header, rows, first = _read_csv(path, encoding)
    elif suffix in (".xlsx", ".xlsm"):
        header, rows, first = _read_xlsx(path, worksheet)
    elif suffix == ".xls":
        raise file_error(path, "old Excel (.xls) files cannot be read: save it as .xlsx or .csv.")
    else:
        raise file_error(path, "a case sheet must be a .csv or .xlsx file.")
    return _shape(path, header, rows, first)


def _read_csv(path: Path, encoding: str | None) -> tuple[list[Cell], list[list[Cell]], int]:
    data = read_bytes(path, MAX_TEXT_FILE_BYTES)
    if not encoding:
        refuse_other_formats(path, data, "a CSV table")
    text, _ = decode(path, data, encoding)
    text = text.removeprefix("\ufeff")
    delimiter = _delimiter(text)
    try:
        table = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))  # quoted cells keep their line breaks
    except csv.Error as exc:
        raise file_error(path, f"is not a readable CSV table ({exc}).") from None
    return _split_header(path, [[c.strip() for c in row] for row in table])


def _delimiter(text: str) -> str:
    """The delimiter the header row uses most (comma, semicolon, tab or bar)."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    unquoted = re.sub(r'"[^"]*"', "", header)
    best = max(",;\t|", key=unquoted.count)
    return best if unquoted.count(best) else ","


def _read_xlsx(path: Path, worksheet: str | None) -> tuple[list[Cell], list[list[Cell]], int]:
    check_size(path, MAX_PACKAGE_FILE_BYTES, "spreadsheets")
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    # Damage can surface while opening or only while the rows are unpacked (a corrupt
    # deflate stream, broken XML inside the package): either way it is one clear line.
    damaged = (InvalidFileException, zipfile.BadZipFile, zlib.error, KeyError, OSError, ValueError, TypeError,
               EOFError, SyntaxError, IndexError, NotImplementedError)
    refusal = "is not a readable Excel workbook (.xlsx): the file is damaged or is not really a spreadsheet."
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except damaged:
        raise file_error(path, refusal) from None
    try:
        if worksheet is not None and worksheet not in book.sheetnames:
            raise file_error(path, f"has no worksheet '{worksheet}' (it has {', '.join(book.sheetnames)}).")
        sheet = book[worksheet] if worksheet is not None else book.worksheets[0]
        table = [[c.strip() if isinstance(c, str) else c for c in row] for row in sheet.iter_rows(values_only=True)]
    except QualCodeError:
        raise
    except damaged:
        raise file_error(path, refusal) from None
    finally:
        book.close()
    return _split_header(path, table)


def _empty(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _split_header(path: Path, table: list[list[Cell]]) -> tuple[list[Cell], list[list[Cell]], int]:
    for index, row in enumerate(table):
        if not all(_empty(c) for c in row):
            return row, table[index + 1 :], index + 2
    raise file_error(path, "the sheet is empty.")


def _shape(path: Path, header_cells: list[Cell], rows: list[list[Cell]], first: int) -> Sheet:
    while header_cells and _empty(header_cells[-1]):
        header_cells = header_cells[:-1]
    header = [" ".join(str(c).split()) if not _empty(c) else "" for c in header_cells]
    for number, name in enumerate(header, 1):
        if not name:
            raise file_error(path, f"column {number} of the header row has no name.")
    seen: dict[str, int] = {}
    for number, name in enumerate(header, 1):
        if name.lower() in seen:
            raise file_error(path, f"the header names the column '{name}' twice (columns {seen[name.lower()]} "
                             f"and {number}).")
        seen[name.lower()] = number
    shaped: list[tuple[Cell, ...]] = []
    for offset, row in enumerate(rows):
        cells = list(row)
        while len(cells) > len(header) and _empty(cells[-1]):
            cells.pop()
        if all(_empty(c) for c in cells):
            continue
        if len(cells) != len(header):
            raise file_error(path, f"row {first + offset} has {len(cells)} cells but the header has "
                             f"{len(header)} columns; fix the row (a missing or extra delimiter?).")
        shaped.append(tuple(None if _empty(c) else c for c in cells))
    if not shaped:
        raise file_error(path, "the sheet has a header but no rows.")
    return Sheet(path, tuple(header), tuple(shaped), first)


def _is_number(cell: Cell) -> bool:
    if isinstance(cell, bool):
        return False
    if isinstance(cell, int | float):
        return True
    return isinstance(cell, str) and bool(_NUMBER.fullmatch(cell.strip()))


def _is_date(cell: Cell) -> bool:
    if isinstance(cell, date | datetime):
        return True
    if not isinstance(cell, str):
        return False
    text = cell.strip()
    try:
        if _ISO_DATE.fullmatch(text):
            date.fromisoformat(text)
            return True
        if _DMY_DATE.fullmatch(text):
            datetime.strptime(text, "%d/%m/%Y")
            return True
    except ValueError:
        return False
    return False


def infer_type(values: list[Cell]) -> AttributeType:
    """number, date, category (few distinct short values, repeated) or text."""
    present = [v for v in values if not _empty(v)]
    if not present:
        return AttributeType.TEXT
    if all(_is_number(v) for v in present):
        return AttributeType.NUMBER
    if all(_is_date(v) for v in present):
        return AttributeType.DATE
    distinct = {str(v).strip().lower() for v in present}
    short = all(len(str(v)) <= LONG_TEXT for v in present)
    if short and len(distinct) <= MAX_CATEGORIES and (len(distinct) < len(present) or len(present) <= 2):
        return AttributeType.CATEGORY
    return AttributeType.TEXT
