"""The merge wizard: choose coders' projects, read the dry-run report, then merge.

The preview and the merge each run as a job off the UI thread. The merge writes exactly
what the preview showed (it is refused if the project changed meanwhile: preview again),
in one transaction, after a backup of the project kept for good; it can be undone.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from qualcode.domain.errors import QualCodeError
from qualcode.gui.contributions import Workbench
from qualcode.gui.style import ERROR, tone_name
from qualcode.gui.teamwork.report_view import report_html
from qualcode.gui.widgets.accessible import named
from qualcode.services.commands import Change
from qualcode.services.teamwork.merge import MergePreview, merge_previewed, preview_merge
from qualcode.services.teamwork.merge_files import before_merge_backup
from qualcode.services.teamwork.merge_report import MergeReport, TextDifference


class _SourcesPage(QWizardPage):
    def __init__(self, wizard: MergeWizard) -> None:
        super().__init__(wizard)
        self.setTitle("Projects to merge")
        base = wizard.workbench.project
        self.setSubTitle(f"Their documents, codes and codings are merged into the open project "
                         f"'{base.path.name if base else ''}'. Nothing is written before you confirm.")
        self.files = named(QListWidget(self), "Coders' projects", "Merged in this order")
        self.files.setObjectName("mergeSources")
        add = QPushButton("Add projects…", self)
        add.clicked.connect(self._choose)
        remove = QPushButton("Remove", self)
        remove.clicked.connect(self._remove)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Coders' projects (merged in this order):", self))
        layout.addWidget(self.files)
        layout.addLayout(buttons)

    def _choose(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Projects to merge", "", "QualCode projects (*.qualcode)")
        self.add_paths([Path(p) for p in paths])

    def add_paths(self, paths: list[Path]) -> None:
        known = set(self.paths())
        for path in paths:
            if path not in known:
                self.files.addItem(str(path))
                known.add(path)
        self.completeChanged.emit()

    def _remove(self) -> None:
        for item in self.files.selectedItems():
            self.files.takeItem(self.files.row(item))
        self.completeChanged.emit()

    def paths(self) -> list[Path]:
        return [Path(self.files.item(i).text()) for i in range(self.files.count())]

    def isComplete(self) -> bool:
        return self.files.count() > 0


class _PreviewPage(QWizardPage):
    def __init__(self, wizard: MergeWizard) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self.setTitle("What the merge will do")
        self.setSubTitle("A dry run: read the counts and every conflict, then merge or go back.")
        self.status = QLabel(self)
        self.status.setObjectName("mergeStatus")
        self.status.setWordWrap(True)
        self.report = named(QTextBrowser(self), "What the merge will do", "Counts and every conflict found")
        self.report.setObjectName("mergeReport")
        self.report.setOpenLinks(False)
        save = QPushButton("Save report…", self)
        save.clicked.connect(self._save)
        self.save_button = save
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(save)
        self.take_label = QLabel("Where a coder's text of a document differs, the project's text is kept. "
                                 "Tick a document to take the coder's text instead (codings move with their "
                                 "words; each change can be undone):", self)
        self.take_label.setWordWrap(True)
        self.take_text = named(QListWidget(self), "Documents whose text differs",
                               "Tick a document to take the coder's text instead of the project's")
        self.take_text.setObjectName("mergeTakeText")
        self.take_text.setMaximumHeight(90)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.report, 1)
        layout.addWidget(self.take_label)
        layout.addWidget(self.take_text)
        self._show_differences([])
        self.preview: MergePreview | None = None

    def initializePage(self) -> None:
        self.preview = None
        self.save_button.setEnabled(False)
        self.report.clear()
        self.status.setText("Previewing the merge…")
        self.completeChanged.emit()
        self._wizard.start_preview()

    def show_preview(self, outcome: MergePreview | QualCodeError) -> None:
        if isinstance(outcome, QualCodeError):
            self.show_problem(str(outcome))
            return
        preview = outcome
        self.preview = preview
        self.status.setText(preview.report.summary())
        self.report.setHtml(report_html(preview.report))
        differences: dict[str, TextDifference] = {}
        for source in preview.report.sources:
            for difference in source.text_differences:
                differences[difference.document_uid] = difference  # the last project's text, as merged last
        self._show_differences(list(differences.values()))
        self.save_button.setEnabled(True)
        self.completeChanged.emit()

    def _show_differences(self, differences: list[TextDifference]) -> None:
        self.take_text.clear()
        self._differences = differences
        for difference in differences:
            item = QListWidgetItem(f"{difference.document}: {difference.summary()}")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.take_text.addItem(item)
        self.take_label.setVisible(bool(differences))
        self.take_text.setVisible(bool(differences))

    def chosen_differences(self) -> list[TextDifference]:
        """The documents whose incoming text the user ticked."""
        return [d for i, d in enumerate(self._differences)
                if self.take_text.item(i).checkState() == Qt.CheckState.Checked]

    def show_problem(self, message: str) -> None:
        self.status.setText(f"<span style='color:{tone_name(*ERROR)}'>{html.escape(message)}</span>")

    def _save(self) -> None:
        if self.preview is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, "Save merge report", "merge-report.html",
                                              "HTML (*.html);;Markdown (*.md)")
        if path:
            self._wizard.save_report(Path(path))

    def isComplete(self) -> bool:
        return self.preview is not None


class MergeWizard(QWizard):
    """Merge coders' projects into the open project, after a dry-run report."""

    def __init__(self, workbench: Workbench, parent: QWidget | None = None) -> None:
        super().__init__(parent or workbench.main_window())
        self.workbench = workbench
        self.setObjectName("mergeWizard")
        self.setWindowTitle("Merge coders' projects")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.sources = _SourcesPage(self)
        self.preview_page = _PreviewPage(self)
        self.addPage(self.sources)
        self.addPage(self.preview_page)
        self.setButtonText(QWizard.WizardButton.FinishButton, "Merge")
        self.resize(760, 560)
        self.result_report: MergeReport | None = None
        self.backup: Path | None = None
        self.texts_taken: list[str] = []
        self._merging = False

    def start_preview(self) -> None:
        project = self.workbench.project
        if project is None:
            return
        others = self.sources.paths()

        def job(progress: Any) -> MergePreview | QualCodeError:
            try:
                with project.session() as session:
                    return preview_merge(session, others=others, base_path=project.path, progress=progress)
            except QualCodeError as exc:  # shown on the page, where the user can go back and fix it
                return exc

        self.workbench.run_job("Previewing the merge", job, self.preview_page.show_preview)

    def save_report(self, path: Path) -> Path | None:
        preview = self.preview_page.preview
        if preview is None:
            return None
        return self.workbench.read(lambda _session: preview.report.save(path))

    def accept(self) -> None:
        """Merge (the wizard closes when the merge has been written)."""
        preview = self.preview_page.preview
        project = self.workbench.project
        if preview is None or project is None or self._merging:
            return
        self._merging = True
        coder_id = self.workbench.coder_id
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        self.preview_page.status.setText("Merging…")

        def job(progress: Any) -> Change | QualCodeError:
            try:
                self.backup = before_merge_backup(project.path)
                with project.session() as session:
                    return merge_previewed(session, preview=preview, coder_id=coder_id, progress=progress)
            except QualCodeError as exc:
                return exc

        self.workbench.run_job("Merging projects", job, self._merged)

    def _merged(self, outcome: Change | QualCodeError) -> None:
        self._merging = False
        if isinstance(outcome, QualCodeError):
            self.preview_page.show_problem(f"{outcome} Nothing was merged.")
            self.button(QWizard.WizardButton.FinishButton).setEnabled(True)
            return
        report = outcome.result
        assert isinstance(report, MergeReport)
        self.result_report = report
        self.preview_page.status.setText(report.summary())
        self.texts_taken = self._take_texts(self.preview_page.chosen_differences())
        super().accept()

    def _take_texts(self, differences: list[TextDifference]) -> list[str]:
        """Each ticked document's incoming text, through the text-edit command (one undo step per change)."""
        from qualcode.services.documents import edit_document_text
        from qualcode.services.teamwork.merge_text import REASON, document_id_of, planned_edits

        taken = []
        for difference in differences:
            document_id = self.workbench.read(lambda s, d=difference: document_id_of(s, d))
            edits = self.workbench.read(
                lambda s, i=document_id, d=difference: planned_edits(s, document_id=i, text=d.incoming_text))
            for start, end, replacement in edits:
                self.workbench.execute(
                    lambda s, i=document_id, a=start, b=end, r=replacement: edit_document_text(
                        s, document_id=i, start=a, end=b, replacement=r, coder_id=self.workbench.coder_id,
                        reason=REASON))
            if edits:
                taken.append(difference.document)
        return taken

    def reject(self) -> None:
        if not self._merging:
            super().reject()

    def keyPressEvent(self, event: Any) -> None:
        if event.key() == Qt.Key.Key_Escape and self._merging:
            return
        super().keyPressEvent(event)
