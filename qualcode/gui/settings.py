"""Persistent preferences (QSettings): window layout, recent projects, last coder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from qualcode.domain.location import is_team_url, without_password

ORGANISATION = "QualCode"
APPLICATION = "QualCode"
MAX_RECENT = 10
STATE_VERSION = 3  # of the saved dock layout; bump when the workbench docks change


def app_settings() -> QSettings:
    """The user's QualCode settings, in the default format (tests redirect it with
    QSettings.setDefaultFormat and QSettings.setPath)."""
    return QSettings(QSettings.defaultFormat(), QSettings.Scope.UserScope, ORGANISATION, APPLICATION)


class RecentProjects:
    """Most recently opened projects, newest first: project files, and team projects by their
    URL (never with a password: that stays in the keyring or ~/.pgpass)."""

    KEY = "recent/projects"

    def __init__(self, settings: QSettings | None = None) -> None:
        self._settings = settings or app_settings()

    def entries(self) -> list[Path | str]:
        """Files as paths, team projects as URLs."""
        value = self._settings.value(self.KEY, [])
        if isinstance(value, str):
            value = [value]
        return [str(item) if is_team_url(str(item)) else Path(str(item)) for item in (value or []) if str(item)]

    def paths(self) -> list[Path]:
        """The project files only."""
        return [entry for entry in self.entries() if isinstance(entry, Path)]

    def add(self, location: Path | str) -> None:
        entry = _entry(location)
        items = [entry, *[e for e in self.entries() if e != entry]][:MAX_RECENT]
        self._write(items)

    def remove(self, location: Path | str) -> None:
        entry = _entry(location)
        self._write([e for e in self.entries() if e != entry])

    def _write(self, items: list[Path | str]) -> None:
        self._settings.setValue(self.KEY, [str(p) for p in items])
        self._settings.sync()


def _entry(location: Path | str) -> Path | str:
    if isinstance(location, str) and is_team_url(location):
        return without_password(location)
    return Path(location).absolute()
