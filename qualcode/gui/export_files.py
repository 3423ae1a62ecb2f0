"""What every "Export…" and "Save figure…" in the window shares: the file-type choices and
writing the file with its outcome shown (the path in the status bar, or the problem)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

TABLE_FILTER = "Excel workbook (*.xlsx);;CSV (*.csv);;Word document (*.docx);;Markdown (*.md);;Web page (*.html)"
FIGURE_FILTER = "PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"


def write_and_report(workbench: Any, path: str, write: Callable[[str], Path]) -> Path | None:
    """Write to `path` (if the user chose one); report the file written or the user error."""
    from qualcode.domain.errors import QualCodeError

    if not path:
        return None
    try:
        written = write(path)
    except QualCodeError as exc:
        workbench.show_error(str(exc))
        return None
    workbench.status_message(f"Wrote {written}")
    return written
