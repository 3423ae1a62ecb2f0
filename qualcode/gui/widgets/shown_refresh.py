"""Keeping a panel in step with the project without reading for it while it is hidden."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget


class RefreshWhenShown(QObject):
    """`request()` refreshes `panel` now when it is visible, else the next time it is shown:
    a hidden panel (a dock behind another tab) costs nothing on each change."""

    def __init__(self, panel: QWidget, refresh: Callable[[], None]) -> None:
        super().__init__(panel)
        self._panel = panel
        self._refresh = refresh
        self.stale = False
        panel.installEventFilter(self)

    def request(self) -> None:
        if self._panel.isVisible():
            self.stale = False
            self._refresh()
        else:
            self.stale = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._panel and event.type() == QEvent.Type.Show and self.stale:
            self.stale = False
            self._refresh()
        return False
