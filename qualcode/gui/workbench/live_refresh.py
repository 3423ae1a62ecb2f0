"""Others' changes on a team project shown without a reload: a background thread waits for
the server's notifications and hands each batch to the window as a `Change`, which the
window announces through `changed` like one of its own steps. A timer asks who else is
connected, for the status bar."""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal


class LiveRefresh(QObject):
    """Started when a team project opens, stopped when it closes."""

    changes_arrived = Signal(object)  # Change (from the listener thread; delivered queued)
    members_changed = Signal(list)  # names of the members connected now

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._project: Any = None
        self._timer = QTimer(self)
        self._timer.setInterval(10_000)
        self._timer.timeout.connect(self.poll_members)

    def start(self, project: Any, own_role: str | None) -> None:
        from qualcode.services.teamwork import live

        self.stop()
        self._project = project
        self._stop = threading.Event()
        listener = live.listen(project)  # connect here, so a failure is reported where the project opens
        stop = self._stop

        def run() -> None:
            try:
                while not stop.is_set():
                    change = live.as_change(listener.changes(timeout=0.5), own_role=own_role)
                    if change is not None and not stop.is_set():
                        self.changes_arrived.emit(change)
            except Exception:  # the connection dropped: the window keeps working without live updates
                pass
            finally:
                listener.close()

        self._thread = threading.Thread(target=run, name="qualcode-live", daemon=True)
        self._thread.start()
        self._timer.start()
        self.poll_members()

    def poll_members(self) -> None:
        from qualcode.domain.errors import QualCodeError
        from qualcode.services.teamwork import live

        if self._project is None:
            return
        try:
            self.members_changed.emit(live.who_is_working(self._project))
        except QualCodeError:
            self.members_changed.emit([])

    def stop(self) -> None:
        self._timer.stop()
        self._stop.set()
        if self._thread is not None:
            self._thread.join(2.0)
        self._thread = None
        self._project = None
