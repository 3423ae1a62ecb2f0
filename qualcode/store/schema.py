"""The schema version this QualCode writes, from its Alembic migrations (both engines)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory

_MIGRATIONS = Path(__file__).with_name("migrations")


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    return config


@cache
def schema_version() -> int:
    """The schema this QualCode writes: the number of the newest migration."""
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return int(head)
