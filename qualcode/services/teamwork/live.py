"""Others' work on a team project, as it happens: the server's change notifications turned
into the same `Change` a command reports, so views refresh exactly as after one's own step."""

from __future__ import annotations

from collections.abc import Iterable

from qualcode.services.commands import Change, Key
from qualcode.store.project import Project
from qualcode.store.server import TeamProject, keyring_password
from qualcode.store.server_live import ChangeListener, ServerChange, members_online


def listen(project: TeamProject) -> ChangeListener:
    """A listener on its own connection (use it from one thread; close it when done)."""
    return ChangeListener(project.url, keyring_password(project.url))


def as_change(changes: Iterable[ServerChange], *, own_role: str | None = None) -> Change | None:
    """One Change for a batch of notifications from others (own writes left out); None if empty.

    A table notified without ids (a bulk write) is reported as touched with no keys, which
    views read as "reload this table".
    """
    touched: dict[str, set[Key]] = {}
    roles: list[str] = []
    for change in changes:
        if own_role is not None and change.role == own_role:
            continue
        keys = touched.setdefault(change.table, set())
        if change.ids is not None:
            keys.update((i,) for i in change.ids)
        if change.role not in roles:
            roles.append(change.role)
    if not touched:
        return None
    return Change(f"Changes by {', '.join(roles)}", {t: frozenset(k) for t, k in touched.items()})


def who_is_working(project: Project) -> list[str]:
    """Members connected to the team project now (empty for a project file)."""
    if not isinstance(project, TeamProject):
        return []
    with project.session() as session:
        return members_online(session.connection())
