"""Colours for new codes: a qualitative palette whose colours stay apart as washes and
underlines in the transcript viewer, handed out least-used first so neighbours differ."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.domain.levels import Level
from qualcode.store.models import Node

CODE_PALETTE = ("#4e79a7", "#e15759", "#59a14f", "#b07aa1", "#f28e2b", "#499894", "#9c755f", "#d37295",
                "#6a7f2a", "#c9872b", "#7768ae", "#2f7fa8")


def suggest_code_color(session: Session) -> str:
    """The palette colour fewest codes have (the first of those, in palette order)."""
    used = Counter(color.lower() for color in session.scalars(
        select(func.lower(Node.color)).where(Node.level == int(Level.CODE))))
    return min(CODE_PALETTE, key=lambda color: (used[color], CODE_PALETTE.index(color)))
