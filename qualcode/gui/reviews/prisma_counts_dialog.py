"""PRISMA counts kept by hand, for what happened outside QualCode: records from registers,
removed by automation tools or for other reasons, duplicates removed before import, reports
not retrieved, and records found in a database but not imported."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
)

from qualcode.gui.widgets.accessible import named
from qualcode.services.reviews.prisma import MANUAL_COUNTS

_MAXIMUM = 10_000_000


def _spin(value: int, name: str) -> QSpinBox:
    spin = QSpinBox(objectName=name)
    spin.setRange(0, _MAXIMUM)
    spin.setGroupSeparatorShown(True)
    spin.setValue(value)
    return spin


class PrismaCountsDialog(QDialog):
    def __init__(self, counts: dict[str, int], parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("PRISMA counts kept by hand")
        self.original = dict(counts)
        self.spins: dict[str, QSpinBox] = {}
        form = QFormLayout()
        for key, label in MANUAL_COUNTS.items():
            self.spins[key] = _spin(counts.get(key, 0), key)
            form.addRow(label[:1].upper() + label[1:] + ":", self.spins[key])
        for key in sorted(k for k in counts if k.startswith("identified: ")):
            self.spins[key] = _spin(counts[key], key)
            form.addRow(f"Also found in {key.removeprefix('identified: ')}, not imported:", self.spins[key])
        self.database = named(QLineEdit(objectName="newDatabase", placeholderText="database, e.g. CINAHL"),
                              "Another database")
        self.database_count = named(_spin(0, "newDatabaseCount"), "Records found in that database")
        extra = QHBoxLayout()
        extra.addWidget(self.database, 1)
        extra.addWidget(self.database_count)
        form.addRow("Records found in another database:", extra)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Counts recorded in QualCode (imports, duplicates, screening decisions) are added "
                                "to these in the flow diagram."))
        layout.addLayout(form)
        layout.addWidget(buttons)

    def changed_counts(self) -> dict[str, int]:
        """The counts that differ from those the dialog opened with."""
        changed = {key: spin.value() for key, spin in self.spins.items()
                   if spin.value() != self.original.get(key, 0)}
        database = " ".join(self.database.text().split())
        if database and self.database_count.value():
            changed[f"identified: {database}"] = self.database_count.value()
        return changed
