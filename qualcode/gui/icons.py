"""Icons drawn in code (crisp at any scale, no image files): theme-level badges and swatches."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPainterPath, QPen, QPixmap, QPolygonF

from qualcode.domain.levels import Level

_LETTERS = {Level.GLOBAL: "G", Level.ORGANISING: "O", Level.BASIC: "B", Level.CODE: ""}


def _canvas(size: int) -> tuple[QPixmap, QPainter]:
    pixmap = QPixmap(size * 2, size * 2)
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    return pixmap, painter


@cache
def level_icon(level: Level, color: str, size: int = 16) -> QIcon:
    """A badge whose shape tells the theme level and whose fill is the node's colour:
    global = circle, organising = rounded square, basic = diamond, code = small tag dot."""
    pixmap, painter = _canvas(size)
    fill = QColor(color)
    painter.setPen(QPen(fill.darker(135), 1.0))
    painter.setBrush(fill)
    s = float(size)
    if level is Level.GLOBAL:
        painter.drawEllipse(QRectF(1, 1, s - 2, s - 2))
    elif level is Level.ORGANISING:
        painter.drawRoundedRect(QRectF(1.5, 1.5, s - 3, s - 3), 3.5, 3.5)
    elif level is Level.BASIC:
        c = s / 2
        painter.drawPolygon(QPolygonF([QPointF(c, 1), QPointF(s - 1, c), QPointF(c, s - 1), QPointF(1, c)]))
    else:
        path = QPainterPath()
        path.addRoundedRect(QRectF(3, 4.5, s - 6, s - 9), 2.5, 2.5)
        painter.drawPath(path)
    letter = _LETTERS[level]
    if letter:
        font = QFont()
        font.setPixelSize(int(s * 0.56))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("#ffffff") if fill.lightnessF() < 0.72 else QColor("#1f2933"))
        painter.drawText(QRectF(0, 0, s, s), Qt.AlignmentFlag.AlignCenter, letter)
    painter.end()
    return QIcon(pixmap)


@cache
def swatch_icon(color: str, size: int = 14) -> QIcon:
    """A small rounded colour square (colour buttons, coder lists)."""
    pixmap, painter = _canvas(size)
    fill = QColor(color)
    painter.setPen(QPen(fill.darker(140), 1.0))
    painter.setBrush(fill)
    painter.drawRoundedRect(QRectF(1.5, 1.5, size - 3, size - 3), 3, 3)
    painter.end()
    return QIcon(pixmap)
