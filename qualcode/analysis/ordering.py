"""Orderings people expect: 'Site 2' before 'Site 10', numbers by value."""

from __future__ import annotations

import re

_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key comparing runs of digits as numbers and the rest without regard to case."""
    return tuple((0, int(part)) if part.isdigit() else (1, part.casefold()) for part in _DIGITS.split(text) if part)


# One rule across views (frequencies, matrices, participant tables): a document linked to no
# case sits under NO_CASE when grouping by case, and under NO_VALUE when grouping by an
# attribute it (or its cases) has no value for; both are listed last.
NO_VALUE = "(no value)"
NO_CASE = "(no case)"
UNASSIGNED = (NO_VALUE, NO_CASE)
UNASSIGNED_NOTE = ("Documents linked to no case are counted under '(no case)' when grouping by case, and under "
                   "'(no value)' when grouping by an attribute they (or their cases) have no value for; both come "
                   "last.")


def group_key(text: str) -> tuple[bool, tuple[tuple[int, int | str], ...]]:
    """Natural order with '(no value)' and '(no case)' last."""
    return text in UNASSIGNED, natural_key(text)
