"""Permissions of a team project, enforced by PostgreSQL itself: roles and row-level security.

Each team project (database) has four group roles, each holding the one before it:
reader < coder < reviewer < owner, named `<database>_reader` and so on. A member is a
login role granted one of them and mapped to their coder in `team_member`.

- readers read everything (except, while the project is blind, other coders' codings);
- coders also create and change their own codings, CMO evidence, memos and journal
  entries, and add codes (level 1) when the project allows it (`team_setting`);
- reviewers also change and delete anyone's codings (they resolve disagreements);
- owners change everything: the codebook, documents, cases, settings.
Blind coding: while `team_setting.blind` is on, a coder's connection reads only their
own codings. Every audit event records the database role that wrote it (a trigger adds
`db_role` to its details), so the trail cannot be signed with another member's name.

The administrator who sets the project up (`qualcode team init`) owns the tables and is
not bound by these rules; members never are administrators.
"""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy import Connection, text

from qualcode.store.models import Base

ROLES = ("reader", "coder", "reviewer", "owner")
# Tables a coder writes, each row owned by the coder in `coder_id`.
OWN_ROWS = ("coding", "cmo_evidence", "memo", "journal_entry")


def group_role(database: str, role: str) -> str:
    return f"{database}_{role}"


def _q(connection: Connection, name: str) -> str:
    return str(connection.dialect.identifier_preparer.quote(name))


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _role_exists(connection: Connection, name: str) -> bool:
    return connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).first() is not None


