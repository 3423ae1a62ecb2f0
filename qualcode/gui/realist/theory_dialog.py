"""Preview the programme theory as a pathway on a journal page and set the order of its
stages (drag a concept, or Alt+Up / Alt+Down; kept in the project, one undoable step each),
then export it as PNG, SVG or PDF."""

from __future__ import annotations

import io
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from qualcode.domain.errors import QualCodeError
from qualcode.gui.widgets.accessible import named
from qualcode.services.realist.configurations import concepts as all_concepts
from qualcode.services.realist.export import order_stages, programme_theory, set_stage_order, stage_order
from qualcode.viz.pathway import PathwayOptions, draw_pathway, layout_pathway
from qualcode.viz.theory_layout import RC_PARAMS

PREVIEW_DPI = 90


class StageList(QListWidget):
    """The concepts in stage order: drag to reorder, or Alt+Up / Alt+Down."""

    order_changed = Signal(list)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("stageOrder")
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.model().rowsMoved.connect(lambda *_: self.order_changed.emit(self.concepts()))

    def show_concepts(self, concepts: list[str]) -> None:
        self.blockSignals(True)
        self.clear()
        self.addItems(concepts)
        self.blockSignals(False)

    def concepts(self) -> list[str]:
        return [self.item(i).text() for i in range(self.count())]

    def keyPressEvent(self, event: Any) -> None:
        step = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1}.get(Qt.Key(event.key()))
        row = self.currentRow()
        if step and event.modifiers() & Qt.KeyboardModifier.AltModifier and row >= 0 \
                and 0 <= row + step < self.count():
            order = self.concepts()
            order.insert(row + step, order.pop(row))
            self.order_changed.emit(order)
            return
        super().keyPressEvent(event)


class ProgrammeTheoryDialog(QDialog):
    def __init__(self, workbench: Any, export: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent or workbench.main_window())
        self.setWindowTitle("Programme theory")
        self.workbench = workbench
        self.export = export  # called with (width, height) to choose a file and write it
        self.stages = named(StageList(), "Stages", "In the pathway's order; Alt+Up or Alt+Down moves a stage")
        self.stages.order_changed.connect(self._reorder)
        self.width = QDoubleSpinBox(minimum=3.0, maximum=20.0, singleStep=0.25, decimals=2, value=7.0, suffix=" in")
        self.height = QDoubleSpinBox(minimum=3.0, maximum=30.0, singleStep=0.25, decimals=2, value=9.0, suffix=" in")
        for spin in (self.width, self.height):
            spin.valueChanged.connect(self.refresh)
        self.note = QLabel(wordWrap=True, objectName="theoryNote")
        self.preview = QLabel(alignment=Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        scroll = named(QScrollArea(widgetResizable=True), "Diagram preview")
        scroll.setWidget(self.preview)
        export_button = QPushButton("Export image…")
        export_button.clicked.connect(lambda: self.export(self.width.value(), self.height.value()))
        form = QFormLayout()
        form.addRow("Page width", self.width)
        form.addRow("Most height", self.height)
        side = QVBoxLayout()
        side.addWidget(QLabel("<b>Stages</b>, in the pathway's order (drag, or Alt+↑ / Alt+↓):", wordWrap=True))
        side.addWidget(self.stages, 1)
        side.addLayout(form)
        side.addWidget(self.note)
        side.addWidget(export_button)
        layout = QHBoxLayout(self)
        layout.addLayout(side, 1)
        layout.addWidget(scroll, 3)
        self.resize(1000, 720)
        self.refresh()

    def _order(self, session: Any) -> list[str]:
        kept = stage_order(session)
        present = all_concepts(session)
        return [c for c in kept if c in present] + [c for c in present if c not in kept]

    def _reorder(self, order: list[str]) -> None:
        self.workbench.execute(lambda s: set_stage_order(s, concepts=order, coder_id=self.workbench.coder_id))
        self.refresh()

    def refresh(self) -> None:
        if self.workbench.project is None:
            return
        order, theory = self.workbench.read(lambda s: (self._order(s), programme_theory(s)))
        self.stages.show_concepts(order)
        options = PathwayOptions(width=self.width.value(), height=self.height.value())
        try:
            layout = layout_pathway(order_stages(theory, order, strict=False).panels, options)
        except QualCodeError as exc:
            self.preview.setPixmap(QPixmap())
            self.note.setText(str(exc))
            return
        from matplotlib import rc_context

        figure = draw_pathway(layout)
        buffer = io.BytesIO()
        with rc_context(RC_PARAMS):  # type: ignore[arg-type]  # drawn as the exported file is
            figure.savefig(buffer, format="png", dpi=PREVIEW_DPI)
        pixmap = QPixmap()
        pixmap.loadFromData(buffer.getvalue(), "PNG")
        self.preview.setPixmap(pixmap)
        self.note.setText(f"{layout.width / 72:.2f} × {layout.height / 72:.2f} in, text at {layout.font:g} pt.")
