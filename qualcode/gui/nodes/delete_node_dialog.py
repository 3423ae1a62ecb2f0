"""Delete a node, choosing what happens to its codings."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QRadioButton, QVBoxLayout, QWidget

from qualcode.domain.text import plural
from qualcode.services.codebook.nodes import NodeInfo


class DeleteNodeDialog(QDialog):
    def __init__(self, parent: QWidget, node: NodeInfo, own_codings: int, parent_name: str | None,
                 children: int) -> None:
        super().__init__(parent)
        self.setObjectName("deleteNodeDialog")
        self.setWindowTitle(f"Delete '{node.name}'")
        self.setMinimumWidth(440)
        text = f"Delete <b>{node.name}</b> ({node.level.label.lower()})?"
        if children:
            where = f"'{parent_name}'" if parent_name else "the top level"
            text += f"<br/>Its {plural(children, 'sub-node')} will move up to {where}."
        intro = QLabel(text)
        intro.setWordWrap(True)
        self.delete_codings = QRadioButton(f"Delete its {plural(own_codings, 'coding')}")
        self.move_codings = QRadioButton(f"Move its codings to '{parent_name}'" if parent_name
                                         else "Move its codings to its parent (it has none)")
        self.move_codings.setEnabled(parent_name is not None)
        (self.move_codings if parent_name is not None else self.delete_codings).setChecked(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Delete")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        note = QLabel("You can undo this with Edit › Undo.", objectName="panelHint")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addSpacing(6)
        layout.addWidget(self.delete_codings)
        layout.addWidget(self.move_codings)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def codings_choice(self) -> str:
        return "move_to_parent" if self.move_codings.isChecked() else "delete"
