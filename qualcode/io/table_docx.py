"""DataTables to a Word document: real tables, a header row repeated on every page, merged cells."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from qualcode.io.tables import Cell, DataTable, clean_text

HEADER_FILL = "D9D9D9"
HEADING_ROW_FILL = "F2F2F2"
FONT = "Calibri"
FONT_SIZE = 10


def _shade(cell: Any, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _repeat_as_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(marker)


def _keep_whole(row: Any) -> None:
    """A body row never breaks across pages (a quote cut in two is hard to read)."""
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _fill(cell: Any, content: Cell, *, bold: bool = False) -> None:
    from docx.enum.table import WD_ALIGN_VERTICAL
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    cell.vertical_alignment = WD_ALIGN_VERTICAL.TOP
    for i, runs in enumerate(content.paragraphs()):
        paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(3)
        if content.indent:
            paragraph.paragraph_format.left_indent = Pt(10 * content.indent)
        if content.number is not None:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for run in runs:
            piece = paragraph.add_run(run.text)
            piece.bold = run.bold or bold or None
            piece.italic = run.italic or None


def _cell(grid: Any, rows: Any, row: int, column: int) -> Any:
    """The cell at a grid position, found in that row alone (python-docx's table.cell() walks the
    whole table each time, which makes long tables quadratic)."""
    from docx.table import _Cell

    at = 0
    for tc in rows[row].tc_lst:
        if at <= column < at + tc.grid_span:
            return _Cell(tc, grid)
        at += tc.grid_span
    raise IndexError(f"No cell at row {row}, column {column}.")


def _add_table(document: Any, table: DataTable, usable_width: int) -> None:
    from docx.shared import Emu, Pt

    if table.title:
        caption = document.add_paragraph()
        caption.paragraph_format.space_after = Pt(6)
        caption.paragraph_format.keep_with_next = True
        caption.add_run(clean_text(table.title)).bold = True
    columns = len(table.header)
    grid = document.add_table(rows=1 + len(table.rows), cols=columns)
    grid.style = "Table Grid"
    grid.autofit = False
    weights = table.column_weights()
    widths = [Emu(int(usable_width * w / sum(weights))) for w in weights]
    rows = grid._tbl.tr_lst
    for tr in rows:
        for tc, width in zip(tr.tc_lst, widths, strict=True):
            tc.width = width
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width  # the grid: LibreOffice lays columns out from it, not from the cells
    _repeat_as_header(grid.rows[0])
    for c, label in enumerate(table.header):
        cell = _cell(grid, rows, 0, c)
        _fill(cell, Cell.of(label), bold=True)
        _shade(cell, HEADER_FILL)
    for m in table.merges:
        top = _cell(grid, rows, 1 + m.row, m.column)
        top.merge(_cell(grid, rows, m.row + m.rows, m.column + m.columns - 1))
    hidden = table.covered()
    for r, row in enumerate(table.rows):
        _keep_whole(grid.rows[1 + r])
        heading = r in table.heading_rows
        for c, content in enumerate(row):
            if (r, c) in hidden:
                continue
            cell = _cell(grid, rows, 1 + r, c)
            _fill(cell, content, bold=heading)
            if heading:
                _shade(cell, HEADING_ROW_FILL)
    if table.note:
        note = document.add_paragraph()
        note.paragraph_format.space_before = Pt(4)
        run = note.add_run(clean_text(table.note))
        run.italic = True
        run.font.size = Pt(FONT_SIZE - 1)
    document.add_paragraph()


def write_docx(tables: list[DataTable], path: Path, title: str) -> None:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Pt

    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(FONT_SIZE)
    section = document.sections[0]
    if any(t.landscape for t in tables):
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    usable = int(section.page_width or 0) - int(section.left_margin or 0) - int(section.right_margin or 0)
    if title:
        document.add_heading(clean_text(title), level=1)
        document.core_properties.title = clean_text(title)
    for table in tables:
        _add_table(document, table, usable)
    document.core_properties.author = "QualCode"
    # Packed in memory, then written in one go: a full disk fails that plain write, not the
    # zip writer (which would leave a half-open archive complaining when it is collected).
    buffer = io.BytesIO()
    document.save(buffer)
    Path(path).write_bytes(buffer.getvalue())
