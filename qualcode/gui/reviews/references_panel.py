"""The References panel: every study record with search, sorting and its screening status;
include or exclude the selected records (with a reason from the team's list) at the stage
each has reached; blind screening shows only one's own decisions; import reference files and
attach a PDF; double-click opens the study's full text."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from qualcode.gui.reviews.reference_model import ReferenceTableModel
from qualcode.gui.widgets.accessible import named
from qualcode.gui.widgets.shown_refresh import RefreshWhenShown
from qualcode.gui.widgets.table_setup import result_table
from qualcode.services.reviews.overview import ReferenceRow

REFERENCE_FILTER = ("Reference lists (*.ris *.bib *.json *.xml *.txt);;RIS (*.ris);;BibTeX (*.bib);;"
                    "CSL-JSON (*.json);;EndNote XML (*.xml);;APA/Harvard list (*.txt)")
# Study, Year, Title, Source, Database, Status, PDF: fixed widths (measuring 1,700 rows is slow).
_WIDTHS = (150, 48, 300, 170, 90, 170, 40)
_TABLES = ("reference", "screening_decision", "screening_reason", "case", "document", "case_document",
           "prisma_count")


class ReferencesPanel(QWidget):
    def __init__(self, workbench: Any) -> None:
        super().__init__()
        self.workbench = workbench
        self.search = named(QLineEdit(placeholderText="Search title, authors, source, status…",
                                      objectName="referenceSearch"), "Search references")
        self.search.setClearButtonEnabled(True)
        self.blind = QCheckBox("Blind: only my decisions", objectName="blindScreening")
        self.model = ReferenceTableModel()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.table = named(result_table(self.proxy, "referenceTable", multi=True), "References",
                           "One record per row with its screening decisions; choose records to include or "
                           "exclude them")
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # author–year order as the service gives it
        header = self.table.horizontalHeader()
        for column, width in enumerate(_WIDTHS):
            header.resizeSection(column, width)
        # The title keeps a readable width (the list scrolls sideways in a narrow dock) and the
        # last column takes any room left over.
        header.setMinimumSectionSize(36)
        header.setStretchLastSection(True)
        self.summary = QLabel(objectName="referenceSummary")
        self.include_button = QPushButton("Include", objectName="includeButton")
        self.exclude_button = QPushButton("Exclude", objectName="excludeButton")
        self.reason = named(QComboBox(objectName="exclusionReason"), "Reason for excluding")
        self.reason.setEditable(True)
        self.reason.setMinimumContentsLength(18)
        self.reason.lineEdit().setPlaceholderText("reason for excluding")
        self.database = named(QLineEdit(objectName="importDatabase", placeholderText="database"),
                              "Database the records come from")
        self.database.setToolTip("Where the records were found, e.g. MEDLINE (default: the file name)")
        self.database.setMaximumWidth(200)
        self.add_reason_button = QPushButton("Add to list", objectName="addReason")
        self.add_reason_button.setToolTip("Add the reason typed to the team's list of full-text exclusion reasons")
        self.import_button = QPushButton("Import references…", objectName="importReferences")
        self.attach_button = QPushButton("Attach PDF…", objectName="attachPdf")
        self.details = named(QTextBrowser(objectName="referenceDetails"), "Chosen record", "Its abstract and details")
        self.details.setOpenExternalLinks(True)
        self.details.setPlaceholderText("Select a record to read its abstract.")
        self.report = named(QPlainTextEdit(objectName="referenceReport", readOnly=True), "Import report")
        self.table.setMinimumHeight(150)  # a handful of records even when the dock shares its area
        self.report.hide()

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.blind)
        actions = QHBoxLayout()
        for widget in (self.include_button, self.exclude_button, self.reason, self.add_reason_button):
            actions.addWidget(widget)
        actions.addStretch(1)
        actions.addWidget(self.attach_button)
        actions.addWidget(self.database)
        actions.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        side = QSplitter(Qt.Orientation.Vertical)  # the record read beside the list; import reports under it
        side.addWidget(self.details)
        side.addWidget(self.report)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout.addWidget(split, 1)
        layout.addWidget(self.summary)
        layout.addLayout(actions)

        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.blind.toggled.connect(lambda _checked: self.refresh())
        self.include_button.clicked.connect(self.include_selected)
        self.exclude_button.clicked.connect(self.exclude_selected)
        self.import_button.clicked.connect(self.choose_reference_files)
        self.add_reason_button.clicked.connect(self.add_reason)
        self.attach_button.clicked.connect(self.choose_pdf)
        self.table.doubleClicked.connect(self.open_full_text)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self._refresher = RefreshWhenShown(self, self.refresh)  # a hidden panel catches up when shown
        workbench.changed.connect(self._on_changed)
        self._refresher.request()

    # -- reading ---------------------------------------------------------------------------

    def _on_changed(self, change: Any) -> None:
        if change is None or change.affects(*_TABLES):
            self._refresher.request()

    def refresh(self) -> None:
        from qualcode.services.reviews.overview import reference_rows
        from qualcode.services.reviews.screening import list_reasons

        if self.workbench.project is None:
            self.model.set_records([])
            self.summary.setText("No project open.")
            self._update_buttons()
            return
        coder_id, blind = self.workbench.coder_id, self.blind.isChecked()
        rows, reasons = self.workbench.read(lambda s: (reference_rows(s, coder_id=coder_id, blind=blind),
                                                       list_reasons(s, stage="full_text")))
        selected = {r.reference_id for r in self.selected_rows()}
        self.model.set_records(rows)
        self._reselect(selected)
        current = self.reason.currentText()
        self.reason.clear()
        self.reason.addItems(reasons)
        self.reason.setEditText(current)
        included = sum(1 for r in rows if r.status == "full text: included")
        pending = sum(1 for r in rows if r.status.endswith("pending") or r.status == "not screened by you")
        self.summary.setText(f"{len(rows):,} studies · {pending:,} to screen · {included:,} included"
                             + (" · blind view" if blind else ""))
        self._update_buttons()

    def _reselect(self, reference_ids: set[int]) -> None:
        from PySide6.QtCore import QItemSelectionModel

        selection = self.table.selectionModel()
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(Qt.ItemDataRole.UserRole) in reference_ids:
                selection.select(index, QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)

    def select_study(self, study: str) -> None:
        """Select and show one study by its case name (search cleared so it is listed)."""
        self.search.clear()
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data() == study:
                self.table.clearSelection()
                self.table.selectRow(row)
                self.table.scrollTo(index)
                return

    def selected_rows(self) -> list[ReferenceRow]:
        rows = sorted({self.proxy.mapToSource(i).row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.row_at(row) for row in rows if row < len(self.model.records)]

    def _selection_changed(self) -> None:
        self._update_buttons()
        rows = self.selected_rows()
        self.details.setHtml(_details_html(rows[0]) if len(rows) == 1 else "")

    def _update_buttons(self) -> None:
        chosen = self.selected_rows()
        has_project = self.workbench.project is not None
        self.include_button.setEnabled(bool(chosen))
        self.exclude_button.setEnabled(bool(chosen))
        self.attach_button.setEnabled(len(chosen) == 1)
        self.import_button.setEnabled(has_project)
        self.add_reason_button.setEnabled(has_project)

    # -- screening -------------------------------------------------------------------------

    def include_selected(self) -> None:
        self._decide(self.selected_rows(), "include", "")

    def exclude_selected(self) -> None:
        self._decide(self.selected_rows(), "exclude", self.reason.currentText().strip())

    def _decide(self, rows: Sequence[ReferenceRow], decision: str, reason: str) -> None:
        """One undoable step for the whole selection, each record at the stage it has reached."""
        from qualcode.services.reviews.screening import decide_many

        coder_id = self.workbench.coder_id
        if coder_id is None:
            self.workbench.show_error("Choose who you are (a coder) before screening.")
            return
        records = [(row.reference_id, str(row.stage or "title_abstract")) for row in rows]
        self.workbench.execute(lambda s: decide_many(s, records=records, decision=decision, coder_id=coder_id,
                                                     reason=reason))

    def add_reason(self) -> None:
        from qualcode.services.reviews.screening import add_reason

        text = self.reason.currentText().strip()
        if self.workbench.execute(lambda s: add_reason(s, stage="full_text", text=text,
                                                       coder_id=self.workbench.coder_id)) is not None:
            self.workbench.status_message(f"Added '{text}' to the exclusion reasons")

    # -- files -----------------------------------------------------------------------------

    def choose_reference_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "Import references", "", REFERENCE_FILTER)
        if names:
            self.import_files([Path(n) for n in names])

    def import_files(self, paths: Sequence[Path]) -> None:
        """Import the reference files one after another off the UI thread, each one undoable
        step; a file that cannot be read is reported and the others still land."""
        self._queue = list(paths)
        self._lines: list[str] = []
        self._import_next()

    def _import_next(self) -> None:
        from qualcode.domain.errors import QualCodeError
        from qualcode.services.reviews.references import import_reference_file

        project, coder_id = self.workbench.project, self.workbench.coder_id
        if not self._queue or project is None:
            if self._lines:
                self.report.setPlainText("\n".join(self._lines))
                self.report.show()
            return
        path = self._queue.pop(0)
        database = self.database.text().strip()

        def job(_progress: Any) -> Any:
            try:
                with project.session() as session:
                    return import_reference_file(session, path=path, database=database, coder_id=coder_id)
            except QualCodeError as exc:
                return exc

        def done(outcome: Any) -> None:
            if isinstance(outcome, QualCodeError):
                self._lines.append(f"{path.name}: not imported: {outcome}")
            else:
                result = outcome.result
                self._lines.append(f"{path.name} ({result.database}): {len(result.imported)} new studies, "
                                   f"{len(result.duplicates)} duplicates, {len(result.unparsed)} not read")
                self._lines += [f"  duplicate ({d.reason}) of {d.kept_as}: {d.title[:60]}"
                                for d in result.duplicates[:20]]
                self._lines += [f"  line {u.line}: {u.problem}" for u in result.unparsed]
            self._import_next()

        self.workbench.run_job(f"Importing {path.name}", job, done)

    def choose_pdfs_to_match(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "Attach full texts (matched by DOI, file name or title)", "",
                                                "PDF (*.pdf)")
        if names:
            self.attach_matching([Path(n) for n in names])

    def attach_matching(self, paths: Sequence[Path]) -> None:
        """Attach each PDF to the study it matches, one file after another off the UI thread
        (one undoable step each); a line per file says where it went or why not."""
        self._pdf_queue = list(paths)
        self._pdf_lines: list[str] = []
        self._attach_next()

    def _attach_next(self) -> None:
        from qualcode.domain.errors import QualCodeError
        from qualcode.services.reviews.fulltexts import attach_pdf, match_pdf

        project, coder_id = self.workbench.project, self.workbench.coder_id
        if not self._pdf_queue or project is None:
            self.report.setPlainText("\n".join(self._pdf_lines))
            self.report.show()
            return
        path = self._pdf_queue.pop(0)
        line = [f"{path.name}: not attached"]  # the job's line for the report, read once it has ended

        def job(_progress: Any) -> Any:
            try:
                with project.session() as session:
                    candidate = match_pdf(session, path=path)
                    if candidate.reference_id is None:
                        line[0] = f"{path.name}: not attached: {candidate.how}"
                        return None
                    change = attach_pdf(session, reference_id=candidate.reference_id, path=path,
                                        paged=candidate.paged, coder_id=coder_id)
                    line[0] = f"{path.name}: {candidate.study} (by {candidate.how})"
                    return change
            except QualCodeError as exc:
                line[0] = f"{path.name}: not attached: {exc}"
                return None

        def done(_outcome: Any) -> None:
            self._pdf_lines.append(line[0])
            self._attach_next()

        self.workbench.run_job(f"Attaching {path.name}", job, done)

    def choose_pdf(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Attach the full text", "", "PDF (*.pdf)")
        if name:
            self.attach_file(Path(name))

    def attach_file(self, path: Path) -> None:
        from qualcode.services.reviews.fulltexts import attach_pdf

        rows = self.selected_rows()
        if len(rows) != 1:
            self.workbench.show_error("Select one study to attach its PDF to.")
            return
        row = rows[0]
        if self.workbench.execute(lambda s: attach_pdf(s, reference_id=row.reference_id, path=path,
                                                       coder_id=self.workbench.coder_id)) is not None:
            self.workbench.status_message(f"Attached {path.name} to {row.study}")

    def open_full_text(self, index: QModelIndex) -> None:
        row = self.model.row_at(self.proxy.mapToSource(index).row())
        if row.document_id is None:
            self.workbench.status_message(f"{row.study} has no PDF yet: Attach PDF… adds one.")
            return
        self.workbench.show_span(row.document_id, 0, 0)


def _details_html(row: ReferenceRow) -> str:
    """The record as a reader screens it: citation, status, abstract."""
    from html import escape

    doi = f' <a href="https://doi.org/{escape(row.doi)}">doi:{escape(row.doi)}</a>' if row.doi else ""
    abstract = escape(row.abstract) if row.abstract else "<i>No abstract in the reference file.</i>"
    return (f"<p><b>{escape(row.title)}</b></p><p>{escape(row.authors)} ({row.year or 'n.d.'}). "
            f"<i>{escape(row.source)}</i>.{doi}</p><p style='color:#555'>{escape(row.database)} · "
            f"{escape(row.status)}</p><p>{abstract}</p>")
