"""The progress/cancel protocol every long job takes (import, merge, export, NLP ...).

The GUI passes an object backed by a progress dialog, the CLI one backed by a progress
bar, tests a `RecordingProgress`. Jobs call `update` as they go and stop with
`CancelledError` when `cancelled()` turns true, leaving nothing half-written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from qualcode.domain.errors import CancelledError


class Progress(Protocol):
    def update(self, done: int, total: int, message: str = "") -> None: ...

    def cancelled(self) -> bool: ...


class NullProgress:
    """Progress that reports nowhere and never cancels."""

    def update(self, done: int, total: int, message: str = "") -> None:
        return None

    def cancelled(self) -> bool:
        return False


@dataclass
class RecordingProgress:
    """Keeps every update; cancels after `cancel_after` updates (for tests)."""

    cancel_after: int | None = None
    updates: list[tuple[int, int, str]] = field(default_factory=list)

    def update(self, done: int, total: int, message: str = "") -> None:
        self.updates.append((done, total, message))

    def cancelled(self) -> bool:
        return self.cancel_after is not None and len(self.updates) >= self.cancel_after


def check_cancelled(progress: Progress) -> None:
    """Raise CancelledError when the user asked to stop."""
    if progress.cancelled():
        raise CancelledError("Cancelled: nothing was changed.")
