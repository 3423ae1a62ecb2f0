"""Small helpers shared by the service modules."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy.orm import Session

from qualcode.domain.errors import NotFoundError, ValidationError
from qualcode.store.models import Base

M = TypeVar("M", bound=Base)

MAX_NAME = 300


def require(session: Session, model: type[M], id_: int, what: str) -> M:
    """The row with this id, or a NotFoundError naming what was looked for."""
    row = session.get(model, id_)
    if row is None:
        raise NotFoundError(f"There is no {what} with id {id_} in this project.")
    return row


def clean_name(name: str, what: str, *, max_length: int = MAX_NAME) -> str:
    """A trimmed, single-line, non-empty name."""
    cleaned = " ".join(name.split())
    if not cleaned:
        article = "An" if what[:1].lower() in "aeiou" else "A"
        raise ValidationError(f"{article} {what} needs a name.")
    if len(cleaned) > max_length:
        raise ValidationError(f"The {what} name is too long ({len(cleaned)} characters; at most {max_length}).")
    return cleaned


def check_color(color: str) -> str:
    value = color.strip()
    if (
        len(value) not in (4, 7)
        or not value.startswith("#")
        or any(c not in "0123456789abcdefABCDEF" for c in value[1:])
    ):
        raise ValidationError(f"'{color}' is not a colour: use #RRGGBB.")
    return value.lower()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while building many acyclic result records.

    Tens of thousands of new objects set off repeated collection passes that find nothing
    (records of strings and numbers hold no cycles) and cost a third of a large listing.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
