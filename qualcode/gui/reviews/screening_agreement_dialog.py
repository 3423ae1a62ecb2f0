"""Two screeners' agreement at a stage: percentage, Cohen's kappa and Krippendorff's alpha
over the records both screened, and the records they disagree on (double-click one to
select it in the References panel)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QListWidget, QVBoxLayout

from qualcode.gui.widgets.accessible import named

STAGES = (("Title/abstract", "title_abstract"), ("Full text", "full_text"))


class ScreeningAgreementDialog(QDialog):
    def __init__(self, workbench: Any, coders: list[str], on_pick: Callable[[str], None]) -> None:
        super().__init__(workbench.main_window())
        self.workbench = workbench
        self.setWindowTitle("Screening agreement")
        self.stage = QComboBox(objectName="agreementStage")
        for label, value in STAGES:
            self.stage.addItem(label, value)
        self.coder_a = QComboBox(objectName="screenerA")
        self.coder_b = QComboBox(objectName="screenerB")
        self.coder_a.addItems(coders)
        self.coder_b.addItems(coders)
        if len(coders) > 1:
            self.coder_b.setCurrentIndex(1)
        self.result = QLabel(objectName="agreementResult")
        self.result.setWordWrap(True)
        self.disagreements = named(QListWidget(objectName="screeningDisagreements"), "Records they disagree on")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Stage:", self.stage)
        form.addRow("Screener A:", self.coder_a)
        form.addRow("Screener B:", self.coder_b)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.result)
        layout.addWidget(QLabel("Records they disagree on:"))
        layout.addWidget(self.disagreements)
        layout.addWidget(buttons)
        for combo in (self.stage, self.coder_a, self.coder_b):
            combo.currentIndexChanged.connect(lambda _index: self.recompute())
        self.disagreements.itemDoubleClicked.connect(lambda item: on_pick(item.text().split(":")[0]))
        self.resize(460, 420)
        self.recompute()

    def recompute(self) -> None:
        from qualcode.services.reviews.agreement import screening_agreement
        from qualcode.services.reviews.references import get_reference

        a, b, stage = self.coder_a.currentText(), self.coder_b.currentText(), self.stage.currentData()
        self.disagreements.clear()
        if not a or not b or a == b:
            self.result.setText("Choose two different screeners.")
            return

        def read(session: Any) -> tuple[Any, list[str]]:
            result = screening_agreement(session, stage=stage, coder_a=a, coder_b=b)
            rows = [f"{get_reference(session, d.reference_id).case_name}: {a} {d.decision_a}, {b} {d.decision_b}"
                    for d in result.disagreements]
            return result, rows

        result, rows = self.workbench.read(read)
        table = result.table
        if table.units == 0:
            self.result.setText(f"No record has been screened by both {a} and {b} at this stage.")
            return
        number = lambda v: "—" if v is None else f"{v:.2f}"
        self.result.setText(
            f"{table.units} records screened by both ({result.only_one_screened} by only one).\n"
            f"Agreement {result.percent:.1f}% · Cohen's κ {number(result.kappa)} · "
            f"Krippendorff's α {number(result.alpha)}\n"
            f"Both included {table.both}, both excluded {table.neither}; only {a} included {table.only_a}, "
            f"only {b} included {table.only_b}.")
        self.disagreements.addItems(rows)
