"""Row helpers for writing imported exchange data: names, uids already taken, bulk inserts."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.services._common import MAX_NAME

_CHUNK = 500


def clean_label(value: str, fallback: str, limit: int = MAX_NAME) -> str:
    cleaned = " ".join(value.split())[:limit]
    return cleaned or fallback


def existing_uids(session: Session, model: Any, uids: Iterable[str]) -> set[str]:
    found: set[str] = set()
    pending = list(dict.fromkeys(uids))
    for index in range(0, len(pending), _CHUNK):
        chunk = pending[index:index + _CHUNK]
        found |= set(session.scalars(select(model.uid).where(model.uid.in_(chunk))))
    return found
