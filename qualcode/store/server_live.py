"""Others' changes delivered live on a team project: PostgreSQL LISTEN/NOTIFY.

Statement-level triggers on every table of the schema send one notification per statement
on the channel `qualcode_change`, with the table, the ids of the rows written (up to 200;
none means "reread the table") and the database role that wrote them. PostgreSQL delivers a
notification when its transaction commits, so a listener never sees work that is rolled
back. `ChangeListener` waits for them on its own connection; `members_online` says who
else is connected now.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, text
from sqlalchemy.engine import URL

from qualcode.store.models import Base

CHANNEL = "qualcode_change"
MAX_IDS = 200


@dataclass(frozen=True)
class ServerChange:
    table: str
    ids: tuple[int, ...] | None  # None: too many rows to list, or a table without ids
    role: str


def _has_id(table: Table) -> bool:
    return [c.name for c in table.primary_key.columns] == ["id"]


def apply_live_changes(connection: Connection) -> None:
    """Create (or refresh) the notification triggers. Idempotent; run by the administrator."""
    run = connection.exec_driver_sql
    run(f"""
        CREATE OR REPLACE FUNCTION qualcode_notify_rows() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE ids jsonb; counted integer;
        BEGIN
            IF TG_OP = 'DELETE' THEN
                SELECT count(*), jsonb_agg(id) INTO counted, ids FROM (SELECT id FROM old_rows LIMIT {MAX_IDS + 1}) r;
            ELSE
                SELECT count(*), jsonb_agg(id) INTO counted, ids FROM (SELECT id FROM new_rows LIMIT {MAX_IDS + 1}) r;
            END IF;
            IF counted > 0 THEN
                PERFORM pg_notify('{CHANNEL}', jsonb_build_object(
                    'table', TG_TABLE_NAME, 'ids', CASE WHEN counted > {MAX_IDS} THEN NULL ELSE ids END,
                    'role', session_user::text)::text);
            END IF;
            RETURN NULL;
        END $$""")
    run(f"""
        CREATE OR REPLACE FUNCTION qualcode_notify_table() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('{CHANNEL}', jsonb_build_object(
                'table', TG_TABLE_NAME, 'ids', NULL, 'role', session_user::text)::text);
            RETURN NULL;
        END $$""")
    for name, table in Base.metadata.tables.items():
        if name == "audit_event":
            continue  # every action writes one; the rows it changed are announced already
        quoted = connection.dialect.identifier_preparer.quote(name)
        for event, rows in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
            trigger = f"qualcode_live_{event.lower()}"
            run(f"DROP TRIGGER IF EXISTS {trigger} ON {quoted}")
            if _has_id(table):
                run(f"CREATE TRIGGER {trigger} AFTER {event} ON {quoted} REFERENCING {rows} TABLE AS "
                    f"{rows.lower()}_rows FOR EACH STATEMENT EXECUTE FUNCTION qualcode_notify_rows()")
            else:
                run(f"CREATE TRIGGER {trigger} AFTER {event} ON {quoted} "
                    "FOR EACH STATEMENT EXECUTE FUNCTION qualcode_notify_table()")


def parse_notification(payload: str) -> ServerChange | None:
    try:
        data = json.loads(payload)
        ids = data.get("ids")
        return ServerChange(str(data["table"]), None if ids is None else tuple(int(i) for i in ids),
                            str(data.get("role", "")))
    except (ValueError, KeyError, TypeError):
        return None


class ChangeListener:
    """A dedicated connection that LISTENs for the project's change notifications."""

    def __init__(self, url: URL, password: str | None) -> None:
        import psycopg

        self._connection: Any = psycopg.connect(
            host=url.host or None, port=url.port or None, dbname=url.database, user=url.username or None,
            password=password, autocommit=True, connect_timeout=10, application_name="qualcode-live")
        self._connection.execute(f"LISTEN {CHANNEL}")

    def changes(self, timeout: float) -> Iterator[ServerChange]:
        """The changes notified within `timeout` seconds: waits for the first, then takes
        whatever follows it closely (one action may notify several tables)."""
        arrived = list(self._connection.notifies(timeout=timeout, stop_after=1))
        while arrived:
            for notice in arrived:
                change = parse_notification(notice.payload)
                if change is not None:
                    yield change
            arrived = list(self._connection.notifies(timeout=0.05))

    def close(self) -> None:
        self._connection.close()


def members_online(connection: Connection) -> list[str]:
    """The database roles connected to this project now (each once, sorted)."""
    rows = connection.execute(text(
        "SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = current_database() AND usename IS NOT NULL "
        "ORDER BY usename"))
    return [str(name) for (name,) in rows]
