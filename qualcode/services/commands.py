"""Undoable commands with a row journal.

A command runs its mutation once through a `Recorder`, which writes every inserted,
updated and deleted row to a journal of before/after images (ids and values). Undo plays
the journal backwards, redo forwards, so the database returns exactly to the state before
(or after) the command, with the same ids and uids. Each apply, undo and redo writes one
AuditEvent, which the journal itself does not contain: the audit trail keeps the history.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, and_, delete, insert, select, text, update
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from qualcode.domain.errors import ConflictError
from qualcode.store.models import AuditEvent, Base, utcnow

Row = dict[str, Any]
Key = tuple[Any, ...]


def table_of(model: type[Base] | Table) -> Table:
    if isinstance(model, Table):
        return model
    table = model.__table__
    assert isinstance(table, Table)
    return table


@dataclass(frozen=True, slots=True)
class RowChange:
    table: str
    key: Key
    before: Row | None
    after: Row | None


@dataclass(frozen=True)
class Change:
    """What an applied, undone or redone command changed, so views refresh only that."""

    title: str
    touched: Mapping[str, frozenset[Key]] = field(default_factory=dict)
    result: Any = None
    command: Command | None = None
    # The changed rows with their images before and after, in the order they changed (for an
    # undo: backwards, each before and after swapped), so a view can update itself from them
    # without reading the rows again. Empty when not known (others' changes on a team project).
    rows: tuple[RowChange, ...] = ()

    def row_changes(self, table: str) -> list[RowChange] | None:
        """The rows of `table` this change added (before None), removed (after None) or
        altered, in order; None when the change does not carry its rows (read them again)."""
        if table not in self.touched:
            return []
        if not self.rows:
            return None
        return [row for row in self.rows if row.table == table]

    def ids(self, table: str) -> frozenset[int]:
        """Integer ids touched in `table` (single-column keys only)."""
        return frozenset(key[0] for key in self.touched.get(table, ()) if len(key) == 1)

    def affects(self, *tables: str) -> bool:
        return any(table in self.touched for table in tables)


def _where_key(table: Table, key: Key) -> ColumnElement[bool]:
    return and_(*(column == value for column, value in zip(table.primary_key.columns, key, strict=True)))


# A sibling's move renumbers positions: that is not a change of the row a user is editing.
_NOT_VERSIONED = frozenset({"position"})


def row_version(row: Mapping[str, Any]) -> str:
    """The version of a row as read: it changes whenever anyone changes the row's content.

    Optimistic concurrency on a team project: a client edits with the version it read,
    and the edit is refused when the row has another version by then. A document's text
    counts through its hash (`text_sha256`, which every text edit changes), not read again.
    """
    skipped = _NOT_VERSIONED | ({"text"} if "text_sha256" in row else set())
    content = repr(sorted((k, str(v)) for k, v in row.items() if k not in skipped))
    return hashlib.sha1(content.encode("utf-8"), usedforsecurity=False).hexdigest()[:16]


def version_of(instance: Base) -> str:
    """The `row_version` of a loaded ORM row, for the frozen infos services return."""
    table = table_of(type(instance))
    mapper = instance.__mapper__
    return row_version({column.name: getattr(instance, mapper.get_property_by_column(column).key)
                        for column in table.columns})


def _read_locked(session: Session, table: Table, key: Key) -> Row | None:
    """The row as it is now, locked until the transaction ends on a server (SELECT ... FOR
    UPDATE), so two members' edits of one row take turns instead of overwriting each other."""
    found = session.execute(select(table).where(_where_key(table, key)).with_for_update()).mappings().first()
    return None if found is None else dict(found)


def _describe_row(table: str, row: Row | None, by: str = "someone else") -> str:
    what = _WHAT.get(table, table.replace("_", " "))
    if row is None:
        return f"the {what} was deleted by {by}"
    name = row.get("name") or row.get("title") or row.get("label")
    article = "an" if what[0] in "aeiou" else "a"
    return f"the {what} '{name}' was changed by {by}" if name else f"{article} {what} was changed by {by}"


_WHAT = {"cmo_configuration": "CMO configuration", "cmo_component": "CMO statement", "attribute_value":
         "attribute value", "project_info": "project description", "cmo_evidence": "CMO evidence"}


