"""Keeping a panel in step with the project without reading for it while nobody can see it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class RefreshWhenShown(QObject):
    """`request()` refreshes `panel` now when it is on screen, else the next time it is shown
    or drawn: a closed panel, or one behind another tab of its dock area (which Qt still
    counts as visible), costs nothing on each change."""

    def __init__(self, panel: QWidget, refresh: Callable[[], None]) -> None:
        super().__init__(panel)
        self._panel = panel
        self._refresh = refresh
        self.stale = False
        panel.installEventFilter(self)

    def on_screen(self) -> bool:
        """Shown, and not wholly behind another tab (nothing of it would be drawn)."""
        return self._panel.isVisible() and not self._panel.visibleRegion().isEmpty()

    def request(self) -> None:
        if self.on_screen():
            self.stale = False
            self._refresh()
        else:
            self.stale = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._panel and self.stale:
            if event.type() == QEvent.Type.Show and self.on_screen():
                self.stale = False
                self._refresh()
            elif event.type() == QEvent.Type.Paint:  # its tab was chosen: catch up right after this paint
                self.stale = False
                QTimer.singleShot(0, self._catch_up)
        return False

    def _catch_up(self) -> None:
        if not self.stale:
            self._refresh()