def apply_security(connection: Connection) -> None:
    """Create (or bring up to date) the roles, grants, policies and audit trigger. Idempotent;
    run as the administrator after every schema upgrade."""
    database = str(connection.execute(text("SELECT current_database()")).scalar_one())
    roles = {role: group_role(database, role) for role in ROLES}
    q = {role: _q(connection, name) for role, name in roles.items()}
    run = connection.exec_driver_sql
    for role, name in roles.items():
        if not _role_exists(connection, name):
            run(f"CREATE ROLE {q[role]} NOLOGIN")
    for lower, higher in itertools.pairwise(ROLES):
        run(f"GRANT {q[lower]} TO {q[higher]}")
    run(f"REVOKE ALL ON DATABASE {_q(connection, database)} FROM PUBLIC")
    run(f"GRANT CONNECT, TEMPORARY ON DATABASE {_q(connection, database)} TO {q['reader']}")
    run("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
    run(f"GRANT USAGE ON SCHEMA public TO {q['reader']}")

    run("""
        CREATE TABLE IF NOT EXISTS team_member (
            role_name text PRIMARY KEY,
            coder_id integer NOT NULL REFERENCES coder (id) ON DELETE RESTRICT,
            team_role text NOT NULL CHECK (team_role IN ('reader', 'coder', 'reviewer', 'owner'))
        )""")
    run("""
        CREATE TABLE IF NOT EXISTS team_setting (
            id integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
            blind boolean NOT NULL DEFAULT false,
            coders_add_codes boolean NOT NULL DEFAULT false
        )""")
    run("INSERT INTO team_setting (id) VALUES (1) ON CONFLICT (id) DO NOTHING")

    # Helpers the policies call, run as the member (current_user is the connected member).
    run("""
        CREATE OR REPLACE FUNCTION qualcode_my_coder() RETURNS integer
        LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
            SELECT coder_id FROM team_member WHERE role_name = current_user
        $$""")
    run("""
        CREATE OR REPLACE FUNCTION qualcode_is(kind text) RETURNS boolean
        LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
            SELECT pg_has_role(current_user, current_database() || '_' || kind, 'MEMBER')
        $$""")
    run("""
        CREATE OR REPLACE FUNCTION qualcode_setting(name text) RETURNS boolean
        LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
            SELECT CASE name WHEN 'blind' THEN blind WHEN 'coders_add_codes' THEN coders_add_codes END
            FROM team_setting WHERE id = 1
        $$""")
    run("""
        CREATE OR REPLACE FUNCTION qualcode_audit_role() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            NEW.details := (COALESCE(NULLIF(NEW.details, ''), '{}')::jsonb
                            || jsonb_build_object('db_role', session_user::text))::text;
            RETURN NEW;
        END $$""")
    run("DROP TRIGGER IF EXISTS audit_event_db_role ON audit_event")
    run("CREATE TRIGGER audit_event_db_role BEFORE INSERT ON audit_event "
        "FOR EACH ROW EXECUTE FUNCTION qualcode_audit_role()")

    tables = [*Base.metadata.tables, "alembic_version", "team_member", "team_setting"]
    for table in tables:
        run(f"GRANT SELECT ON {_q(connection, table)} TO {q['reader']}")
        run(f"GRANT ALL ON {_q(connection, table)} TO {q['owner']}")
    run(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {q['coder']}")
    for table in OWN_ROWS:
        run(f"GRANT INSERT, UPDATE, DELETE ON {_q(connection, table)} TO {q['coder']}")
    run(f"GRANT INSERT ON audit_event TO {q['coder']}")
    run(f"GRANT INSERT ON node TO {q['coder']}")

    _policies(connection)


def _policy(connection: Connection, table: str, name: str, clause: str) -> None:
    connection.exec_driver_sql(f"DROP POLICY IF EXISTS {name} ON {_q(connection, table)}")
    connection.exec_driver_sql(f"CREATE POLICY {name} ON {_q(connection, table)} {clause}")


def _policies(connection: Connection) -> None:
    own = "coder_id = qualcode_my_coder()"
    for table in OWN_ROWS:
        connection.exec_driver_sql(f"ALTER TABLE {_q(connection, table)} ENABLE ROW LEVEL SECURITY")
        write = f"({own} OR qualcode_is('owner'))"
        if table == "coding":
            write = f"({own} OR qualcode_is('reviewer'))"
        readable = "(true)"
        if table in ("coding", "cmo_evidence"):
            readable = f"(NOT qualcode_setting('blind') OR {own} OR qualcode_is('reviewer'))"
        _policy(connection, table, "team_read", f"FOR SELECT USING {readable}")
        _policy(connection, table, "team_insert", f"FOR INSERT WITH CHECK {write}")
        _policy(connection, table, "team_update", f"FOR UPDATE USING {write} WITH CHECK {write}")
        _policy(connection, table, "team_delete", f"FOR DELETE USING {write}")
    connection.exec_driver_sql("ALTER TABLE node ENABLE ROW LEVEL SECURITY")
    _policy(connection, "node", "team_read", "FOR SELECT USING (true)")
    _policy(connection, "node", "team_owner", "FOR ALL USING (qualcode_is('owner')) WITH CHECK (qualcode_is('owner'))")
    _policy(connection, "node", "team_add_code",
            "FOR INSERT WITH CHECK (qualcode_setting('coders_add_codes') AND level = 1)")


def add_member(connection: Connection, *, name: str, role: str, coder_id: int, password: str | None) -> bool:
    """Make `name` a member with `role` (a login role is created when new). True if created."""
    database = str(connection.execute(text("SELECT current_database()")).scalar_one())
    quoted = _q(connection, name)
    created = not _role_exists(connection, name)
    if created:
        secret = f" PASSWORD {_literal(password)}" if password is not None else ""
        connection.exec_driver_sql(f"CREATE ROLE {quoted} LOGIN{secret}")
    elif password is not None:
        connection.exec_driver_sql(f"ALTER ROLE {quoted} PASSWORD {_literal(password)}")
    for other in ROLES:
        connection.exec_driver_sql(f"REVOKE {_q(connection, group_role(database, other))} FROM {quoted}")
    connection.exec_driver_sql(f"GRANT {_q(connection, group_role(database, role))} TO {quoted}")
    connection.execute(text(
        "INSERT INTO team_member (role_name, coder_id, team_role) VALUES (:n, :c, :r) "
        "ON CONFLICT (role_name) DO UPDATE SET coder_id = excluded.coder_id, team_role = excluded.team_role"),
        {"n": name, "c": coder_id, "r": role})
    return created


def set_setting(connection: Connection, **values: Any) -> None:
    """Change `blind` and/or `coders_add_codes` (owners and the administrator)."""
    for key, value in values.items():
        if key not in ("blind", "coders_add_codes"):
            raise KeyError(key)
        connection.execute(text(f"UPDATE team_setting SET {key} = :v WHERE id = 1"), {"v": bool(value)})


def member_coder(connection: Connection) -> int | None:
    """The coder the connected member codes as (None for the administrator)."""
    if connection.execute(text("SELECT to_regclass('team_member')")).scalar() is None:
        return None
    value = connection.execute(text("SELECT coder_id FROM team_member WHERE role_name = current_user")).scalar()
    return None if value is None else int(value)