def last_writer(session: Session, table: Table, key: Key) -> str:
    """Who last changed a row: on a team project, the coder (else the member) of the audit
    event written in the same transaction as the row (PostgreSQL's `xmin` names it);
    elsewhere, or when no action recorded it, "someone else"."""
    if session.get_bind().dialect.name != "postgresql":
        return "someone else"
    columns = list(table.primary_key.columns)
    quote = session.get_bind().dialect.identifier_preparer.quote
    where = " AND ".join(f"r.{quote(column.name)} = :k{i}" for i, column in enumerate(columns))
    params = {f"k{i}": value for i, value in enumerate(key)}
    found = session.execute(text(
        f"SELECT c.name, a.details FROM audit_event a LEFT JOIN coder c ON c.id = a.coder_id "
        f"WHERE a.xmin = (SELECT r.xmin FROM {quote(table.name)} r WHERE {where}) ORDER BY a.id DESC LIMIT 1"),
        params).first()
    if found is None:
        return "someone else"
    if found[0]:
        return str(found[0])
    try:
        role = json.loads(found[1] or "{}").get("db_role")
    except ValueError:
        role = None
    if not role:
        return "someone else"
    if session.execute(text("SELECT to_regclass('team_member')")).scalar() is not None:
        coder = session.execute(text("SELECT c.name FROM team_member t JOIN coder c ON c.id = t.coder_id "
                                     "WHERE t.role_name = :r"), {"r": role}).scalar()
        if coder:
            return str(coder)
    return str(role)


def _refusal(session: Session, table: Table, key: Key, current: Row | None) -> ConflictError:
    by = "someone else" if current is None else last_writer(session, table, key)
    return ConflictError(f"Not saved: {_describe_row(table.name, current, by)} since you opened it; "
                         "reopen it to see their change.")


class Recorder:
    """Writes rows through Core statements and journals each change."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.changes: list[RowChange] = []

    def _key(self, table: Table, row: Mapping[str, Any]) -> Key:
        return tuple(row[column.name] for column in table.primary_key.columns)

    def insert(self, model: type[Base] | Table, **values: Any) -> Any:
        """Insert one row (column defaults applied); return its first primary-key value."""
        table = table_of(model)
        row = self.session.execute(insert(table).values(**values).returning(*table.columns)).mappings().one()
        after = dict(row)
        key = self._key(table, after)
        self.changes.append(RowChange(table.name, key, None, after))
        return key[0]

    def insert_many(self, model: type[Base] | Table, rows: list[Row]) -> list[Any]:
        """Insert many rows and journal each; return their first primary-key values in order.

        For tables keyed by an integer `id`, the first row is inserted on its own, which takes
        SQLite's write lock; the others then get the ids that follow it and their column
        defaults on the Python side, and go in one executemany (asking SQLite to return every
        row would write them one at a time).
        """
        table = table_of(model)
        if not rows:
            return []
        keys = list(table.primary_key.columns)
        if len(rows) < _BULK_MINIMUM or [k.name for k in keys] != ["id"] or any("id" in row for row in rows):
            return [self.insert(table, **row) for row in rows]
        if self.session.get_bind().dialect.name == "postgresql":
            # Other members insert at the same time: take ids from the table's sequence.
            ids = [int(i) for i in self.session.scalars(
                text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
                {"t": self.session.get_bind().dialect.identifier_preparer.quote(table.name), "n": len(rows)})]
            complete = [_complete_row(table, row, id_) for id_, row in zip(ids, rows, strict=True)]
            for chunk in range(0, len(complete), 5000):
                self.session.execute(insert(table), complete[chunk : chunk + 5000])
            self.changes.extend(RowChange(table.name, (row["id"],), None, row) for row in complete)
            return ids
        first = int(self.insert(table, **rows[0]))
        complete = [_complete_row(table, row, first + offset) for offset, row in enumerate(rows[1:], start=1)]
        for chunk in range(0, len(complete), 5000):
            self.session.execute(insert(table), complete[chunk : chunk + 5000])
        self.changes.extend(RowChange(table.name, (row["id"],), None, row) for row in complete)
        return [first, *(row["id"] for row in complete)]

    def check_version(self, model: type[Base] | Table, key: Any, expected_version: str | None) -> Row:
        """Refuse with a ConflictError when the row no longer has the `row_version` the caller
        read (someone changed it in between), naming who; the row stays locked for this
        transaction. Returns the row as it is."""
        table = table_of(model)
        key_t = key if isinstance(key, tuple) else (key,)
        current = _read_locked(self.session, table, key_t)
        if current is None or (expected_version is not None and row_version(current) != expected_version):
            raise _refusal(self.session, table, key_t, current)
        return current

    def update(self, model: type[Base] | Table, key: Any, /, *, expected_version: str | None = None,
               **values: Any) -> Row:
        """Update one row by primary key; return its new image. With `expected_version`, refused
        (ConflictError) when the row is no longer as the caller read it: one read and lock."""
        table = table_of(model)
        key_t = key if isinstance(key, tuple) else (key,)
        before = _read_locked(self.session, table, key_t)
        if before is None:
            raise _refusal(self.session, table, key_t, None)
        if expected_version is not None and row_version(before) != expected_version:
            raise _refusal(self.session, table, key_t, before)
        changed = {name: value for name, value in values.items() if before[name] != value}
        if not changed:
            return before
        self.session.execute(update(table).where(_where_key(table, key_t)).values(**changed))
        after = before | changed
        self.changes.append(RowChange(table.name, key_t, before, after))
        return after

    def delete(self, model: type[Base] | Table, key: Any) -> Row:
        table = table_of(model)
        key_t = key if isinstance(key, tuple) else (key,)
        before = _read_locked(self.session, table, key_t)
        if before is None:
            raise _refusal(self.session, table, key_t, None)
        self.session.execute(delete(table).where(_where_key(table, key_t)))
        self.changes.append(RowChange(table.name, key_t, before, None))
        return before

    def delete_where(self, model: type[Base] | Table, *criteria: ColumnElement[bool]) -> list[Row]:
        """Delete every row matching `criteria`, journaling each one."""
        table = table_of(model)
        rows = [dict(r) for r in self.session.execute(select(table).where(*criteria)).mappings()]
        for row in rows:
            key = self._key(table, row)
            self.session.execute(delete(table).where(_where_key(table, key)))
            self.changes.append(RowChange(table.name, key, row, None))
        return rows


_BULK_MINIMUM = 20


def _complete_row(table: Table, row: Row, id_: int) -> Row:
    """Every column of a row to insert: given values, else the column's default, else None."""
    full: Row = {}
    for column in table.columns:
        if column.name in row:
            full[column.name] = row[column.name]
        elif column.default is not None and getattr(column.default, "is_callable", False):
            full[column.name] = column.default.arg(None)  # type: ignore[attr-defined]
        elif column.default is not None:
            full[column.name] = column.default.arg  # type: ignore[attr-defined]
        else:
            full[column.name] = None
    full["id"] = id_
    return full


