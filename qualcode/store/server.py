"""Team projects on a PostgreSQL server: the same schema and migrations as the project file.

A team project is one PostgreSQL database, named by a URL such as
`postgresql://ana@db.example.org:5432/loneliness`. The URL never holds a password: it comes
from the OS keyring (`keyring`, service "qualcode", user `name@host:port`) when one is
stored there, otherwise libpq finds it as usual in `~/.pgpass` or a service file
(`postgresql:///loneliness?service=team`).

What the project file keeps in SQLite headers maps to the server like this: the schema
version is Alembic's `alembic_version` row, the identity is the comment
`QUALCODE_COMMENT` on the `project_info` table (it travels with `pg_dump`), integrity is
the server's business (constraints, WAL, checksums) plus a check that the search index is
valid, and backups are `pg_dump` archives.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from alembic import command
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from qualcode.domain.errors import PermissionDeniedError, ProjectError, SchemaTooNewError
from qualcode.domain.location import is_team_url
from qualcode.store.models import ProjectInfo
from qualcode.store.project import Project
from qualcode.store.schema import _alembic_config, schema_version

QUALCODE_COMMENT = "QualCode team project"
INSUFFICIENT_PRIVILEGE = "42501"  # also what row-level security raises for a row it refuses
KEYRING_SERVICE = "qualcode"


def parse_url(url: str) -> URL:
    """The SQLAlchemy URL for a team URL; refuses passwords written into it."""
    if not is_team_url(url):
        raise ProjectError(f"'{url}' is not a team project URL (postgresql://user@host/database).")
    if urlsplit(url).password is not None:
        raise ProjectError("Do not put a password in the URL: store it in the keyring or in ~/.pgpass.")
    try:
        parsed = make_url(url)
    except Exception:
        raise ProjectError(f"'{url}' is not a valid team project URL.") from None
    if not parsed.database:
        raise ProjectError(f"'{url}' names no database: add /DATABASE at the end.")
    return parsed.set(drivername="postgresql+psycopg")


def keyring_user(url: URL) -> str:
    return f"{url.username or ''}@{url.host or 'localhost'}:{url.port or 5432}"


def keyring_password(url: URL) -> str | None:
    """The member's password from the OS keyring, if the keyring has one for this server."""
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:
        return None
    try:
        value = keyring.get_password(KEYRING_SERVICE, keyring_user(url))
    except (KeyringError, RuntimeError):
        return None
    return value


def store_password(url: str, password: str) -> None:
    """Remember a member's password in the OS keyring (never in the project or the URL)."""
    import keyring

    keyring.set_password(KEYRING_SERVICE, keyring_user(parse_url(url)), password)


def display_name(url: URL) -> str:
    return f"{url.database} on {url.host or 'localhost'}"


def make_server_engine(url: str | URL, **kwargs: Any) -> Engine:
    parsed = parse_url(url) if isinstance(url, str) else url
    password = keyring_password(parsed)
    connect_args: dict[str, Any] = {"connect_timeout": 10}
    if password is not None:
        connect_args["password"] = password
    try:
        import psycopg  # noqa: F401 - the driver SQLAlchemy loads for postgresql+psycopg
    except ImportError:
        raise ProjectError("Team projects need the PostgreSQL driver: pip install 'qualcode[postgres]'.") from None
    return create_engine(parsed, connect_args=connect_args, pool_pre_ping=False, **kwargs)


def _connection_error(exc: DBAPIError, url: URL) -> ProjectError:
    first = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
    first = first.removeprefix("connection failed: ")
    return ProjectError(f"Cannot connect to the team project {display_name(url)}: {first}")


def _server_version(connection: Any) -> int | None:
    if connection.execute(text("SELECT to_regclass('alembic_version')")).scalar() is None:
        return None
    row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
    return None if row is None else int(row[0])


def _identity(connection: Any) -> str | None:
    value = connection.execute(text("SELECT obj_description(to_regclass('project_info'), 'pg_class')")).scalar()
    return None if value is None else str(value)


def upgrade_server(engine: Engine) -> None:
    """Bring the database to the newest schema (Alembic, one transaction) and mark it as QualCode's."""
    with engine.connect() as connection, connection.begin():
        config = _alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        connection.exec_driver_sql(f"COMMENT ON TABLE project_info IS '{QUALCODE_COMMENT}'")


