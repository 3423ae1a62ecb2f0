"""Plain-text output of tables and keyword-in-context lines for the command line."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qualcode.services.queries.search import SearchHit

MAX_CELL = 40


def _text(cell: object) -> str:
    text = f"{cell:,}" if isinstance(cell, int) and not isinstance(cell, bool) else str(cell)
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def format_table(header: Sequence[object], rows: Sequence[Sequence[object]]) -> str:
    """Columns padded to their widest cell; numbers right-aligned."""
    cells = [[_text(c) for c in header], *([_text(c) for c in row] for row in rows)]
    widths = [max(len(row[i]) for row in cells if i < len(row)) for i in range(len(header))]
    numeric = [all(isinstance(row[i], int | float) for row in rows if i < len(row)) and bool(rows)
               for i in range(len(header))]
    lines = []
    for number, row in enumerate(cells):
        parts = [cell.rjust(widths[i]) if numeric[i] and number else cell.ljust(widths[i])
                 for i, cell in enumerate(row)]
        lines.append("  ".join(parts).rstrip())
        if number == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def format_hits(hits: Sequence[SearchHit]) -> str:
    """One keyword-in-context line per hit: where, then left context, [match], right context."""
    width = shutil.get_terminal_size((120, 20)).columns
    where = [f"{h.document_name}" + (f" ({', '.join(h.cases)})" if h.cases else "") for h in hits]
    label = min(max((len(w) for w in where), default=0), 36)
    side = max(20, (width - label - 6) // 2 - 8)
    lines = []
    for place, hit in zip(where, hits, strict=True):
        left = hit.left if len(hit.left) <= side else "…" + hit.left[-side + 1 :].split(" ", 1)[-1]
        right = hit.right if len(hit.right) <= side else hit.right[: side - 1].rsplit(" ", 1)[0] + "…"
        left = left.rjust(side)
        lines.append(f"{place[:label].ljust(label)}  {left}[{hit.matched}]{right}")
    return "\n".join(lines)
