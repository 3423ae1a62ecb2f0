"""The undo adapter: one generic QUndoCommand wraps one service `Command`.

A service command is applied when the user acts, before it reaches the stack, so the first
`redo()` Qt makes on push does nothing; later redos re-apply the command's row journal and
undos revert it, each in its own transaction through the host's `replay`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

from qualcode.services.commands import Change, Command

Replay = Callable[[Callable[[Any], Change]], Change | None]


class ServiceUndoCommand(QUndoCommand):
    """Undo/redo of one applied service command; the stack shows its title ("Undo <title>")."""

    def __init__(self, command: Command, replay: Replay, parent: QUndoCommand | None = None) -> None:
        super().__init__(command.title, parent)
        self.command = command
        self._replay = replay
        self._pending_first_redo = True

    def redo(self) -> None:
        if self._pending_first_redo:
            self._pending_first_redo = False
            return
        self._replay(self.command.apply)

    def undo(self) -> None:
        self._replay(self.command.revert)