def _check_unchanged(session: Session, title: str, changes: list[RowChange], *, forward: bool) -> None:
    """Refuse to undo (or redo) when someone changed the same rows since: each row must still
    be as this command left it (or, to redo, as the undo left it)."""
    # Undo: each row as the command left it (its last image); redo: as it was before the
    # command (its first image, so the journal is read backwards).
    expected: dict[tuple[str, Key], Row | None] = {}
    for change in (reversed(changes) if forward else changes):
        expected[(change.table, change.key)] = change.before if forward else change.after
    current_rows = _read_many_locked(session, list(expected))
    for (name, key), image in expected.items():
        current = current_rows.get((name, key))
        if image is None and current is None:
            continue
        if image is None or current is None or any(
                not _same_value(current.get(column), value) for column, value in image.items()
                if column not in _NOT_VERSIONED):
            what = "redo" if forward else "undo"
            by = "someone else" if current is None else last_writer(session, Base.metadata.tables[name], key)
            raise ConflictError(f"Cannot {what} '{title}': {_describe_row(name, current or image, by)} since. "
                                "Nothing was changed.")


def _same_value(stored: object, journaled: object) -> bool:
    """A column's value as read back equals the journaled one: numbers by value (a REAL column
    reads 2 back as 2.0), everything else by its text (dates, decimals as each driver gives them)."""
    numbers = (int, float)
    if isinstance(stored, numbers) and isinstance(journaled, numbers) and not isinstance(stored, bool):
        return float(stored) == float(journaled)
    return str(stored) == str(journaled)


def _read_many_locked(session: Session, keys: list[tuple[str, Key]]) -> dict[tuple[str, Key], Row]:
    """The current rows for many keys, read (and locked) a thousand at a time per table."""
    tables = Base.metadata.tables
    by_table: dict[str, list[Key]] = {}
    for name, key in keys:
        by_table.setdefault(name, []).append(key)
    found: dict[tuple[str, Key], Row] = {}
    for name, table_keys in by_table.items():
        table = tables[name]
        columns = list(table.primary_key.columns)
        if len(columns) != 1:
            for key in table_keys:
                if (locked := _read_locked(session, table, key)) is not None:
                    found[(name, key)] = locked
            continue
        for chunk in range(0, len(table_keys), 1000):
            wanted = [key[0] for key in table_keys[chunk : chunk + 1000]]
            statement = select(table).where(columns[0].in_(wanted)).with_for_update()
            for row in session.execute(statement).mappings():
                found[(name, (row[columns[0].name],))] = dict(row)
    return found


