"""Row helpers for writing imported exchange data: names, uids already taken, bulk inserts."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from qualcode.services._common import MAX_NAME
from qualcode.services.commands import Recorder, RowChange, table_of

_CHUNK = 500


def clean_label(value: str, fallback: str, limit: int = MAX_NAME) -> str:
    cleaned = " ".join(value.split())[:limit]
    return cleaned or fallback


def bulk_insert(rec: Recorder, model: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Insert many rows in one executemany and journal them as the Recorder would.

    `Recorder.insert_many` asks SQLite to return every row, which it does one row at a
    time; an import of tens of thousands of codings cannot wait for that. Here every
    column is filled on the Python side (ids after the table's largest, column defaults),
    so the journal's after-images are complete and undo/redo replay them exactly. The
    import's command has already written (coders, nodes, documents), so it holds SQLite's
    write lock and no other connection can take those ids meanwhile.
    """
    if not rows:
        return []
    table = table_of(model)
    first = int(rec.session.scalar(select(func.max(table.c.id))) or 0) + 1
    defaults = {column.name: column.default for column in table.columns if column.default is not None}
    complete: list[dict[str, Any]] = []
    for offset, row in enumerate(rows):
        full: dict[str, Any] = {column.name: None for column in table.columns}
        for name, default in defaults.items():
            if name not in row:
                full[name] = default.arg(None) if default.is_callable else default.arg  # type: ignore[attr-defined]
        full.update(row)
        full["id"] = first + offset
        complete.append(full)
    rec.session.execute(insert(table), complete)
    rec.changes.extend(RowChange(table.name, (full["id"],), None, full) for full in complete)
    return [full["id"] for full in complete]


def existing_uids(session: Session, model: Any, uids: Iterable[str]) -> set[str]:
    found: set[str] = set()
    pending = list(dict.fromkeys(uids))
    for index in range(0, len(pending), _CHUNK):
        chunk = pending[index:index + _CHUNK]
        found |= set(session.scalars(select(model.uid).where(model.uid.in_(chunk))))
    return found
