"""The report shown after a REFI-QDA import or export: what was done, and every deviation."""

from __future__ import annotations

from collections import defaultdict
from html import escape
from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from qualcode.domain.errors import QualCodeError
from qualcode.gui.widgets.accessible import named
from qualcode.io.files import atomic_output
from qualcode.services.exchange.refi import ExchangeReport

# What each kind of deviation means, as a heading the researcher understands.
KIND_LABELS = {
    "selection-position": "Selections whose positions did not fit the text",
    "selection-empty": "Selections left out (no text left once fitted)",
    "selection-unreadable": "Selections without readable positions",
    "position-unit": "How positions were counted",
    "duplicate-selection": "Repeated selections (merged)",
    "duplicate-coding": "Repeated codings (kept once)",
    "coding-present": "Codings already in the project",
    "coding-unknown-code": "Codings of codes missing from the codebook",
    "duplicate-guid": "GUIDs used twice",
    "missing-guid": "Elements without a GUID",
    "non-guid-id": "Ids that are not GUIDs",
    "guid-braces": "GUIDs in braces",
    "guid-case": "GUIDs in mixed case",
    "code-without-name": "Codes without a name",
    "duplicate-code-name": "Codes renamed to keep sibling names apart",
    "levels-inferred": "Theme levels inferred from nesting",
    "levels-inconsistent": "Theme levels that broke the level rule",
    "level-rule": "Codes placed at the top level",
    "too-deep": "Codes nested deeper than four levels",
    "text-encoding": "Text encoding",
    "crlf": "Line ends",
    "folder-case": "Folder names",
    "qde-name": "Project file name",
    "path-scheme": "File paths without a scheme",
    "source-name": "Sources without a name",
    "missing-file": "Missing files",
    "source-skipped": "Sources not imported",
    "source-empty": "Empty sources",
    "media-source": "Audio, video and pictures",
    "docx-only": "Sources with only a Word file",
    "pdf-area": "PDF areas",
    "schema": "Departures from the REFI-QDA schema",
    "namespace": "XML namespace",
    "set": "Sets kept as 'Set:' memos (exported again as sets)",
    "set-member": "Set members not found",
    "codings-dropped": "Codings not imported with their source",
    "links": "Links kept as memos",
    "graphs": "Graphs",
    "case-links": "Codes and selections linked to cases",
    "nameless-case": "Cases without a name",
    "document-same-text": "Documents already in the project",
    "document-changed": "Documents that differ from the project's copy",
    "non-bmp-text": "Texts NVivo may show shifted",
    "xml-character": "Characters XML cannot hold",
    "memo-without-target": "Memos about things no longer in the project",
}


# Shown first: what decides whether the codings sit where they should.
FIRST = ("position-unit", "selection-position", "selection-empty", "coding-unknown-code", "codings-dropped",
         "missing-file", "source-skipped", "schema")


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("-", " ").capitalize())


class ExchangeReportDialog(QDialog):
    """Lists what an import or export did, with its deviations grouped by kind."""

    def __init__(self, report: ExchangeReport, *, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report = report
        self.setWindowTitle(f"{title} — {report.path.name}")
        self.resize(780, 480)
        layout = QVBoxLayout(self)
        self.summary_label = QLabel(f"<b>{escape(report.summary())}</b>")
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)
        facts = []
        if report.producer:
            facts.append(f"Written by {report.producer}")
        if report.counting:
            facts.append(f"positions counted in {report.counting}")
        self.facts_label = QLabel(" · ".join(facts))
        self.facts_label.setVisible(bool(facts))
        layout.addWidget(self.facts_label)
        self.browser = named(QTextBrowser(), "Report", "What the other program wrote differently, by kind")
        self.browser.setOpenLinks(False)
        self.browser.setHtml(self._html())
        layout.addWidget(self.browser, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("Copy report")
        self.save_button = QPushButton("Save report…")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.copy_button.clicked.connect(self.copy_report)
        self.save_button.clicked.connect(self._ask_save)
        layout.addWidget(buttons)

    def groups(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """(heading, [(where, message)]) per kind of deviation: position problems first, then as met."""
        grouped: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for deviation in self.report.deviations:
            grouped[deviation.kind].append((deviation.where, deviation.message))
        order = sorted(grouped, key=lambda kind: FIRST.index(kind) if kind in FIRST else len(FIRST))
        return [(kind_label(kind), grouped[kind]) for kind in order]

    def _html(self) -> str:
        if not self.report.deviations:
            return "<p>Nothing to report: everything followed the standard.</p>"
        parts = []
        for heading, rows in self.groups():
            parts.append(f"<h4 style='margin-bottom:2px'>{escape(heading)} ({len(rows)})</h4><ul style='margin-top:0'>")
            for where, message in rows:
                place = f"<span style='color:#555'>{escape(where)}:</span> " if where else ""
                parts.append(f"<li>{place}{escape(message)}</li>")
            parts.append("</ul>")
        return "".join(parts)

    def text(self) -> str:
        """The whole report as plain text (for the clipboard or a file)."""
        lines = [self.report.summary()]
        if self.facts_label.text():
            lines.append(self.facts_label.text())
        lines += [f"- {deviation}" for deviation in self.report.deviations]
        return "\n".join(lines) + "\n"

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.text())

    def save_report(self, path: Path) -> None:
        with atomic_output(path) as temp:
            temp.write_text(self.text(), encoding="utf-8")

    def _ask_save(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Save report", str(self.report.path.with_suffix(".report.txt")),
                                              "Text files (*.txt)")
        if name:
            try:
                self.save_report(Path(name))
            except QualCodeError as exc:  # e.g. a folder that cannot be written to
                QMessageBox.warning(self, "Save report", str(exc))
