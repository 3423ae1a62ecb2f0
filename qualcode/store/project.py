"""The project file: create, open (checks, lock, migration, backup), sessions, close.

A project is one SQLite file (`*.qualcode`) in WAL mode with foreign keys on. Every user
action is one transaction: `with project.session() as session: ...` commits on success and
rolls back on any error, so a failed action leaves the file as it was.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from functools import cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from qualcode.domain.errors import ProjectError, SchemaTooNewError
from qualcode.store.backup import pre_migration_backup, rotating_backup
from qualcode.store.lock import ProjectLock
from qualcode.store.models import ProjectInfo

PROJECT_SUFFIX = ".qualcode"
APPLICATION_ID = 0x51434F44  # "QCOD" in the SQLite header marks a QualCode project
_MIGRATIONS = Path(__file__).with_name("migrations")


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    return config


@cache
def schema_version() -> int:
    """The schema this QualCode writes: the number of the newest migration."""
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return int(head)


def _storage_error(exc: DBAPIError, path: Path) -> ProjectError | None:
    message = str(exc.orig).lower()
    if "full" in message:
        return ProjectError(
            f"The disk is full: the last change to '{path.name}' was not saved. "
            "Free some space and try again; the project is unchanged."
        )
    if "readonly" in message or "read-only" in message:
        return ProjectError(f"'{path.name}' is read-only here: the change was not saved.")
    if "locked" in message or "busy" in message:
        return ProjectError(f"'{path.name}' is busy in another process: try again.")
    return None


def writable(path: Path) -> bool:
    """Whether the project file and its folder (for the write-ahead log and lock) can be written."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _read_only_uri(path: Path) -> str:
    """On a read-only folder or medium SQLite cannot make the shared-memory file a WAL database
    needs: the file is read as immutable there (nobody can write it either)."""
    return f"file:{path}?mode=ro" + ("" if os.access(path.parent, os.W_OK) else "&immutable=1")


def _make_engine(path: Path, *, read_only: bool, foreign_keys: bool = True) -> Engine:
    url = f"sqlite:///{_read_only_uri(path)}&uri=true" if read_only else f"sqlite:///{path}"
    engine = create_engine(url)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cursor.execute("PRAGMA busy_timeout=5000")
        if not read_only:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")

    return engine


def _check_is_sqlite(path: Path) -> None:
    try:
        with path.open("rb") as handle:
            header = handle.read(16)
    except OSError as exc:
        raise ProjectError(f"Cannot read '{path}': {exc.strerror or exc}.") from None
    if header != b"SQLite format 3\x00":
        raise ProjectError(f"'{path.name}' is not a QualCode project (not a database file).")


def _inspect(path: Path, *, full_check: bool) -> int:
    """Check identity and integrity of the file; return its schema version."""
    try:
        with closing(sqlite3.connect(_read_only_uri(path), uri=True)) as conn:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            if app_id != APPLICATION_ID:
                raise ProjectError(f"'{path.name}' is a database but not a QualCode project.")
            pragma = "integrity_check" if full_check else "quick_check"
            rows = conn.execute(f"PRAGMA {pragma}(5)").fetchall()
            if rows != [("ok",)]:
                problems = "; ".join(str(row[0]) for row in rows)
                raise ProjectError(
                    f"'{path.name}' is damaged ({problems}). Restore it from a backup in '{path.stem}-backups'."
                )
            return int(conn.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        raise ProjectError(
            f"'{path.name}' is damaged and cannot be read ({exc}). Restore it from a backup in '{path.stem}-backups'."
        ) from None


def _upgrade(path: Path) -> None:
    """Run the Alembic migrations up to the newest schema, in one transaction."""
    # Table rebuilds in SQLite migrations need foreign keys off; they are checked at the end.
    engine = _make_engine(path, read_only=False, foreign_keys=False)
    try:
        with engine.connect() as connection, connection.begin():
            config = _alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise ProjectError(f"Migration of '{path.name}' broke references: {broken[:3]}")
            connection.exec_driver_sql(f"PRAGMA user_version={schema_version()}")
            connection.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
    finally:
        engine.dispose()


class Project:
    """An open project file. Use `Project.create` or `Project.open`; close when done."""

    def __init__(self, path: Path, engine: Engine, lock: ProjectLock | None, read_only: bool):
        self.path = path
        self.read_only = read_only
        self._engine = engine
        self._lock = lock
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._closed = False

    # -- lifecycle ------------------------------------------------------------------------

    @classmethod
    def create(cls, path: str | Path, *, title: str = "") -> Project:
        """Create a new, empty project file and open it."""
        path = Path(path).expanduser().absolute()
        if path.suffix != PROJECT_SUFFIX:
            path = path.with_name(path.name + PROJECT_SUFFIX)
        if path.exists():
            raise ProjectError(f"'{path}' already exists: choose another name.")
        if not path.parent.is_dir():
            raise ProjectError(f"Cannot create '{path.name}': the folder {path.parent} does not exist.")
        try:
            path.touch(exist_ok=False)
            path.unlink()
        except OSError as exc:
            raise ProjectError(f"Cannot create '{path.name}' in {path.parent}: {exc.strerror or exc}.") from None
        try:
            _upgrade(path)
            project = cls.open(path, backup=False)
        except BaseException:
            for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                leftover.unlink(missing_ok=True)
            raise
        with project.session() as session:
            session.add(ProjectInfo(title=title or path.stem))
        return project

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        read_only: bool = False,
        backup: bool = True,
        full_check: bool = True,
    ) -> Project:
        """Open a project: refuse foreign, damaged, locked or newer files; migrate older ones.

        An older project is copied to its backups folder before it is migrated.
        """
        path = Path(path).expanduser().absolute()
        if not path.exists():
            raise ProjectError(f"No project at '{path}'.")
        if path.is_dir():
            raise ProjectError(f"'{path}' is a folder, not a QualCode project.")
        _check_is_sqlite(path)
        lock = None if read_only else ProjectLock(path)
        if lock is not None:
            lock.acquire()
        try:
            version = _inspect(path, full_check=full_check)
            current = schema_version()
            if version > current:
                raise SchemaTooNewError(
                    f"'{path.name}' was saved by a newer QualCode (project schema {version}); "
                    f"this QualCode reads schema {current} and older. Update QualCode to open it."
                )
            if version < current:
                if read_only:
                    raise ProjectError(
                        f"'{path.name}' uses the older schema {version}: open it normally once "
                        "so QualCode can upgrade it."
                    )
                pre_migration_backup(path, version)
                _upgrade(path)
            project = cls(path, _make_engine(path, read_only=read_only), lock, read_only)
            if backup and not read_only:
                rotating_backup(path)
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        return project

    def close(self) -> None:
        """Checkpoint the write-ahead log into the file and release the lock."""
        if self._closed:
            return
        self._closed = True
        try:
            if not self.read_only:
                with suppress(DBAPIError), self._engine.connect() as connection:
                    connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            self._engine.dispose()
            if self._lock is not None:
                self._lock.release()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- work -----------------------------------------------------------------------------

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back if it raises."""
        if self._closed:
            raise ProjectError(f"'{self.path.name}' is closed.")
        session = self._sessions()
        try:
            yield session
            session.commit()
        except DBAPIError as exc:
            session.rollback()
            friendly = _storage_error(exc, self.path)
            if friendly is None:
                raise
            raise friendly from None
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def backup(self) -> Path:
        """A rotating backup of the project as it is now (safe while it is in use)."""
        return rotating_backup(self.path)

    @property
    def engine(self) -> Engine:
        return self._engine
