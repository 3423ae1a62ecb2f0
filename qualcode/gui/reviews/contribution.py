"""Literature reviews in the workbench: the References dock, the PDF page markers in the
viewer, and the Review menu (import references, exports of the PRISMA diagram, the study
tables, quotes with page citations and the bibliography)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt

from qualcode.gui.reviews.page_marks import LAYER_NAME, page_marks, pages_changed
from qualcode.gui.reviews.references_panel import ReferencesPanel
from qualcode.gui.widgets.export_files import FIGURE_FILTER, TABLE_FILTER, save_and_report

BIBLIOGRAPHY_FILTER = "RIS (*.ris);;BibTeX (*.bib);;CSL-JSON (*.json)"


class ReviewActions(QObject):
    """The Review menu's actions; each export writes through a service in one read session.
    A QObject owned by the panel, so it lives as long as the menu that calls it."""

    def __init__(self, workbench: Any, panel: ReferencesPanel) -> None:
        super().__init__(panel)
        self.workbench = workbench
        self.panel = panel
        self.dialog: Any = None  # the dialog open now (see open_dialog)
        self.dock: Any = None  # the References dock, once added

    def show_panel(self) -> None:
        """Show the References dock above the panels it shares a tab with."""
        if self.dock is not None:
            self.dock.show()
            self.dock.raise_()
        self.panel.refresh()

    def import_references(self) -> None:
        if self._ready():
            self.show_panel()  # the import's report appears there
            self.panel.choose_reference_files()

    def attach_pdfs(self) -> None:
        if self._ready():
            self.show_panel()
            self.panel.choose_pdfs_to_match()

    def _ready(self) -> bool:
        if self.workbench.project is None:
            self.workbench.status_message("Open a project first.")
            return False
        return True

    def _export(self, title: str, default: str, file_filter: str, write: Callable[[Any, Path], object]) -> None:
        if not self._ready():
            return

        def run(path: str) -> Path:
            self.workbench.read(lambda s: write(s, Path(path)))
            return Path(path)

        save_and_report(self.workbench, self.workbench.main_window(), title, default, file_filter, run)

    def export_prisma(self) -> None:
        from qualcode.services.reviews.prisma import export_prisma

        self._export("Export the PRISMA flow diagram", "prisma-flow.png", FIGURE_FILTER,
                     lambda s, p: export_prisma(s, path=p))

    def export_studies(self) -> None:
        """Choose the columns, then where to write the table."""
        from qualcode.gui.dialogs import open_dialog
        from qualcode.gui.reviews.study_columns_dialog import StudyColumnsDialog
        from qualcode.services.cases.cases import list_attributes
        from qualcode.services.reviews.tables import default_columns

        if not self._ready():
            return
        names, chosen = self.workbench.read(lambda s: ([a.name for a in list_attributes(s, "case")],
                                                       default_columns(s)))
        dialog = StudyColumnsDialog(names, chosen, self.workbench.main_window())

        def export() -> None:
            self.write_studies(dialog.columns())

        open_dialog(self, dialog, export)

    def write_studies(self, columns: list[str]) -> None:
        from qualcode.services.reviews.tables import characteristics_table

        self._export("Export the characteristics of included studies", "included-studies.docx", TABLE_FILTER,
                     lambda s, p: _write_table(characteristics_table(s, columns=columns), p))

    def export_matrix(self) -> None:
        from qualcode.services.reviews.tables import category_matrix

        self._export("Export categories × studies", "categories-by-study.xlsx", TABLE_FILTER,
                     lambda s, p: _write_table(category_matrix(s), p))

    def export_quotes(self) -> None:
        from qualcode.services.reviews.tables import quotes_table

        self._export("Export quotes with page citations", "study-quotes.docx", TABLE_FILTER,
                     lambda s, p: _write_table(quotes_table(s), p))

    def export_bibliography(self) -> None:
        from qualcode.services.reviews.bibliography import export_bibliography

        self._export("Export a bibliography of the included studies", "included-studies.ris", BIBLIOGRAPHY_FILTER,
                     lambda s, p: export_bibliography(s, path=p))

    def edit_counts(self) -> None:
        """Edit the PRISMA counts kept by hand; each changed count is one undoable step."""
        from qualcode.gui.dialogs import open_dialog
        from qualcode.gui.reviews.prisma_counts_dialog import PrismaCountsDialog
        from qualcode.services.reviews.prisma import manual_counts, set_count

        if not self._ready():
            return
        dialog = PrismaCountsDialog(self.workbench.read(manual_counts), self.workbench.main_window())

        def save() -> None:
            coder_id = self.workbench.coder_id
            for key, value in dialog.changed_counts().items():
                self.workbench.execute(lambda s, key=key, value=value: set_count(s, key=key, value=value,
                                                                                 coder_id=coder_id))

        open_dialog(self, dialog, save)

    def agreement(self) -> None:
        from qualcode.gui.dialogs import open_dialog
        from qualcode.gui.reviews.screening_agreement_dialog import ScreeningAgreementDialog
        from qualcode.services.coders import list_coders

        if not self._ready():
            return
        names = [c.name for c in self.workbench.read(list_coders)]
        open_dialog(self, ScreeningAgreementDialog(self.workbench, names, self.panel.select_study), lambda: None)

    def install(self, menu: Any) -> None:
        menu.addAction("Import references…").triggered.connect(self.import_references)
        menu.addAction("Attach full-text PDFs (matched automatically)…").triggered.connect(self.attach_pdfs)
        menu.addAction("Screening agreement…").triggered.connect(self.agreement)
        menu.addAction("PRISMA counts kept by hand…").triggered.connect(self.edit_counts)
        menu.addSeparator()
        menu.addAction("Export PRISMA flow diagram…").triggered.connect(self.export_prisma)
        menu.addAction("Export characteristics of included studies…").triggered.connect(self.export_studies)
        menu.addAction("Export categories × studies…").triggered.connect(self.export_matrix)
        menu.addAction("Export quotes with page citations…").triggered.connect(self.export_quotes)
        menu.addAction("Export bibliography of included studies…").triggered.connect(self.export_bibliography)


def _write_table(table: Any, path: Path) -> Path:
    from qualcode.io.table_export import write_table

    return write_table(path, title=table.title, header=table.header, rows=table.rows)


def contribute(workbench: Any) -> ReviewActions:
    panel = ReferencesPanel(workbench)
    dock = workbench.add_dock(panel, "References", Qt.DockWidgetArea.BottomDockWidgetArea)
    dock.setObjectName("referencesDock")
    dock.hide()  # shown from the Review menu
    actions = ReviewActions(workbench, panel)
    actions.dock = dock
    menu = workbench.menu("Revie&w")
    menu.addAction("References panel").triggered.connect(actions.show_panel)
    actions.install(menu)
    workbench.add_viewer_layer(LAYER_NAME, page_marks, redraw_after=pages_changed)
    return actions
