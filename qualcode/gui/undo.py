"""The undo adapter: one generic QUndoCommand wraps the service `Command`s of one user action
(usually one; several for a compound edit such as "create a code and apply it").

Service commands are applied when the user acts, before they reach the stack, so the first
`redo()` Qt makes on push does nothing; later redos re-apply each command's row journal in
order and undos revert them in reverse, each in its own transaction through `replay`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtGui import QUndoCommand

from qualcode.services.commands import Change, Command

Replay = Callable[[Callable[[Any], Change]], Change | None]


class ServiceUndoCommand(QUndoCommand):
    """Undo/redo of applied service commands; the stack shows the title ("Undo <title>")."""

    def __init__(self, commands: Sequence[Command], replay: Replay, title: str | None = None) -> None:
        super().__init__(title or commands[0].title)
        self.commands = list(commands)
        self._replay = replay
        self._pending_first_redo = True

    def redo(self) -> None:
        if self._pending_first_redo:
            self._pending_first_redo = False
            return
        for command in self.commands:
            self._replay(command.apply)

    def undo(self) -> None:
        for command in reversed(self.commands):
            self._replay(command.revert)
