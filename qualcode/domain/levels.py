"""Theme levels of an Attride-Stirling thematic network and the placement rule."""

from __future__ import annotations

from enum import IntEnum

from qualcode.domain.errors import LevelRuleError


class Level(IntEnum):
    """Node levels, lowest first. A node's parent must have a strictly higher level."""

    CODE = 1
    BASIC = 2
    ORGANISING = 3
    GLOBAL = 4

    @property
    def label(self) -> str:
        return _LABELS[self]

    @classmethod
    def parse(cls, value: str | int | Level) -> Level:
        """Accept 'code', 'basic', 'organising'/'organizing', 'global', or 1-4."""
        if isinstance(value, Level):
            return value
        if isinstance(value, int):
            try:
                return cls(value)
            except ValueError:
                raise LevelRuleError(f"Unknown theme level {value}: use 1-4.") from None
        key = value.strip().lower().replace("organizing", "organising")
        key = key.removesuffix(" theme")
        for level in cls:
            if level.name.lower() == key:
                return level
        raise LevelRuleError(f"Unknown theme level '{value}': use code, basic, organising or global.")


_LABELS = {
    Level.CODE: "Code",
    Level.BASIC: "Basic theme",
    Level.ORGANISING: "Organising theme",
    Level.GLOBAL: "Global theme",
}


def check_parent(child_name: str, child_level: Level, parent_name: str, parent_level: Level) -> None:
    """Refuse a placement where the parent's level is not strictly above the child's."""
    if parent_level <= child_level:
        raise LevelRuleError(
            f"'{child_name}' ({child_level.label.lower()}) cannot go under "
            f"'{parent_name}' ({parent_level.label.lower()}): a parent must be a higher level."
        )