def _replay(session: Session, changes: Iterable[RowChange], *, forward: bool) -> None:
    """Re-apply (or revert) journaled row changes in order. Runs of inserts into, or deletes
    from, one table go as one statement per 500 rows: undoing the coding of 20,000 search
    hits must not take 20,000 round trips."""
    tables = Base.metadata.tables
    run: list[tuple[str, Key, Row]] = []
    run_kind: tuple[str, str] | None = None

    def flush_run() -> None:
        if not run or run_kind is None:
            return
        kind, name = run_kind
        table = tables[name]
        if kind == "insert":
            rows = [row for _, _, row in run]
            for start in range(0, len(rows), 500):
                session.execute(insert(table), rows[start : start + 500])
        else:
            keys = list(table.primary_key.columns)
            # A table whose rows point at each other (a node's parent) keeps the row-by-row order:
            # one statement would remove a parent while its child, later in the list, still
            # holds it back (ON DELETE RESTRICT is checked row by row, not at the statement's end).
            refers_to_itself = any(fk.column.table is table for fk in table.foreign_keys)
            if len(keys) == 1 and not refers_to_itself:
                values = [key[0] for _, key, _ in run]
                for start in range(0, len(values), 500):
                    session.execute(delete(table).where(keys[0].in_(values[start : start + 500])))
            else:
                for _, key, _ in run:
                    session.execute(delete(table).where(_where_key(table, key)))
        run.clear()

    for change in changes:
        table = tables[change.table]
        old, new = (change.before, change.after) if forward else (change.after, change.before)
        if new is None or old is None:
            kind = ("delete" if new is None else "insert", change.table)
            if kind != run_kind or (kind[0] == "insert" and run and set(run[0][2]) != set(new or {})):
                flush_run()
                run_kind = kind
            run.append((change.table, change.key, new or {}))
            continue
        flush_run()
        run_kind = None
        session.execute(update(table).where(_where_key(table, change.key)).values(**new))
    flush_run()
    session.flush()
    session.expire_all()


def _touched(changes: Iterable[RowChange]) -> dict[str, frozenset[Key]]:
    touched: dict[str, set[Key]] = {}
    for change in changes:
        touched.setdefault(change.table, set()).add(change.key)
    return {table: frozenset(keys) for table, keys in touched.items()}


def record_audit(session: Session, action: str, details: Mapping[str, Any], coder_id: int | None) -> None:
    session.execute(
        insert(table_of(AuditEvent)).values(
            at=utcnow(), coder_id=coder_id, action=action, details=json.dumps(details, default=str)
        )
    )


class Command:
    """One undoable user action. `run` does the work through a Recorder the first time."""

    def __init__(
        self,
        title: str,
        run: Callable[[Recorder], Any],
        *,
        action: str,
        details: Mapping[str, Any] | None = None,
        coder_id: int | None = None,
    ) -> None:
        self.title = title
        self.action = action
        self.details = dict(details or {})
        self.coder_id = coder_id
        self._run = run
        self._journal: list[RowChange] | None = None
        self.result: Any = None

    @property
    def journal(self) -> tuple[RowChange, ...]:
        return tuple(self._journal or ())

    def apply(self, session: Session) -> Change:
        """Do the action (first time) or redo it exactly (after an undo)."""
        if self._journal is None:
            recorder = Recorder(session)
            self.result = self._run(recorder)
            session.flush()
            session.expire_all()
            self._journal = recorder.changes
            action = self.action
        else:
            _check_unchanged(session, self.title, self._journal, forward=True)
            _replay(session, self._journal, forward=True)
            action = f"redo {self.action}"
        record_audit(session, action, self.details, self.coder_id)
        return Change(self.title, _touched(self._journal), self.result, self, tuple(self._journal))

    def revert(self, session: Session) -> Change:
        """Undo the action: every journaled row back to its image before the action."""
        if self._journal is None:
            raise RuntimeError(f"'{self.title}' was never applied")
        _check_unchanged(session, self.title, self._journal, forward=False)
        _replay(session, reversed(self._journal), forward=False)
        record_audit(session, f"undo {self.action}", self.details, self.coder_id)
        undone = tuple(RowChange(c.table, c.key, c.after, c.before) for c in reversed(self._journal))
        return Change(f"Undo {self.title}", _touched(self._journal), self.result, self, undone)


class UndoStack:
    """A plain undo/redo stack over commands, for the CLI and tests (the GUI uses QUndoStack)."""

    def __init__(self) -> None:
        self._done: list[Command] = []
        self._undone: list[Command] = []

    def push(self, change: Change) -> Change:
        """Record an applied command (the `Change` a service returned)."""
        assert change.command is not None
        self._done.append(change.command)
        self._undone.clear()
        return change

    def undo(self, session: Session) -> Change:
        """Undo the newest own step; refused (and kept) when someone changed the same thing since."""
        change = self._done[-1].revert(session)
        self._undone.append(self._done.pop())
        return change

    def redo(self, session: Session) -> Change:
        change = self._undone[-1].apply(session)
        self._done.append(self._undone.pop())
        return change

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)
