"""Write a table (a title, a header row, body rows, notes) as CSV, XLSX, DOCX, Markdown or HTML.

The format follows the file's suffix. Leading spaces in a first-column cell mark a
sub-row (two spaces per level), drawn as an indent in each format. Every file is written
to a temporary file beside the target and moved into place, so a failed export never
leaves a half-written file.
"""

from __future__ import annotations

import csv
import html
import os
import tempfile
from collections.abc import Callable, Sequence
from contextlib import suppress
from pathlib import Path

from qualcode.domain.errors import ValidationError

Cell = str | int | float | None
FORMATS = (".csv", ".xlsx", ".docx", ".md", ".html")


def _indent(cell: Cell) -> tuple[int, str]:
    text = "" if cell is None else str(cell)
    stripped = text.lstrip(" ")
    return (len(text) - len(stripped)) // 2, stripped


def _number_text(value: Cell) -> str:
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    return "" if value is None else str(value)


def _csv(path: Path, title: str, header: Sequence[str], rows: Sequence[Sequence[Cell]], notes: Sequence[str]) -> None:
    with path.open("w", newline="", encoding="utf-8-sig") as handle:  # the BOM lets Excel read UTF-8
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow([_number_text(cell) for cell in row])


def _xlsx(path: Path, title: str, header: Sequence[str], rows: Sequence[Sequence[Cell]], notes: Sequence[str]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = (title or "Table")[:31].translate(str.maketrans("", "", "[]:*?/\\")) or "Table"
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")
        cell.border = Border(bottom=Side(style="thin"))
    for row in rows:
        level, first = _indent(row[0]) if row else (0, "")
        sheet.append([first, *row[1:]])
        if level:
            sheet.cell(row=sheet.max_row, column=1).alignment = Alignment(indent=level)
    for note in notes:
        sheet.append([note])
    widths = [len(str(h)) for h in header]
    for row in rows:
        for i, cell in enumerate(row[: len(widths)]):
            widths[i] = max(widths[i], len(_number_text(cell)))
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = min(60, max(8, width + 2))
    sheet.freeze_panes = "B2"
    book.save(path)


def _docx(path: Path, title: str, header: Sequence[str], rows: Sequence[Sequence[Cell]], notes: Sequence[str]) -> None:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    document = Document()
    if title:
        document.add_paragraph(title, style="Caption" if "Caption" in document.styles else None)
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = str(text)
        for run in cell.paragraphs[0].runs:
            run.font.bold = True
    for row in rows:
        cells = table.add_row().cells
        for index, (cell, value) in enumerate(zip(cells, row, strict=False)):
            level, text = _indent(value) if index == 0 else (0, _number_text(value))
            paragraph = cell.paragraphs[0]
            paragraph.text = text
            if level:
                paragraph.paragraph_format.left_indent = Cm(0.4 * level)
            if index > 0 and isinstance(value, int | float):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)
    for note in notes:
        document.add_paragraph(note).runs[0].font.size = Pt(8)
    document.save(str(path))


def _markdown_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md(path: Path, title: str, header: Sequence[str], rows: Sequence[Sequence[Cell]], notes: Sequence[str]) -> None:
    lines = [f"**{title}**", ""] if title else []
    lines.append("| " + " | ".join(_markdown_cell(str(h)) for h in header) + " |")
    lines.append("|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|")
    for row in rows:
        level, first = _indent(row[0]) if row else (0, "")
        cells = ["&emsp;" * level + _markdown_cell(first), *(_markdown_cell(_number_text(c)) for c in row[1:])]
        lines.append("| " + " | ".join(cells) + " |")
    lines.extend(["", *notes] if notes else [])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _html(path: Path, title: str, header: Sequence[str], rows: Sequence[Sequence[Cell]], notes: Sequence[str]) -> None:
    out = ["<!DOCTYPE html>", '<html><head><meta charset="utf-8">', f"<title>{html.escape(title)}</title>",
           "<style>table{border-collapse:collapse;font:10pt sans-serif}th,td{padding:2px 8px;"
           "border-bottom:1px solid #ccc}td.n{text-align:right}</style></head><body>",
           f"<table><caption>{html.escape(title)}</caption><thead><tr>"
           + "".join(f"<th>{html.escape(str(h))}</th>" for h in header) + "</tr></thead><tbody>"]
    for row in rows:
        level, first = _indent(row[0]) if row else (0, "")
        cells = [f'<td style="padding-left:{8 + 16 * level}px">{html.escape(first)}</td>']
        cells += [f'<td class="n">{html.escape(_number_text(c))}</td>' for c in row[1:]]
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>" + "".join(f"<p>{html.escape(n)}</p>" for n in notes) + "</body></html>")
    path.write_text("\n".join(out), encoding="utf-8")


_WRITERS: dict[str, Callable[[Path, str, Sequence[str], Sequence[Sequence[Cell]], Sequence[str]], None]] = {
    ".csv": _csv, ".xlsx": _xlsx, ".docx": _docx, ".md": _md, ".html": _html,
}


def write_table(path: str | Path, *, title: str, header: Sequence[str], rows: Sequence[Sequence[Cell]],
                notes: Sequence[str] = ()) -> Path:
    """Write the table in the format its suffix names; return the path written."""
    target = Path(path)
    writer = _WRITERS.get(target.suffix.lower())
    if writer is None:
        raise ValidationError(f"Cannot write a table as '{target.suffix or target.name}': use {', '.join(FORMATS)}.")
    if not target.parent.is_dir():
        raise ValidationError(f"Cannot write '{target.name}': the folder {target.parent} does not exist.")
    handle, temporary = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=target.suffix, dir=target.parent)
    os.close(handle)
    try:
        writer(Path(temporary), title, header, rows, notes)
        os.replace(temporary, target)
    except OSError as exc:
        raise ValidationError(f"Could not write '{target.name}': {exc.strerror or exc}.") from None
    finally:
        with suppress(FileNotFoundError):
            os.unlink(temporary)
    return target
