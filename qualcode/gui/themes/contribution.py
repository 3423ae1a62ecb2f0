"""The thematic-network feature in the workbench: the Themes menu, the themes review dock, the
theme map dialog, and exports of the themes table and codebook."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDialog, QDockWidget, QFileDialog

from qualcode.domain.errors import QualCodeError
from qualcode.gui.themes.review_panel import ThemesReviewPanel

if TYPE_CHECKING:  # the map (numpy, matplotlib) and the table writers load when first used
    from qualcode.gui.themes.map_dialog import ThemeMapDialog
    from qualcode.io.tables import DataTable

TABLE_FILTERS = "Word document (*.docx);;Excel workbook (*.xlsx);;CSV (*.csv);;Web page (*.html);;Markdown (*.md)"


class ThemesFeature(QObject):
    """Keeps the feature's dock, dialogs and file choosers (the last ones opened, for tests)."""

    def __init__(self, workbench: Any) -> None:
        super().__init__(workbench.main_window())
        self.workbench = workbench
        self.panel = ThemesReviewPanel(workbench)
        self.dock: QDockWidget = workbench.add_dock(self.panel, "Themes review", Qt.DockWidgetArea.BottomDockWidgetArea)
        self.map_dialog: ThemeMapDialog | None = None
        self.file_dialog: QFileDialog | None = None
        self.panel.map_requested.connect(self.open_map)
        menu = workbench.menu("&Themes")
        menu.addAction("Themes review", self.show_review)
        menu.addAction("Theme map…", self.open_map)
        menu.addSeparator()
        menu.addAction("Export themes table…", lambda: self.choose_file("themes table", self.write_themes_table))
        menu.addAction("Export codebook…", lambda: self.choose_file("codebook", self.write_codebook))
        self.menu = menu

    def show_review(self) -> None:
        """Show the review as a tab beside whatever already occupies the bottom of the window."""
        window = self.workbench.main_window()
        if not self.dock.isVisible():
            neighbours = [d for d in window.findChildren(QDockWidget) if d is not self.dock and d.isVisible()
                          and not d.isFloating()
                          and window.dockWidgetArea(d) == Qt.DockWidgetArea.BottomDockWidgetArea]
            if neighbours:
                window.tabifyDockWidget(neighbours[0], self.dock)
        self.dock.show()
        self.dock.raise_()
        self.panel.refresh()

    def open_map(self) -> ThemeMapDialog | None:
        if self.workbench.project is None:
            self._tell("Open a project first.")
            return None
        from qualcode.gui.themes.map_dialog import ThemeMapDialog

        dialog = ThemeMapDialog(self.workbench)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        selected = self.panel.selected_ids()
        if len(selected) == 1 and dialog.network.findData(selected[0]) >= 0:
            dialog.choose_network(selected[0])
        self.map_dialog = dialog
        dialog.open()
        return dialog

    def choose_file(self, what: str, write: Callable[[str], Path | None]) -> QDialog:
        dialog = QFileDialog(self.workbench.main_window(), f"Export {what}",
                             str(Path.home() / f"{what.replace(' ', '-')}.docx"), TABLE_FILTERS)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("docx")
        dialog.fileSelected.connect(write)
        self.file_dialog = dialog
        dialog.open()
        return dialog

    def write_themes_table(self, path: str) -> Path | None:
        from qualcode.services.themes.tables import themes_table

        return self._write(path, lambda s: themes_table(s))

    def write_codebook(self, path: str) -> Path | None:
        from qualcode.services.themes.tables import codebook_table

        return self._write(path, lambda s: codebook_table(s))

    def _write(self, path: str, build: Callable[[Any], DataTable]) -> Path | None:
        from qualcode.io.table_export import write_tables

        try:
            table = self.workbench.read(build)
            written = write_tables(table, path)
        except QualCodeError as exc:
            self._tell(str(exc))
            return None
        status = getattr(self.workbench, "status_message", None)
        if status is not None:
            status(f"Saved {written.name}")
        return written

    def _tell(self, text: str) -> None:
        show = getattr(self.workbench, "show_error", None)
        if show is not None:
            show(text)


def contribute(workbench: Any) -> None:
    ThemesFeature(workbench).dock.hide()  # a child of the main window, which keeps it alive
