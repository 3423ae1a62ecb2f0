"""DataTables to CSV, HTML and Markdown.

CSV repeats a vertically merged value on every row it spans, so each row stands alone in
a spreadsheet or a script; HTML uses rowspan/colspan; Markdown (which cannot merge) leaves
the covered cells blank, which reads as grouping.
"""

from __future__ import annotations

import csv
import html
import re
from pathlib import Path

from qualcode.io.tables import Cell, DataTable, Merge, clean_text

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|])")


def _plain(cell: Cell) -> str:
    return "\n".join("".join(run.text for run in runs) for runs in cell.paragraphs()).strip()


def write_csv(tables: list[DataTable], path: Path, title: str) -> None:
    table = tables[0]
    hidden = table.covered()
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([clean_text(h) for h in table.header])
        for r, row in enumerate(table.rows):
            values = []
            for c, cell in enumerate(row):
                merge = hidden.get((r, c))
                if merge is None:
                    values.append(_plain(cell))
                elif merge.columns == 1:
                    values.append(_plain(table.rows[merge.row][merge.column]))
                else:
                    values.append("")
            writer.writerow(values)


_CSS = """
body { font-family: Calibri, Arial, sans-serif; font-size: 10pt; margin: 2em; }
table { border-collapse: collapse; margin-bottom: 0.5em; width: 100%; }
caption { caption-side: top; text-align: left; font-weight: bold; padding-bottom: 0.4em; }
th, td { border: 1px solid #888; padding: 4px 6px; vertical-align: top; text-align: start; }
thead th { background: #d9d9d9; }
tr.section td { background: #f2f2f2; font-weight: bold; }
td.number { text-align: right; }
p.note { font-style: italic; margin-bottom: 2em; }
td p { margin: 0 0 0.4em 0; }
"""


def _html_cell(cell: Cell) -> str:
    parts = []
    for runs in cell.paragraphs():
        pieces = []
        for run in runs:
            text = html.escape(run.text)
            if run.italic:
                text = f"<em>{text}</em>"
            if run.bold:
                text = f"<strong>{text}</strong>"
            pieces.append(text)
        parts.append("".join(pieces))
    return parts[0] if len(parts) == 1 else "".join(f"<p>{part}</p>" for part in parts)


def _html_table(table: DataTable) -> list[str]:
    out = ["<table>"]
    if table.title:
        out.append(f"<caption>{html.escape(clean_text(table.title))}</caption>")
    weights = table.column_weights()
    out.append("<colgroup>" + "".join(f'<col style="width: {100 * w / sum(weights):.1f}%">' for w in weights)
               + "</colgroup>")
    out.append("<thead><tr>" + "".join(f'<th scope="col" dir="auto">{html.escape(clean_text(h))}</th>'
                                       for h in table.header) + "</tr></thead>")
    out.append("<tbody>")
    hidden = table.covered()
    for r, row in enumerate(table.rows):
        cells = []
        for c, cell in enumerate(row):
            if (r, c) in hidden:
                continue
            attrs = ' dir="auto"'
            merge = table.merge_at(r, c)
            if merge is not None and merge.rows > 1:
                attrs += f' rowspan="{merge.rows}"'
            if merge is not None and merge.columns > 1:
                attrs += f' colspan="{merge.columns}"'
            if cell.number is not None:
                attrs += ' class="number"'
            if cell.indent:
                attrs += f' style="padding-left: {6 + 14 * cell.indent}px"'
            cells.append(f"<td{attrs}>{_html_cell(cell)}</td>")
        css = ' class="section"' if r in table.heading_rows else ""
        out.append(f"<tr{css}>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    if table.note:
        out.append(f'<p class="note">{html.escape(clean_text(table.note))}</p>')
    return out


def write_html(tables: list[DataTable], path: Path, title: str) -> None:
    heading = clean_text(title or tables[0].title or "Tables")
    lines = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             f"<title>{html.escape(heading)}</title>", f"<style>{_CSS}</style>", "</head>", "<body>"]
    if title:
        lines.append(f"<h1>{html.escape(clean_text(title))}</h1>")
    for table in tables:
        lines.extend(_html_table(table))
    lines += ["</body>", "</html>", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def _md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text).replace("<", "&lt;")


def _md_cell(cell: Cell) -> str:
    parts = []
    for runs in cell.paragraphs():
        pieces = []
        for run in runs:
            core = run.text.strip()
            if not core or not (run.bold or run.italic):
                pieces.append(_md_escape(run.text))
                continue
            marker = "***" if run.bold and run.italic else "**" if run.bold else "*"
            lead = " " if run.text[:1].isspace() else ""
            trail = " " if run.text[-1:].isspace() else ""
            pieces.append(f"{lead}{marker}{_md_escape(core)}{marker}{trail}")
        parts.append("".join(pieces).strip())
    indent = "\u2003" * cell.indent  # em spaces survive Markdown rendering
    return indent + "<br>".join(parts)


def _numeric_column(table: DataTable, column: int, hidden: dict[tuple[int, int], Merge]) -> bool:
    cells = [row[column] for r, row in enumerate(table.rows)
             if r not in table.heading_rows and (r, column) not in hidden]
    return bool(cells) and all(cell.number is not None for cell in cells)


def write_markdown(tables: list[DataTable], path: Path, title: str) -> None:
    lines: list[str] = []
    if title:
        lines += [f"# {_md_escape(clean_text(title))}", ""]
    for table in tables:
        if table.title:
            lines += [f"**{_md_escape(clean_text(table.title))}**", ""]
        lines.append("| " + " | ".join(_md_escape(clean_text(h)) for h in table.header) + " |")
        hidden = table.covered()
        lines.append("|" + "|".join("---:" if _numeric_column(table, c, hidden) else "---"
                                    for c in range(len(table.header))) + "|")
        for r, row in enumerate(table.rows):
            cells = ["" if (r, c) in hidden else _md_cell(cell) for c, cell in enumerate(row)]
            if r in table.heading_rows:
                cells = [f"**{cell}**" if cell and not cell.startswith("**") else cell for cell in cells]
            lines.append("| " + " | ".join(cells) + " |")
        if table.note:
            lines += ["", f"*{_md_escape(clean_text(table.note))}*"]
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
