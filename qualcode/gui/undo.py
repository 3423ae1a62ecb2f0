"""The undo adapter: one generic QUndoCommand wraps the service `Command`s of one user action
(usually one; several for a compound edit such as "create a code and apply it", or for a job
such as an import).

Service commands are applied when the user acts, before they reach the stack, so the first
`redo()` Qt makes on push does nothing; later redos re-apply each command's row journal in
order and undos revert them in reverse — all of one step in one transaction through `replay`,
announced as one change.

On a team project an undo (or redo) is refused when someone else changed the same rows
since: `replay` then answers REFUSED and the step stays where it was on the stack
(`keep_refused_step` moves the stack's index back without touching the project), so it can
be tried again later and the rest of the history is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtGui import QUndoCommand, QUndoStack

from qualcode.services.commands import Change, Command


class Refused:
    """What `replay` answers when the step was refused (someone else changed the same thing)."""


REFUSED = Refused()
Replay = Callable[[Callable[[Any], Change]], Change | Refused | None]


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
        self._skip_next = True  # the first redo, on push: the commands are applied already
        self.refused: str | None = None  # "undo" or "redo" when the last attempt was refused

    def redo(self) -> None:
        if self._skip_next:
            self._skip_next = False
            return
        title = self.text()
        outcome = self._replay(lambda session: merge_changes(title, [c.apply(session) for c in self.commands]))
        self.refused = "redo" if outcome is REFUSED else None

    def undo(self) -> None:
        if self._skip_next:
            self._skip_next = False
            return
        title = f"Undo {self.text()}"
        outcome = self._replay(lambda session: merge_changes(title, [c.revert(session) for c in reversed(self.commands)]))
        self.refused = "undo" if outcome is REFUSED else None


def keep_refused_step(stack: QUndoStack) -> None:
    """Put the stack's index back where it was before a refused undo or redo: the refused step
    stays to be undone (or redone) again, the project is not touched."""
    index = stack.index()
    undone = stack.command(index) if index < stack.count() else None
    if isinstance(undone, ServiceUndoCommand) and undone.refused == "undo":
        undone.refused, undone._skip_next = None, True
        stack.redo()
        return
    redone = stack.command(index - 1) if index > 0 else None
    if isinstance(redone, ServiceUndoCommand) and redone.refused == "redo":
        redone.refused, redone._skip_next = None, True
        stack.undo()
