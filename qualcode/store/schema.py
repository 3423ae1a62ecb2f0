"""The schema version this QualCode writes, from its Alembic migrations (both engines)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Alembic loads only when a project needs migrating
    from alembic.config import Config

_MIGRATIONS = Path(__file__).with_name("migrations")
# Migrations are numbered 0001, 0002, … in one line, each file named after its revision.
_MIGRATION_FILE = re.compile(r"^(\d{4})_\w+\.pyc?$")


def _alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    return config


@cache
def schema_version() -> int:
    """The schema this QualCode writes: the number of the newest migration (read from the
    file names, so opening a current project does not load Alembic)."""
    numbers = [int(match.group(1)) for entry in (_MIGRATIONS / "versions").iterdir()
               if (match := _MIGRATION_FILE.match(entry.name))]
    return max(numbers)
