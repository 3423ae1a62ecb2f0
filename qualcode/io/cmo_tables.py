"""The CMOC table as realist papers print it, written to DOCX, XLSX, CSV, HTML or Markdown.

Rows are grouped by concept; each configuration is one sentence with role markers, e.g.
"When ... (C), patients ... (M), so they ... (O)." Extra columns (status, evidence counts,
example quote) are plain cells. Files are written to a temporary file beside the target
and moved into place, so a failed export never leaves a half-written file.
"""

from __future__ import annotations

import csv
import html
import math
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from qualcode.domain.errors import ValidationError

Cell = str | int


@dataclass(frozen=True)
class CmocRow:
    label: str
    sentence: tuple[tuple[str, bool], ...]  # (text, is_marker) pieces
    cells: tuple[Cell, ...] = ()  # one per extra column

    @property
    def text(self) -> str:
        return "".join(piece for piece, _ in self.sentence)


@dataclass(frozen=True)
class CmocGroup:
    concept: str
    rows: tuple[CmocRow, ...]


@dataclass(frozen=True)
class CmocTable:
    title: str
    columns: tuple[str, ...]  # label column, sentence column, then the extra columns
    groups: tuple[CmocGroup, ...]
    note: str = ""
    numeric: frozenset[str] = frozenset()  # extra columns holding counts (right-aligned)


FORMATS = ("docx", "xlsx", "csv", "html", "md")


def table_format(path: Path, fmt: str | None = None) -> str:
    """The format named, or the one the file's suffix implies."""
    name = (fmt or path.suffix.lstrip(".")).lower()
    name = {"htm": "html", "markdown": "md"}.get(name, name)
    if name not in FORMATS:
        raise ValidationError(f"Cannot write a table as '{name or path.name}': use .docx, .xlsx, .csv, .html or .md.")
    return name


def write_cmoc_table(table: CmocTable, path: str | Path, fmt: str | None = None) -> Path:
    """Write the table in the format of `fmt` or of the file suffix. Returns the path."""
    target = Path(path)
    writer: Callable[[CmocTable, Path], None] = _WRITERS[table_format(target, fmt)]
    if not target.parent.is_dir():
        raise ValidationError(f"Cannot write '{target.name}': the folder {target.parent} does not exist.")
    handle, temp_name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=target.suffix, dir=target.parent)
    os.close(handle)
    temp = Path(temp_name)
    try:
        writer(table, temp)
        os.replace(temp, target)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise ValidationError(f"Cannot write '{target.name}': {exc.strerror or exc}.") from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return target


# -- CSV: one flat row per configuration, the concept as a column ---------------------------


def _write_csv(table: CmocTable, path: Path) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["Concept", *table.columns])
        for group in table.groups:
            for row in group.rows:
                out.writerow([group.concept, row.label, row.text, *row.cells])


# -- Markdown: one table, a bold row opening each concept ----------------------------------


