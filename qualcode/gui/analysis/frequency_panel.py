"""Frequencies: codings per node (by level, per coder) and per document, word frequencies with a
bar chart, and the participant characteristics table; each exports as a table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from qualcode.analysis.word_counts import table_rows
from qualcode.domain.enums import AttributeScope
from qualcode.domain.errors import QualCodeError
from qualcode.gui.analysis.scope_bar import ScopeBar
from qualcode.gui.style import ERROR, NOTE, tone_name
from qualcode.gui.widgets.accessible import named
from qualcode.gui.widgets.export_files import FIGURE_FILTER, TABLE_FILTER, save_and_report
from qualcode.gui.widgets.rows_table_model import RowsTableModel
from qualcode.gui.widgets.stale_note import mark_stale
from qualcode.gui.widgets.table_setup import result_table
from qualcode.io.table_export import write_table
from qualcode.services import coders as coder_service
from qualcode.services.cases import cases as case_service
from qualcode.services.commands import Change
from qualcode.services.queries import frequencies as frequency_service
from qualcode.services.queries import participants as participant_service
from qualcode.services.queries.frequencies import WordFrequencies

VIEWS = (("Codings per node, by level", "level"), ("Codings per node and coder", "coder"),
         ("Codings per document", "document"), ("Word frequencies", "words"),
         ("Participant characteristics", "participants"))


class FrequencyPanel(QWidget):
    def __init__(self, workbench: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("frequencyPanel")
        self.workbench = workbench
        self.title, self.description, self.note = "", "", ""
        self.words: WordFrequencies | None = None
        self.view = named(QComboBox(), "What to count")
        for label, value in VIEWS:
            self.view.addItem(label, value)
        self.view.currentIndexChanged.connect(self._update_controls)
        self.group = named(QComboBox(), "Group by")
        self.top = named(QSpinBox(), "How many of the most frequent")
        self.top.setRange(1, 500)
        self.top.setValue(30)
        self.top.setPrefix("top ")
        self.lemmas = QCheckBox("Word forms together")
        self.lemmas.setChecked(True)
        self.lemmas.setToolTip("Count listen, listens, listened and listening as one word (its lemma)")
        self.skip_speakers = named(QLineEdit(), "Leave out speakers", "Speaker labels whose turns are not "
                                   "counted, separated by commas")
        self.skip_speakers.setPlaceholderText("Leave out speakers, e.g. Interviewer")
        self.run_button = QPushButton("Show")
        self.run_button.clicked.connect(self.run)
        self.export_button = QPushButton("Export…")
        self.export_button.clicked.connect(self.export_dialog)
        self.chart_button = QPushButton("Save chart…")
        self.chart_button.clicked.connect(self.chart_dialog)
        row = QHBoxLayout()
        row.addWidget(self.view, 1)
        row.addWidget(self.group)
        row.addWidget(self.top)
        row.addWidget(self.lemmas)
        row.addWidget(self.skip_speakers)
        row.addWidget(self.run_button)
        row.addWidget(self.export_button)
        row.addWidget(self.chart_button)
        self.scope_bar = ScopeBar()
        self.status = QLabel("", objectName="frequencyStatus")
        self.status.setWordWrap(True)
        self.model = RowsTableModel()
        self.table = named(result_table(self.model, "frequencyTable"), "Frequencies")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addLayout(row)
        layout.addWidget(self.scope_bar)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        self._update_controls()

    def _update_controls(self) -> None:
        view = self.view.currentData()
        words, people = view == "words", view == "participants"
        self.group.setVisible(words or people)
        for widget in (self.top, self.lemmas, self.skip_speakers):
            widget.setVisible(words)
        self.scope_bar.setVisible(not people)
        self.chart_button.setVisible(words)
        self.chart_button.setEnabled(self.words is not None)
        self.export_button.setEnabled(bool(self.model.rows))
        self._fill_groups()

    def _fill_groups(self) -> None:
        view = self.view.currentData()
        self.group.clear()
        self.group.addItem("overall", None)
        if self.workbench.project is None:
            return
        attributes = self.workbench.read(case_service.list_attributes)
        if view == "words":
            for label, value in (("by document", "document"), ("by case", "case"), ("by kind", "kind")):
                self.group.addItem(label, value)
        for attribute in attributes:
            if view == "words" or attribute.scope is AttributeScope.CASE:
                self.group.addItem(f"by {attribute.name}", attribute.name)

    def show_table(self, title: str, description: str, header: Any, rows: Any, note: str = "") -> None:
        self.title, self.description, self.note = title, description, note
        self.model.set_rows(header, rows)
        self.table.resizeColumnsToContents()
        self.status.setText(f"<b>{title}</b>; {description}"
                            + (f"<br><span style='color:{tone_name(*NOTE)}'>{note}</span>" if note else ""))
        self.export_button.setEnabled(True)

    def _fail(self, error: QualCodeError) -> None:
        self.model.set_rows([], [])
        self.status.setText(f"<span style='color:{tone_name(*ERROR)}'>{error}</span>")
        self.export_button.setEnabled(False)

    def run(self) -> None:
        if self.workbench.project is None:
            return
        view, group, scope = self.view.currentData(), self.group.currentData(), self.scope_bar.scope()
        self.words = None
        self.chart_button.setEnabled(False)
        if view == "words":
            self._run_words(group, scope)
            return
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            if view == "participants":
                summary = self.workbench.read(lambda s: participant_service.participant_summary(s, group_by=group))
                self.show_table(summary.title, summary.description, summary.header, summary.rows)
            else:
                table = self.workbench.read(lambda s: frequency_service.coding_frequencies(s, by=view, scope=scope))
                self.show_table(table.title, table.description, table.header, table.rows)
        except QualCodeError as exc:
            self._fail(exc)
        finally:
            QGuiApplication.restoreOverrideCursor()

    def _run_words(self, group: str | None, scope: Any) -> None:
        project = self.workbench.project
        top, lemmas = self.top.value(), self.lemmas.isChecked()
        skip = [part.strip() for part in self.skip_speakers.text().split(",") if part.strip()]

        def job(progress: Any) -> WordFrequencies | QualCodeError:
            try:
                with project.session() as session:  # the job's own session, off the UI thread
                    return frequency_service.word_frequencies(session, top=top, lemmas=lemmas, group_by=group,
                                                              scope=scope, exclude_speakers=skip, progress=progress)
            except QualCodeError as exc:
                return exc

        self.status.setText("Counting words…")
        self.workbench.run_job("Counting words", job, self._words_done)

    def _words_done(self, result: WordFrequencies | QualCodeError) -> None:
        if isinstance(result, QualCodeError):
            self._fail(result)
            return
        self.words = result
        header, rows = table_rows(result.table, show_groups=result.grouped)
        self.show_table(result.title, result.description, header, rows, result.note)
        self.chart_button.setEnabled(bool(result.table.rows))

    def export_to(self, path: str | Path) -> Path:
        return write_table(path, title=self.title, header=self.model.header, rows=self.model.rows,
                           notes=[self.description] + ([self.note] if self.note else []))

    def save_chart(self, path: str | Path, *, dpi: int = 200) -> Path:
        from qualcode.viz.bar_chart import bar_chart
        from qualcode.viz.figure_files import save_figure

        assert self.words is not None
        table = self.words.table
        values = [list(r.by_group) for r in table.rows] if self.words.grouped else [r.total for r in table.rows]
        figure = bar_chart([r.word for r in table.rows], values, title=self.words.title, value_label="Occurrences",
                           groups=table.groups if self.words.grouped else (), subtitle=self.words.description)
        return save_figure(figure, path, dpi=dpi)

    def export_dialog(self) -> None:
        save_and_report(self.workbench, self, "Export table", "table.docx", TABLE_FILTER, self.export_to)

    def chart_dialog(self) -> None:
        save_and_report(self.workbench, self, "Save chart", "words.png", FIGURE_FILTER, self.save_chart)


    def on_change(self, change: Change | None) -> None:
        if change is not None and self.model.rowCount():
            mark_stale(self.status, change)
        if change is None:
            self.words = None
            self.model.set_rows([], [])
            self.status.setText("")
        if change is None or change.affects("coder"):
            self.scope_bar.set_coders(self.workbench.read(coder_service.list_coders) if self.workbench.project else [])
        if change is None or change.affects("attribute"):
            self._update_controls()
