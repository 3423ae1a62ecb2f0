"""Where a project lives: a `*.qualcode` file, or a team project on a PostgreSQL server."""

from __future__ import annotations

from pathlib import Path


def is_team_url(location: str | Path) -> bool:
    """True for postgresql:// (or postgres://) URLs, which name a team project."""
    return isinstance(location, str) and location.split(":", 1)[0] in ("postgresql", "postgres")
