"""Where a project lives: a `*.qualcode` file, or a team project on a PostgreSQL server."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit, urlunsplit


def is_team_url(location: str | Path) -> bool:
    """True for postgresql:// (or postgres://) URLs, which name a team project."""
    return isinstance(location, str) and location.split(":", 1)[0] in ("postgresql", "postgres")


def without_password(url: str) -> str:
    """A team URL with any password taken out (passwords live in the keyring or ~/.pgpass)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    user = f"{parts.username}@" if parts.username else ""
    port = f":{parts.port}" if parts.port else ""
    return urlunsplit((parts.scheme, f"{user}{host}{port}", parts.path, parts.query, parts.fragment))


def describe_team_url(url: str) -> str:
    """How a team project is named to people: "team: loneliness on db.example.org"."""
    parts = urlsplit(url)
    database = unquote(parts.path.lstrip("/")) or "?"
    service = parse_qs(parts.query).get("service")
    where = parts.hostname or (f"service {service[0]}" if service else "localhost")
    return f"team: {database} on {where}"


def team_account(url: str) -> str:
    """Who connects, and where, in a few words: "as ana, port 5433"."""
    parts = urlsplit(url)
    who = f"as {unquote(parts.username)}" if parts.username else "as your login name"
    return who + (f", port {parts.port}" if parts.port else "")
