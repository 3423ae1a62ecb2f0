"""Start the Qt application: style, main window, and the project (or the start page)."""

from __future__ import annotations

import sys
from pathlib import Path


def create_application() -> object:
    from PySide6.QtWidgets import QApplication

    from qualcode.domain.errors import QualCodeError
    from qualcode.gui.appearance import apply_style
    from qualcode.gui.platform_check import window_system_problem
    from qualcode.gui.settings import APPLICATION, ORGANISATION

    app = QApplication.instance()
    if app is None:
        problem = window_system_problem()
        if problem is not None:  # instead of Qt's abort
            raise QualCodeError(problem)
        app = QApplication(sys.argv)
        app.setOrganizationName(ORGANISATION)
        app.setApplicationName(APPLICATION)
        app.setApplicationDisplayName("QualCode")
        apply_style(app)  # type: ignore[arg-type]
        from qualcode.gui.icons import level_icon, swatch_icon

        # Cached pixmaps must go before the application does.
        app.aboutToQuit.connect(level_icon.cache_clear)  # type: ignore[attr-defined]
        app.aboutToQuit.connect(swatch_icon.cache_clear)  # type: ignore[attr-defined]
    return app


def run(path: Path | str | None = None, *, coder: str | None = None, read_only: bool = False) -> int:
    """Open the window on `path` (a project file) or on the start page; returns the exit code."""
    app = create_application()
    from qualcode.gui.workbench.main_window import MainWindow, excepthook

    sys.excepthook = excepthook
    window = MainWindow(coder_name=coder)
    window.show()
    if path is not None:
        window.open_project(path, read_only=True if read_only else None)
    _quit_after_from_environment(app, window)
    code = int(app.exec())  # type: ignore[attr-defined]
    del window  # the window goes before the application does
    return code


QUIT_AFTER_VARIABLE = "QUALCODE_QUIT_AFTER"


def _quit_after_from_environment(app: object, window: object) -> None:
    """With QUALCODE_QUIT_AFTER=SECONDS set, close the window after that long and say what was
    open: for scripted checks of an installed or frozen copy (smoke tests, screenshots)."""
    import os

    value = os.environ.get(QUIT_AFTER_VARIABLE, "")
    if not value:
        return
    from PySide6.QtCore import QTimer

    def close() -> None:
        print(f"QualCode closing after {value} s: {window.windowTitle()}", file=sys.stderr)  # type: ignore[attr-defined]
        window.close()  # type: ignore[attr-defined]
        app.quit()  # type: ignore[attr-defined]

    QTimer.singleShot(int(float(value) * 1000), close)
