"""Persistent preferences (QSettings): window layout, recent projects, last coder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

ORGANISATION = "QualCode"
APPLICATION = "QualCode"
MAX_RECENT = 10
STATE_VERSION = 3  # of the saved dock layout; bump when the workbench docks change


def app_settings() -> QSettings:
    """The user's QualCode settings, in the default format (tests redirect it with
    QSettings.setDefaultFormat and QSettings.setPath)."""
    return QSettings(QSettings.defaultFormat(), QSettings.Scope.UserScope, ORGANISATION, APPLICATION)


class RecentProjects:
    """Most recently opened project files, newest first."""

    KEY = "recent/projects"

    def __init__(self, settings: QSettings | None = None) -> None:
        self._settings = settings or app_settings()

    def paths(self) -> list[Path]:
        value = self._settings.value(self.KEY, [])
        if isinstance(value, str):
            value = [value]
        return [Path(str(item)) for item in (value or []) if str(item)]

    def add(self, path: Path) -> None:
        path = Path(path).absolute()
        items = [path, *[p for p in self.paths() if p != path]][:MAX_RECENT]
        self._write(items)

    def remove(self, path: Path) -> None:
        self._write([p for p in self.paths() if p != Path(path).absolute()])

    def _write(self, items: list[Path]) -> None:
        self._settings.setValue(self.KEY, [str(p) for p in items])
        self._settings.sync()
