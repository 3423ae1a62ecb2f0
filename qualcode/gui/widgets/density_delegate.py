"""Draws a document's coding density (share of its text coded) as a slim bar with a figure."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from qualcode.gui.style import tone

DENSITY_ROLE = Qt.ItemDataRole.UserRole + 10


class DensityDelegate(QStyledItemDelegate):
    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        value = index.data(DENSITY_ROLE)
        if value is None:
            super().paint(painter, option, index)
            return
        fraction = max(0.0, min(float(value), 1.0))
        painter.save()
        if option.state & QStyle.StateFlag.State_Selected:  # type: ignore[operator]
            painter.fillRect(option.rect, option.palette.highlight())
        rect = QRectF(option.rect).adjusted(6, 0, -6, 0)
        text_width = 34.0
        bar = QRectF(rect.left(), rect.center().y() - 3, max(rect.width() - text_width - 4, 10), 6)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(tone("#e6eaef", "#3a414a"))
        painter.drawRoundedRect(bar, 3, 3)
        if fraction > 0:
            painter.setBrush(QColor("#4f8cc9"))
            painter.drawRoundedRect(QRectF(bar.left(), bar.top(), max(bar.width() * fraction, 3), bar.height()), 3, 3)
        painter.setPen(tone("#5a6674", "#a9b3be"))
        painter.drawText(QRectF(bar.right() + 4, rect.top(), text_width, rect.height()),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{fraction:.0%}")
        painter.restore()
