"""Link an existing coding as evidence for a CMO statement: the passage, the configuration
(grouped by concept), which of its statements the passage speaks to, whether it supports or
refutes it, and a memo. The coding stays as it is; the evidence follows it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from qualcode.domain.enums import Stance
from qualcode.services.coding.codings import CodingInfo
from qualcode.services.realist.configurations import ConfigurationInfo
from qualcode.services.realist.evidence import role_title

QUOTE_LIMIT = 400


def _shorten(text: str, limit: int) -> str:
    words = " ".join(text.split())
    return words if len(words) <= limit else words[:limit].rsplit(" ", 1)[0] + "…"


class LinkEvidenceDialog(QDialog):
    """Choose the statement a coding is evidence for. `chosen()` gives (component id, stance,
    memo) once accepted."""

    def __init__(self, coding: CodingInfo, configurations: Sequence[ConfigurationInfo], *,
                 configuration_id: int | None = None, component_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("linkEvidenceDialog")
        self.setWindowTitle("Use coding as CMO evidence")
        self.setMinimumWidth(560)
        self.configurations = {c.id: c for c in configurations}
        quote = QLabel(f"“{_shorten(coding.text, QUOTE_LIMIT)}”", objectName="linkQuote")
        quote.setWordWrap(True)
        quote.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        source = QLabel(f"{coding.document_name} · coded to {coding.node_name} by {coding.coder_name}",
                        objectName="hintLabel")

        self.configuration = QComboBox(objectName="linkConfiguration")
        self.configuration.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.configuration.setMinimumContentsLength(40)
        concept = None
        for config in configurations:
            if config.concept != concept:
                concept = config.concept
                self.configuration.addItem(concept or "No concept")
                model = cast(QStandardItemModel, self.configuration.model())
                model.item(self.configuration.count() - 1).setEnabled(False)  # a concept heads its configurations and cannot be chosen
            self.configuration.addItem(f"    {config.label}  ({config.status})", config.id)
            self.configuration.setItemData(self.configuration.count() - 1, config.sentence, Qt.ItemDataRole.ToolTipRole)
        self.statement = QComboBox(objectName="linkStatement")
        self.statement.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.statement.setMinimumContentsLength(40)
        self.stance = QComboBox(objectName="linkStance")
        self.stance.addItem("Supports the statement", Stance.SUPPORTS.value)
        self.stance.addItem("Refutes the statement", Stance.REFUTES.value)
        self.memo = QLineEdit(objectName="linkMemo", placeholderText="Why this passage bears on the statement")
        self.configuration.currentIndexChanged.connect(lambda _i: self._fill_statements(None))

        form = QFormLayout()
        form.addRow("Configuration", self.configuration)
        form.addRow("Statement", self.statement)
        form.addRow("Stance", self.stance)
        form.addRow("Memo", self.memo)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Link as evidence")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(quote)
        layout.addWidget(source)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

        first = configuration_id if configuration_id in self.configurations else next(iter(self.configurations), None)
        self.configuration.setCurrentIndex(max(0, self.configuration.findData(first)))
        self._fill_statements(component_id)

    def _fill_statements(self, component_id: int | None) -> None:
        self.statement.clear()
        config = self.configurations.get(self.configuration.currentData())
        for component in config.components if config is not None else ():
            self.statement.addItem(f"{role_title(component.role)}: {_shorten(component.statement, 120)}",
                                   component.id)
            self.statement.setItemData(self.statement.count() - 1, component.statement, Qt.ItemDataRole.ToolTipRole)
        if component_id is not None:
            self.statement.setCurrentIndex(max(0, self.statement.findData(component_id)))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self.statement.count() > 0)

    def choose(self, configuration_id: int, component_id: int | None = None) -> None:
        self.configuration.setCurrentIndex(self.configuration.findData(configuration_id))
        if component_id is not None:
            self.statement.setCurrentIndex(self.statement.findData(component_id))

    def chosen(self) -> tuple[int, str, str] | None:
        component = self.statement.currentData()
        if component is None:
            return None
        return int(component), str(self.stance.currentData()), self.memo.text().strip()
