"""The units a passage can be widened to, kept free of the database layer so the command line
can offer them without loading it."""

from __future__ import annotations

from typing import Literal

Unit = Literal["hit", "sentence", "turn", "paragraph"]
UNITS: tuple[str, ...] = ("hit", "sentence", "turn", "paragraph")
