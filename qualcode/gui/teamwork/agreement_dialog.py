"""Inter-coder agreement: choose coders, codes and documents, compute as a job, read, export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qualcode.domain.errors import QualCodeError
from qualcode.domain.text import plural
from qualcode.gui.contributions import Workbench
from qualcode.gui.dialogs import open_dialog
from qualcode.gui.style import ERROR, NOTE, tone_name
from qualcode.gui.teamwork.agreement_model import AgreementTableModel
from qualcode.gui.teamwork.check_list import CheckList
from qualcode.gui.widgets.accessible import named
from qualcode.services.codebook.nodes import list_nodes
from qualcode.services.coders import list_coders
from qualcode.services.documents import list_documents
from qualcode.services.teamwork.agreement import AgreementReport, compute_agreement, export_agreement
from qualcode.services.teamwork.disagreements import CONSENSUS


class AgreementDialog(QDialog):
    """Percentage agreement, kappa (all text / coded text only), alpha and segment F1."""

    def __init__(self, workbench: Workbench, parent: QWidget | None = None) -> None:
        super().__init__(parent or workbench.main_window())
        self.workbench = workbench
        self.setObjectName("agreementDialog")
        self.setWindowTitle("Inter-coder agreement")
        self.report: AgreementReport | None = None
        self.coders = named(CheckList(self), "Coders", "Tick two or more coders to compare")
        self.nodes = named(CheckList(self), "Codes", "The codes whose agreement is measured")
        self.documents = named(CheckList(self), "Documents", "The documents agreement is measured on")
        self.threshold = named(QDoubleSpinBox(self), "Segments match at overlap of at least")
        self.threshold.setRange(5, 100)
        self.threshold.setSingleStep(5)
        self.threshold.setDecimals(0)
        self.threshold.setSuffix(" %")
        self.threshold.setValue(50)
        self.threshold.setToolTip("Two segments match when their shared characters are at least this share of the "
                                  "characters either covers.")
        self.sentences = QCheckBox("Alpha on sentence units", self)
        self.sentences.setChecked(True)
        self.resamples = named(QSpinBox(self), "Confidence interval resamples")
        self.resamples.setObjectName("agreementResamples")
        self.resamples.setRange(0, 10000)
        self.resamples.setSingleStep(500)
        self.resamples.setValue(1000)
        self.resamples.setSpecialValueText("none")
        self.resamples.setToolTip("Bootstrap resamples of the documents for 95% confidence intervals of κ and α "
                                  "(0: none).")
        self.assignments: dict[int, set[int]] = {}
        self.assign_button = QPushButton("Assigned documents…", self)
        self.assign_button.setObjectName("agreementAssignments")
        self.assign_button.setToolTip("Which documents each coder was assigned: the others count as missing for "
                                      "that coder, not as not coded.")
        self.assign_button.clicked.connect(self.edit_assignments)
        self.compute_button = QPushButton("Compute", self)
        self.compute_button.setDefault(True)
        self.compute_button.clicked.connect(self.compute)
        self.export_button = QPushButton("Export…", self)
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self._export)
        self.status = QLabel("Choose two or more coders, then Compute.", self)
        self.status.setObjectName("agreementStatus")
        self.status.setWordWrap(True)
        self.model = AgreementTableModel()
        self.table = named(QTableView(self), "Agreement per code", "Percentage agreement, kappa, alpha and "
                           "segment agreement for each code and overall")
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move between cells
        self.table.setObjectName("agreementTable")
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.notes = QLabel(self)
        self.notes.setObjectName("agreementNotes")
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet(f"color: {tone_name(*NOTE)};")
        self.notes.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.notes_area = named(QScrollArea(self), "Notes on the measures")
        self.notes_area.setWidget(self.notes)
        self.notes_area.setWidgetResizable(True)
        self.notes_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.notes_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.notes_area.setFixedHeight(self.notes.fontMetrics().lineSpacing() * 7)
        self._layout()
        self.coders.selection_changed.connect(self._update_buttons)
        self.load_choices()
        self.resize(1280, 700)

    def _layout(self) -> None:
        choices = QWidget(self)
        grid = QGridLayout(choices)
        grid.setContentsMargins(0, 0, 0, 0)
        for column, (label, widget) in enumerate((("Coders", self.coders), ("Codes", self.nodes),
                                                  ("Documents", self.documents))):
            grid.addWidget(QLabel(f"<b>{label}</b>", choices), 0, column)
            grid.addWidget(widget, 1, column)
        all_codes = QPushButton("All codes used", choices)
        all_codes.clicked.connect(lambda: self.nodes.set_all(True))
        grid.addWidget(all_codes, 2, 1)
        options = QHBoxLayout()
        options.addWidget(QLabel("Segments match at overlap ≥", self))
        options.addWidget(self.threshold)
        options.addSpacing(16)
        options.addWidget(self.sentences)
        options.addSpacing(16)
        options.addWidget(QLabel("CI resamples", self))
        options.addWidget(self.resamples)
        options.addSpacing(16)
        options.addWidget(self.assign_button)
        options.addStretch(1)
        options.addWidget(self.compute_button)
        options.addWidget(self.export_button)
        results = QWidget(self)
        results_layout = QVBoxLayout(results)
        results_layout.setContentsMargins(0, 0, 0, 0)
        results_layout.addWidget(self.status)
        results_layout.addWidget(self.table, 1)
        results_layout.addWidget(self.notes_area)
        splitter = QSplitter(self)
        splitter.setOrientation(splitter.orientation().Vertical)
        splitter.addWidget(choices)
        splitter.addWidget(results)
        splitter.setSizes([180, 500])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(options)

    def load_choices(self) -> None:
        coders = self.workbench.read(list_coders)
        nodes = self.workbench.read(list_nodes)
        documents = self.workbench.read(list_documents)
        people = [c for c in coders if c.name != CONSENSUS]
        self.coders.fill([(c.id, c.name) for c in coders], checked=[c.id for c in people[:2]],
                         colors={c.id: c.color for c in coders})
        depth: dict[int, int] = {}
        for node in nodes:
            depth[node.id] = 0 if node.parent_id is None else depth.get(node.parent_id, 0) + 1
        self.nodes.fill([(n.id, n.name) for n in nodes], checked=[n.id for n in nodes], indents=depth)
        self.documents.fill([(d.id, d.name) for d in documents], checked=[d.id for d in documents])
        from qualcode.services.teamwork.distribute import recorded_assignments

        # What was recorded when the coders' copies were made; changed in "Assigned documents…".
        self.assignments = self.workbench.read(lambda s: recorded_assignments(s, [c.id for c in coders]))
        self.assign_button.setText("Assigned documents… (set)" if self.assignments else "Assigned documents…")
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.compute_button.setEnabled(len(self.coders.checked_ids()) >= 2)

    def compute(self) -> None:
        project = self.workbench.project
        if project is None:
            return
        coder_ids = self.coders.checked_ids()
        node_ids = self.nodes.checked_ids()
        all_nodes = len(node_ids) == self.nodes.count()
        document_ids = self.documents.checked_ids()
        threshold = self.threshold.value() / 100
        sentences = self.sentences.isChecked()
        resamples = self.resamples.value()
        assignments = {coder: sorted(docs & set(document_ids)) for coder, docs in self.assignments.items()
                       if coder in coder_ids}
        self.status.setText("Computing…")

        def job(progress: Any) -> AgreementReport | QualCodeError:
            try:
                with project.session() as session:
                    return compute_agreement(session, coder_ids=coder_ids, node_ids=None if all_nodes else node_ids,
                                             document_ids=document_ids, threshold=threshold,
                                             sentence_units=sentences, resamples=resamples,
                                             assignments=assignments, progress=progress)
            except QualCodeError as exc:
                return exc

        self.workbench.run_job("Computing agreement", job, self.show_report)

    def show_report(self, outcome: AgreementReport | QualCodeError) -> None:
        if isinstance(outcome, QualCodeError):
            self.status.setText(f"<span style='color:{tone_name(*ERROR)}'>{outcome}</span>")
            return
        self.report = outcome
        self.model.set_report(outcome)
        one_pair = len(outcome.coders) == 2  # the status line names them; no need to repeat them per row
        self.table.setColumnHidden(1, one_pair)
        self.table.setColumnHidden(2, one_pair)
        codes = len({row.node_id for row in outcome.rows if row.node_id is not None})
        pair = " (coder A) and ".join(outcome.coders) + " (coder B)" if len(outcome.coders) == 2 else \
            ", ".join(outcome.coders)
        self.status.setText(f"{pair}: {plural(codes, 'code')} over "
                            f"{plural(outcome.documents, 'document')}.")
        self.notes.setText(" ".join(outcome.notes()))
        self.export_button.setEnabled(True)

    def edit_assignments(self) -> None:
        """A grid of documents by chosen coders: tick what each coder was assigned."""
        coders = [(c, self.coders.label(c)) for c in self.coders.checked_ids()]
        documents = [(d, self.documents.label(d)) for d in self.documents.checked_ids()]
        dialog = AssignmentDialog(coders, documents, self.assignments, self)

        def assigned() -> None:
            self.assignments = dialog.assignments()
            self.assign_button.setText("Assigned documents… (set)" if self.assignments else "Assigned documents…")
        open_dialog(self, dialog, assigned)

    def _export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export agreement", "agreement.xlsx",
                                              "Excel (*.xlsx);;Word (*.docx);;CSV (*.csv);;HTML (*.html)")
        if path:
            self.export(Path(path))

    def export(self, path: Path) -> Path | None:
        if self.report is None:
            return None
        report = self.report
        try:
            return export_agreement(report, path)
        except QualCodeError as exc:
            self.status.setText(f"<span style='color:{tone_name(*ERROR)}'>{exc}</span>")
            return None


class AssignmentDialog(QDialog):
    """Documents (rows) by coders (columns), ticked where the coder was assigned the document."""

    def __init__(self, coders: list[tuple[int, str]], documents: list[tuple[int, str]],
                 current: dict[int, set[int]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("assignmentDialog")
        self.setWindowTitle("Assigned documents")
        self._coders = coders
        self._documents = documents
        self.grid = named(QTableWidget(len(documents), len(coders), self), "Documents assigned to each coder",
                          "A row per document, a column per coder; Space ticks or unticks a cell")
        self.grid.setTabKeyNavigation(False)  # Tab moves on; the arrow keys move between cells
        self.grid.setObjectName("assignmentGrid")
        self.grid.setHorizontalHeaderLabels([name for _id, name in coders])
        self.grid.setVerticalHeaderLabels([name for _id, name in documents])
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for row, (doc_id, _name) in enumerate(documents):
            for column, (coder_id, _coder) in enumerate(coders):
                item = QTableWidgetItem()
                item.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
                assigned = coder_id not in current or doc_id in current[coder_id]
                item.setCheckState(Qt.CheckState.Checked if assigned else Qt.CheckState.Unchecked)
                self.grid.setItem(row, column, item)
        note = QLabel("Untick a document a coder was not given: it then counts as missing for that coder "
                      "(left out of that coder's pairs), not as text the coder chose not to code.", self)
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.grid, 1)
        layout.addWidget(buttons)
        self.resize(520, 420)

    def assignments(self) -> dict[int, set[int]]:
        """Coder id -> assigned document ids, for coders not assigned every document listed."""
        result: dict[int, set[int]] = {}
        for column, (coder_id, _coder) in enumerate(self._coders):
            ticked = {doc_id for row, (doc_id, _name) in enumerate(self._documents)
                      if self.grid.item(row, column).checkState() == Qt.CheckState.Checked}
            if len(ticked) < len(self._documents):
                result[coder_id] = ticked
        return result