def _md(text: Cell) -> str:
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _write_md(table: CmocTable, path: Path) -> None:
    lines = [f"**{_md(table.title)}**", ""]
    lines.append("| " + " | ".join(_md(c) for c in table.columns) + " |")
    aligns = ["---", "---"] + ["---:" if c in table.numeric else "---" for c in table.columns[2:]]
    lines.append("| " + " | ".join(aligns) + " |")
    empty = [""] * (len(table.columns) - 1)
    for group in table.groups:
        lines.append("| " + " | ".join([f"**{_md(group.concept or 'No concept')}**", *empty]) + " |")
        for row in group.rows:
            sentence = "".join(f"**{_md(t)}**" if marker else _md(t) for t, marker in row.sentence)
            lines.append("| " + " | ".join([_md(row.label), sentence, *(_md(c) for c in row.cells)]) + " |")
    if table.note:
        lines += ["", f"*{_md(table.note)}*"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# -- HTML: a standalone page with a captioned, grouped table -------------------------------

_CSS = """
body { font-family: "Helvetica Neue", Arial, sans-serif; font-size: 10pt; color: #222; margin: 2em; }
table { border-collapse: collapse; width: 100%; }
caption { caption-side: top; text-align: left; font-weight: bold; padding-bottom: .5em; }
th, td { text-align: left; vertical-align: top; padding: .35em .6em; }
thead th { border-top: 2px solid #222; border-bottom: 1px solid #222; }
tbody tr.concept th { background: #eef2f6; font-style: italic; border-top: 1px solid #bbb; }
tbody tr:last-child td { border-bottom: 2px solid #222; }
td.num, th.num { text-align: right; }
.role { font-weight: bold; }
p.note { font-size: 9pt; color: #555; }
"""


def _write_html(table: CmocTable, path: Path) -> None:
    e = html.escape
    head = "".join(f'<th scope="col"{" class=num" if c in table.numeric else ""}>{e(c)}</th>' for c in table.columns)
    body = []
    for group in table.groups:
        body.append(f'<tr class="concept"><th colspan="{len(table.columns)}" scope="colgroup">'
                    f"{e(group.concept or 'No concept')}</th></tr>")
        for row in group.rows:
            sentence = "".join(f'<span class="role">{e(t)}</span>' if marker else e(t) for t, marker in row.sentence)
            cells = "".join(f'<td{" class=num" if col in table.numeric else ""}>{e(str(v))}</td>'
                            for col, v in zip(table.columns[2:], row.cells, strict=True))
            body.append(f"<tr><td>{e(row.label)}</td><td>{sentence}</td>{cells}</tr>")
    note = f'<p class="note">{e(table.note)}</p>' if table.note else ""
    page = (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{e(table.title)}</title>\n'
            f"<style>{_CSS}</style>\n</head>\n<body>\n<table>\n<caption>{e(table.title)}</caption>\n"
            f"<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(body) + f"\n</tbody>\n</table>\n{note}\n"
            "</body>\n</html>\n")
    path.write_text(page, encoding="utf-8")


# -- XLSX: title, header, merged concept rows, markers in bold -----------------------------


def _write_xlsx(table: CmocTable, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    book = Workbook()
    sheet = book.active
    sheet.title = "CMOC table"
    width = len(table.columns)
    sheet.cell(1, 1, table.title).font = Font(name="Calibri", bold=True, size=12)
    header_fill = PatternFill("solid", fgColor="DDE3EA")
    group_fill = PatternFill("solid", fgColor="EEF2F6")
    rule = Side(style="thin", color="222222")
    for col, name in enumerate(table.columns, start=1):
        cell = sheet.cell(3, col, name)
        cell.font = Font(name="Calibri", bold=True)
        cell.fill = header_fill
        cell.border = Border(top=rule, bottom=rule)
        cell.alignment = Alignment(vertical="top", horizontal="right" if name in table.numeric else "left")
    widths = {table.columns[0]: 10, table.columns[1]: 80}
    col_widths = [widths.get(name, 12 if name in table.numeric else 50 if "quote" in name.lower() else 18)
                  for name in table.columns]

    def lines_needed(values: list[object]) -> int:
        # Spreadsheets do not grow wrapped rows they did not lay out: estimate the lines.
        return max(math.ceil(len(str(v)) / max(w - 2, 1)) for v, w in zip(values, col_widths, strict=False))

    row_no = 4
    wrap = Alignment(wrap_text=True, vertical="top")
    for group in table.groups:
        sheet.cell(row_no, 1, group.concept or "No concept").font = Font(name="Calibri", bold=True, italic=True)
        for col in range(1, width + 1):
            sheet.cell(row_no, col).fill = group_fill
        sheet.merge_cells(start_row=row_no, start_column=1, end_row=row_no, end_column=width)
        row_no += 1
        for row in group.rows:
            sheet.cell(row_no, 1, row.label).alignment = wrap
            rich = CellRichText([TextBlock(InlineFont(rFont="Calibri", sz=11, b=marker), t)
                                 for t, marker in row.sentence])
            sheet.cell(row_no, 2).value = rich
            sheet.cell(row_no, 2).alignment = wrap
            for col, value in enumerate(row.cells, start=3):
                cell = sheet.cell(row_no, col, value)
                cell.alignment = Alignment(vertical="top", wrap_text=not isinstance(value, int),
                                           indent=0 if isinstance(value, int) else 1)
            sheet.row_dimensions[row_no].height = 15 * lines_needed([row.label, row.text, *row.cells]) + 2
            row_no += 1
    for col in range(1, width + 1):
        sheet.cell(row_no - 1, col).border = Border(bottom=rule)
    if table.note:
        note = sheet.cell(row_no + 1, 1, table.note)
        note.font = Font(name="Calibri", italic=True, size=9)
        note.alignment = wrap
        sheet.merge_cells(start_row=row_no + 1, start_column=1, end_row=row_no + 1, end_column=width)
        sheet.row_dimensions[row_no + 1].height = 13 * math.ceil(len(table.note) / (sum(col_widths) * 1.2)) + 2
    for col, col_width in enumerate(col_widths, start=1):
        sheet.column_dimensions[sheet.cell(3, col).column_letter].width = col_width
    sheet.freeze_panes = "A4"
    sheet.print_title_rows = "3:3"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    book.save(path)


# -- DOCX: a captioned three-rule table, concept rows merged across, markers in bold -----------


def _set_cell_borders(cell: object, **edges: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tc_pr = cell._tc.get_or_add_tcPr()  # type: ignore[attr-defined]
    borders = tc_pr.find(qn("w:tcBorders"))
    if borders is None:
        borders = OxmlElement("w:tcBorders")
        tc_pr.append(borders)
    for edge, size in edges.items():
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), size)
        element.set(qn("w:color"), "222222")
        borders.append(element)


def _shade(cell: object, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)  # type: ignore[attr-defined]


def _write_docx(table: CmocTable, path: Path) -> None:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(10)
    section = document.sections[0]
    wide = len(table.columns) > 3
    if wide:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2))
    usable = section.page_width - section.left_margin - section.right_margin

    caption = document.add_paragraph()
    caption.add_run(table.title).bold = True
    caption.paragraph_format.space_after = Pt(6)

    grid = document.add_table(rows=1, cols=len(table.columns))
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    extra = table.columns[2:]
    fixed = {name: Cm(1.6) if name in table.numeric else Cm(6.5) if "quote" in name.lower() else Cm(3.0)
             for name in extra}
    label_width = Cm(2.1)
    sentence_width = max(Cm(6), usable - label_width - sum(fixed.values(), Cm(0)))
    widths = [label_width, sentence_width, *(fixed[name] for name in extra)]

    def fill_cell(cell: object, pieces: list[tuple[str, bool]], *, bold: bool = False, italic: bool = False,
                  right: bool = False, size: float = 9.5, space: float = 0) -> None:
        paragraph = cell.paragraphs[0]  # type: ignore[attr-defined]
        paragraph.paragraph_format.space_after = Pt(space)
        paragraph.paragraph_format.space_before = Pt(space / 2)
        if right:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for text, marker in pieces:
            run = paragraph.add_run(text)
            run.bold = bold or marker
            run.italic = italic
            run.font.size = Pt(size)

    header = grid.rows[0]
    tr_pr = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    for col, name in enumerate(table.columns):
        cell = header.cells[col]
        fill_cell(cell, [(name, False)], bold=True, right=name in table.numeric)
        _set_cell_borders(cell, top="12", bottom="6")
    def whole_row(row: object) -> object:
        # A row never splits across pages.
        cant_split = OxmlElement("w:cantSplit")
        row._tr.get_or_add_trPr().append(cant_split)  # type: ignore[attr-defined]
        return row

    for group in table.groups:
        cells = whole_row(grid.add_row()).cells  # type: ignore[attr-defined]
        merged = cells[0].merge(cells[-1])
        fill_cell(merged, [(group.concept or "No concept", False)], bold=True, italic=True)
        merged.paragraphs[0].paragraph_format.keep_with_next = True
        _shade(merged, "EEF2F6")
        for row in group.rows:
            cells = whole_row(grid.add_row()).cells  # type: ignore[attr-defined]
            fill_cell(cells[0], [(row.label, False)], space=4)
            fill_cell(cells[1], list(row.sentence), space=4)
            for col, (name, value) in enumerate(zip(extra, row.cells, strict=True), start=2):
                fill_cell(cells[col], [(str(value), False)], right=name in table.numeric,
                          italic="quote" in name.lower(), space=4)
    for cell in grid.rows[-1].cells:
        _set_cell_borders(cell, bottom="12")
    # Word reads the cell widths, LibreOffice the grid: set both, with a fixed layout.
    for col, column in enumerate(grid.columns):
        column.width = widths[col]
    for row in grid.rows:
        for col, cell in enumerate(row.cells):
            cell.width = widths[min(col, len(widths) - 1)]
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    grid._tbl.tblPr.append(layout)
    if table.note:
        note = document.add_paragraph()
        note.paragraph_format.space_before = Pt(4)
        run = note.add_run(table.note)
        run.italic = True
        run.font.size = Pt(8.5)
    document.save(str(path))


_WRITERS: dict[str, Callable[[CmocTable, Path], None]] = {
    "docx": _write_docx, "xlsx": _write_xlsx, "csv": _write_csv, "html": _write_html, "md": _write_md,
}
