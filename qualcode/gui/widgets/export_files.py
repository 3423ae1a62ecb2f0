"""What every "Export…" and "Save figure…" in the window shares: the file-type choices, the
save dialog (a name typed without a suffix gets the chosen type's), and writing the file with
its outcome shown (the path in the status bar, or the problem)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QWidget

TABLE_FILTER = "Excel workbook (*.xlsx);;CSV (*.csv);;Word document (*.docx);;Markdown (*.md);;Web page (*.html)"
FIGURE_FILTER = "PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"


def ask_save_path(parent: QWidget | None, title: str, default: str | Path, file_filter: str) -> Path | None:
    """The file the user chose to write, or None. The type of the default name is offered
    first, and a name typed without a suffix gets the suffix of the type chosen."""
    suffix = Path(default).suffix.lower()
    offered = next((f for f in file_filter.split(";;") if f"*{suffix})" in f.lower()), "") if suffix else ""
    name, chosen = QFileDialog.getSaveFileName(parent, title, str(default), file_filter, offered)
    return with_chosen_suffix(Path(name), chosen) if name else None


def with_chosen_suffix(path: Path, chosen_filter: str) -> Path:
    """`path` as typed, or with the suffix of the chosen file type ("Word (*.docx)") when it has none."""
    if path.suffix or "*" not in chosen_filter:
        return path
    return path.with_suffix(chosen_filter.rsplit("*", 1)[-1].split(")")[0].split()[0])


def save_and_report(workbench: Any, parent: QWidget | None, title: str, default: str, file_filter: str,
                    write: Callable[[str], Path]) -> Path | None:
    """Ask where to save, then write there and report the outcome."""
    path = ask_save_path(parent, title, default, file_filter)
    return write_and_report(workbench, str(path), write) if path is not None else None


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
