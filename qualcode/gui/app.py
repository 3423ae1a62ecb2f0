"""Start the Qt application."""

from __future__ import annotations

import sys
from pathlib import Path


def run(path: Path | None = None, *, coder: str | None = None) -> int:
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication.instance() or QApplication(sys.argv)
    label = QLabel("QualCode — the workbench opens here." + (f"\n{path}" if path else ""))
    label.resize(480, 160)
    label.show()
    return int(app.exec())