class TeamProject(Project):
    """An open team project: sessions against the server, one transaction per user action.

    It offers what `Project` offers to services and commands (`session`, `close`, `engine`),
    so every service runs on it unchanged.
    """

    read_only = False

    def __init__(self, url: URL, engine: Engine) -> None:
        super().__init__(Path(f"{url.database}"), engine, None, read_only=False)
        self.url = url

    @property
    def location(self) -> str:
        return self.url.render_as_string(hide_password=True).replace("+psycopg", "")

    @classmethod
    def create(cls, url: str | Path, *, title: str = "") -> TeamProject:
        """Set up the schema in an existing, empty database and open it."""
        parsed = parse_url(str(url))
        engine = make_server_engine(parsed)
        try:
            with engine.connect() as connection:
                if _server_version(connection) is not None or _identity(connection) == QUALCODE_COMMENT:
                    raise ProjectError(f"{display_name(parsed)} already holds a QualCode project.")
            upgrade_server(engine)
        except OperationalError as exc:
            engine.dispose()
            raise _connection_error(exc, parsed) from None
        except BaseException:
            engine.dispose()
            raise
        project = cls(parsed, engine)
        with project.session() as session:
            session.add(ProjectInfo(title=title or str(parsed.database)))
        return project

    @classmethod
    def open(  # type: ignore[override]
        cls, url: str | Path, *, upgrade: bool = True, **_file_options: bool
    ) -> TeamProject:
        """Connect; refuse databases that are not QualCode projects or are from a newer QualCode."""
        parsed = parse_url(str(url))
        engine = make_server_engine(parsed)
        try:
            with engine.connect() as connection:
                identity = _identity(connection)
                version = _server_version(connection)
            if identity != QUALCODE_COMMENT or version is None:
                raise ProjectError(f"{display_name(parsed)} is a database but not a QualCode team project.")
            current = schema_version()
            if version > current:
                raise SchemaTooNewError(
                    f"{display_name(parsed)} was set up by a newer QualCode (project schema {version}); "
                    f"this QualCode reads schema {current} and older. Update QualCode to open it.")
            if version < current:
                if not upgrade:
                    raise ProjectError(f"{display_name(parsed)} uses the older schema {version}: "
                                       "its owner must open it once so QualCode can upgrade it.")
                upgrade_server(engine)
        except OperationalError as exc:
            engine.dispose()
            raise _connection_error(exc, parsed) from None
        except BaseException:
            engine.dispose()
            raise
        return cls(parsed, engine)

    def __enter__(self) -> TeamProject:
        return self

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._engine.dispose()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back if it raises."""
        if self._closed:
            raise ProjectError(f"{display_name(self.url)} is closed.")
        session = self._sessions()
        try:
            yield session
            session.commit()
        except OperationalError as exc:
            session.rollback()
            raise _connection_error(exc, self.url) from None
        except DBAPIError as exc:
            session.rollback()
            if getattr(exc.orig, "sqlstate", None) == INSUFFICIENT_PRIVILEGE:
                raise PermissionDeniedError(
                    f"Not allowed: your role in the team project {display_name(self.url)} does not permit this "
                    f"change ({str(exc.orig).splitlines()[0]}).") from None
            raise
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def backup(self, folder: Path | None = None) -> Path:
        """A `pg_dump` archive (custom format, restore with pg_restore) of the whole project."""
        pg_dump = shutil.which("pg_dump") or next(
            (str(p) for p in sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_dump"), reverse=True)), None)
        if pg_dump is None:
            raise ProjectError("pg_dump is not installed: install the PostgreSQL client tools to back up.")
        folder = folder or Path.cwd()
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{self.url.database}-{datetime.now():%Y%m%d-%H%M%S-%f}.dump"
        env = None
        password = keyring_password(self.url)
        if password is not None:
            import os

            env = {**os.environ, "PGPASSWORD": password}
        libpq_url = self.location
        result = subprocess.run([pg_dump, "--format=custom", f"--file={target}", f"--dbname={libpq_url}"],
                                capture_output=True, text=True, env=env, check=False)
        if result.returncode != 0:
            target.unlink(missing_ok=True)
            raise ProjectError(f"pg_dump could not back up {display_name(self.url)}: {result.stderr.strip()}")
        return target


def open_project(location: str | Path, *, read_only: bool = False, backup: bool = True,
                 full_check: bool = True) -> Project:
    """Open a project file, or the team project a postgresql:// URL names."""
    if is_team_url(location):
        return TeamProject.open(str(location))
    return Project.open(location, read_only=read_only, backup=backup, full_check=full_check)
