"""Long jobs off the UI thread: a QRunnable on the global QThreadPool, a progress dialog with
Cancel, and the result (or the user error) delivered back on the UI thread.

The job is a plain function `job(progress)` (see qualcode.domain.progress). It must open its
own project session(s); it never shares the window's.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from qualcode.domain.errors import CancelledError, QualCodeError

T = TypeVar("T")


class DialogProgress(QObject):
    """A `Progress` for a job thread, shown in a QProgressDialog on the UI thread."""

    _updated = Signal(int, int, str)

    def __init__(self, title: str, parent: QWidget) -> None:
        super().__init__(parent)
        self._cancel = threading.Event()
        self.dialog = QProgressDialog(title, "Cancel", 0, 0, parent)
        self.dialog.setObjectName("jobProgress")
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        # Wide enough for its title in the title bar (with room for the window's buttons).
        title_width = self.dialog.fontMetrics().horizontalAdvance(title)
        self.dialog.setMinimumWidth(min(max(420, title_width + 180), 900))
        self.dialog.setMinimumDuration(400)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self.cancel)
        self._updated.connect(self._show, Qt.ConnectionType.QueuedConnection)

    # -- the Progress protocol (called from the job thread) -----------------------------------
    def update(self, done: int, total: int, message: str = "") -> None:
        self._updated.emit(done, total, message)

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    # -- UI thread ----------------------------------------------------------------------------
    def cancel(self) -> None:
        self._cancel.set()
        self.dialog.setLabelText("Cancelling…")

    def _show(self, done: int, total: int, message: str) -> None:
        if self._cancel.is_set():
            return
        self.dialog.setMaximum(max(total, 0))
        self.dialog.setValue(min(done, total) if total > 0 else 0)
        if message:
            self.dialog.setLabelText(message)

    def close(self) -> None:
        self.dialog.canceled.disconnect(self.cancel)
        self.dialog.close()
        self.dialog.deleteLater()


class _Signals(QObject):
    finished = Signal(object)
    failed = Signal(object, str)


class Job(QRunnable):
    """Runs `work(progress)` on a pool thread and reports back through queued signals."""

    def __init__(self, work: Callable[[Any], Any], progress: Any) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.signals = _Signals()
        self._work = work
        self._progress = progress

    def run(self) -> None:
        try:
            result = self._work(self._progress)
        except BaseException as exc:  # delivered to the UI thread, which decides what to show
            self.signals.failed.emit(exc, traceback.format_exc())
        else:
            self.signals.finished.emit(result)


class JobRunner(QObject):
    """Starts jobs with a progress dialog; keeps them alive until they report back."""

    job_failed = Signal(str)  # a user-facing message
    job_cancelled = Signal(str)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._parent = parent
        self._running: list[tuple[Job, DialogProgress]] = []

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def start(self, title: str, work: Callable[[Any], Any], on_done: Callable[[Any], None]) -> DialogProgress:
        progress = DialogProgress(title, self._parent)
        job = Job(work, progress)
        entry = (job, progress)
        self._running.append(entry)

        def finished(result: object) -> None:
            self._finish(entry)
            on_done(result)

        def failed(exc: BaseException, trace: str) -> None:
            self._finish(entry)
            if isinstance(exc, CancelledError):
                self.job_cancelled.emit(f"{title}: {exc}")
            elif isinstance(exc, QualCodeError):
                self.job_failed.emit(str(exc))
            else:
                self.job_failed.emit(f"{title} failed unexpectedly: {exc}\n\n{trace}")

        job.signals.finished.connect(finished, Qt.ConnectionType.QueuedConnection)
        job.signals.failed.connect(failed, Qt.ConnectionType.QueuedConnection)
        QThreadPool.globalInstance().start(job)
        return progress

    def _finish(self, entry: tuple[Job, DialogProgress]) -> None:
        if entry in self._running:
            self._running.remove(entry)
        entry[1].close()

    def wait(self, msecs: int = 30000) -> bool:
        return QThreadPool.globalInstance().waitForDone(msecs)


class BackgroundTask(QRunnable):
    """Fire-and-forget preparation work (loading a language pipeline); errors are ignored
    because the foreground path does the same work again when needed."""

    def __init__(self, work: Callable[[], object]) -> None:
        super().__init__()
        self._work = work

    def run(self) -> None:
        try:
            self._work()
        except Exception:
            traceback.print_exc()


def run_in_background(work: Callable[[], object]) -> None:
    QThreadPool.globalInstance().start(BackgroundTask(work))


class ReadAhead(Generic[T]):
    """A read started now on a thread of its own and collected later on the UI thread (the
    counts a project opens with, read while the window builds everything else). `result()`
    is None when the read failed: the caller then reads for itself."""

    def __init__(self, work: Callable[[], T]) -> None:
        self._result: T | None = None
        self._thread = threading.Thread(target=self._run, args=(work,), name="qualcode-read-ahead", daemon=True)
        self._thread.start()

    def _run(self, work: Callable[[], T]) -> None:
        try:
            self._result = work()
        except Exception:  # the UI thread reads the same again, and reports what goes wrong then
            self._result = None

    def result(self, seconds: float = 60.0) -> T | None:
        self._thread.join(seconds)
        return None if self._thread.is_alive() else self._result


class QuietJob(QObject):
    """Work the user need not wait for (a backup after opening): no dialog, the result or the
    error delivered on the UI thread, and `wait()` for whoever must not go on before it ends."""

    def __init__(self, work: Callable[[], Any], on_done: Callable[[Any], None],
                 on_failed: Callable[[BaseException], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ended = threading.Event()

        def run(_progress: object) -> Any:
            try:
                return work()
            finally:
                self._ended.set()

        self._job = Job(run, None)
        self._job.signals.finished.connect(on_done, Qt.ConnectionType.QueuedConnection)
        self._job.signals.failed.connect(lambda exc, _trace: on_failed(exc), Qt.ConnectionType.QueuedConnection)
        QThreadPool.globalInstance().start(self._job)

    @property
    def ended(self) -> bool:
        return self._ended.is_set()

    def wait(self, seconds: float | None = None) -> bool:
        """Block until the work has ended (not until its result is delivered); False on timeout."""
        return self._ended.wait(seconds)
