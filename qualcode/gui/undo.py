"""The undo adapter: one generic QUndoCommand wraps the service `Command`s of one user action
(usually one; several for a compound edit such as "create a code and apply it", or for a job
such as an import).

Service commands are applied when the user acts, before they reach the stack, so the first
`redo()` Qt makes on push does nothing; later redos re-apply each command's row journal in
order and undos revert them in reverse — all of one step in one transaction through `replay`,
announced as one change.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtGui import QUndoCommand

from qualcode.services.commands import Change, Command

Replay = Callable[[Callable[[Any], Change]], Change | None]


def merge_changes(title: str, changes: Sequence[Change]) -> Change:
    """One change standing for several (a single one is returned as it is, with its command)."""
    if len(changes) == 1:
        return changes[0]
    touched: dict[str, set[tuple[Any, ...]]] = {}
    for change in changes:
        for table, keys in change.touched.items():
            touched.setdefault(table, set()).update(keys)
    # The rows travel along when every part carries its own, so views still update in place.
    known = all(change.rows or not change.touched for change in changes)
    rows = tuple(row for change in changes for row in change.rows) if known else ()
    return Change(title, {table: frozenset(keys) for table, keys in touched.items()}, rows=rows)


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
        title = self.text()
        self._replay(lambda session: merge_changes(title, [c.apply(session) for c in self.commands]))

    def undo(self) -> None:
        title = f"Undo {self.text()}"
        self._replay(lambda session: merge_changes(title, [c.revert(session) for c in reversed(self.commands)]))
