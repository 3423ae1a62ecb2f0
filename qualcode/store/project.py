"""The project file: create, open (checks, lock, migration, backup), sessions, close.

A project is one SQLite file (`*.qualcode`) in WAL mode with foreign keys on. Every user
action is one transaction: `with project.session() as session: ...` commits on success and
rolls back on any error, so a failed action leaves the file as it was.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, configure_mappers, sessionmaker
from sqlalchemy.pool import QueuePool

from qualcode.domain.errors import (
    ProjectDamagedError,
    ProjectError,
    ProjectReadOnlyError,
    SchemaTooNewError,
    SchemaTooOldError,
)
from qualcode.store.backup import named_backup, pre_migration_backup, rotating_backup
from qualcode.store.lock import ProjectLock
from qualcode.store.models import ProjectInfo
from qualcode.store.schema import _alembic_config, schema_version
from qualcode.store.scratch import building_name, clean_debris, companions
from qualcode.store.sqlite_files import connect, probe_write, read_only_reason

log = logging.getLogger(__name__)

__all__ = ["PROJECT_SUFFIX", "Project", "_alembic_config", "schema_version"]

PROJECT_SUFFIX = ".qualcode"
CHECKPOINT_BYTES = 1 << 20  # a log this big after a unit of work is folded into the file
APPLICATION_ID = 0x51434F44  # "QCOD" in the SQLite header marks a QualCode project
def prepare() -> None:
    """Set up, ahead of the first project, what every process otherwise pays on its first
    open: the ORM's mappers and the SQLite dialect. Safe to call any number of times."""
    from sqlalchemy.dialects.sqlite import pysqlite  # noqa: F401  (loaded by name on first use)

    configure_mappers()


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


def _make_engine(
    path: Path, *, read_only: bool, foreign_keys: bool = True, immutable: bool = False, query_only: bool = False
) -> Engine:
    # The file is opened through a percent-encoded URI: any name the file system allows works.
    def _connect() -> sqlite3.Connection:
        return connect(
            path,
            read_only=read_only and not query_only,
            query_only=query_only,
            immutable=immutable,
            check_same_thread=False,
        )

    engine = create_engine("sqlite://", creator=_connect, poolclass=QueuePool)

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


def _has_log(path: Path) -> bool:
    wal = path.with_name(path.name + "-wal")
    try:
        return wal.stat().st_size > 0
    except OSError:
        return False


def _inspect(path: Path, *, check: str | None, immutable: bool = False, query_only: bool = False) -> int:
    """Check identity and (`check`: "integrity_check", "quick_check" or None for neither)
    integrity of the file; return its schema version."""
    try:
        with closing(connect(path, read_only=not query_only, query_only=query_only, immutable=immutable)) as conn:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            if app_id != APPLICATION_ID:
                raise ProjectError(f"'{path.name}' is a database but not a QualCode project.")
            rows = conn.execute(f"PRAGMA {check}(5)").fetchall() if check else [("ok",)]
            if rows != [("ok",)]:
                problems = "; ".join(str(row[0]) for row in rows)
                raise ProjectDamagedError(
                    f"'{path.name}' is damaged ({problems}). Restore it from a backup in '{path.stem}-backups'."
                )
            return int(conn.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.OperationalError as exc:
        # Not damage: the file cannot be read here (permissions, a missing folder, a busy lock).
        raise ProjectError(f"Cannot read '{path.name}' here: {exc}.") from None
    except sqlite3.DatabaseError as exc:
        raise ProjectDamagedError(
            f"'{path.name}' is damaged and cannot be read ({exc}). Restore it from a backup in '{path.stem}-backups'."
        ) from None


def _upgrade(path: Path) -> None:
    """Run the Alembic migrations up to the newest schema, in one transaction."""
    # Table rebuilds in SQLite migrations need foreign keys off; they are checked at the end.
    engine = _make_engine(path, read_only=False, foreign_keys=False)
    try:
        with engine.connect() as connection, connection.begin():
            from alembic import command

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


def _move_into_place(source: Path, target: Path) -> None:
    """Rename `source` to `target`, never replacing a file that appeared there meanwhile."""
    try:
        os.link(source, target)
    except FileExistsError:
        raise ProjectError(f"'{target}' already exists: choose another name.") from None
    except OSError:  # a file system without hard links: check, then rename
        if target.exists():
            raise ProjectError(f"'{target}' already exists: choose another name.") from None
        os.replace(source, target)
        return
    source.unlink()


class Project:
    """An open project file. Use `Project.create` or `Project.open`; close when done."""

    def __init__(self, path: Path, engine: Engine, lock: ProjectLock | None, read_only: bool):
        self.path = path
        self.read_only = read_only
        self._engine = engine
        self._lock = lock
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._closed = False
        self.read_only_reason: str | None = None
        self.warnings: list[str] = []
        self.schema = schema_version()
        self._inspect_flags = {"immutable": False, "query_only": True}  # how its file is read for a check

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
        # Built under a hidden name beside the target and renamed into place when whole, so
        # a process killed while creating it leaves no half-made project at that name. The
        # hidden file is locked from its first byte: one left by a killed process has a free
        # lock, which the next open in the folder recognises as debris and removes.
        problem = probe_write(path.parent)
        if problem is not None:
            raise ProjectError(f"Cannot create '{path.name}' in {path.parent}: {problem.strerror or problem}.")
        building = building_name(path)
        lock = ProjectLock(building)
        try:
            lock.acquire()
            building.touch(exist_ok=False)
        except BaseException:
            lock.release()
            raise
        try:
            _upgrade(building)
            project = cls.open(building, backup=False, _lock=lock)
            project._lock = None  # held on until the file is in place, then let go below
            try:
                with project.session() as session:
                    session.add(ProjectInfo(title=title or path.stem))
            finally:
                project.close()
            _move_into_place(building, path)
            lock.release()
        except BaseException:
            lock.release()
            for leftover in companions(building):
                leftover.unlink(missing_ok=True)
            raise
        return cls.open(path, backup=False)

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        read_only: bool = False,
        backup: bool = True,
        full_check: bool = True,
        check_now: bool = True,
        read_only_if_needed: bool = False,
        _lock: ProjectLock | None = None,
    ) -> Project:
        """Open a project: refuse foreign, damaged, locked or newer files; migrate older ones.

        An older project is copied to its backups folder before it is migrated. A project in
        a place that cannot be written (read-only media, a folder without write permission)
        is refused for writing with the reason, or opened read-only when `read_only_if_needed`
        (`read_only_reason` then says why). With `check_now` False the content is not checked
        here (only what the file is and its schema): the caller runs `find_damage` before reading.
        """
        path = Path(path).expanduser().absolute()
        if not path.exists():
            raise ProjectError(f"No project at '{path}'.")
        if path.is_dir():
            raise ProjectError(f"'{path}' is a folder, not a QualCode project.")
        _check_is_sqlite(path)
        real_path = Path(os.path.realpath(path))
        reason = read_only_reason(real_path)
        if reason is not None and not read_only:
            if not read_only_if_needed:
                raise ProjectReadOnlyError(
                    f"'{path.name}' cannot be changed here: {reason}. Open it read-only, "
                    "or copy it to a folder you can write to."
                )
            read_only = True
        # In a place SQLite cannot write its index file beside, a fully checkpointed project
        # is read as an immutable file; a project with committed work still in its log is not.
        immutable = read_only and reason is not None and not _has_log(real_path)
        lock = None if read_only else _lock or ProjectLock(path)
        if lock is not None and not lock.held:
            lock.acquire()
        try:
            if lock is not None:
                clean_debris(real_path)
            # Where the place is writable, reading leaves no log or index files behind.
            query_only = reason is None
            check = ("integrity_check" if full_check else "quick_check") if check_now else None
            version = _inspect(path, check=check, immutable=immutable, query_only=query_only)
            current = schema_version()
            if version > current:
                raise SchemaTooNewError(
                    f"'{path.name}' was saved by a newer QualCode (project schema {version}); "
                    f"this QualCode reads schema {current} and older. Update QualCode to open it."
                )
            if version < current:
                if read_only:
                    raise SchemaTooOldError(
                        f"'{path.name}' uses the older schema {version}: open it normally once "
                        "so QualCode can upgrade it.",
                        version,
                    )
                if check is None:  # an older schema is migrated only once the file is known whole
                    _inspect(path, check="quick_check", query_only=query_only)
                pre_migration_backup(real_path, version)
                _upgrade(path)
            engine = _make_engine(path, read_only=read_only, immutable=immutable, query_only=read_only and query_only)
            project = cls(path, engine, lock, read_only)
            project.read_only_reason = reason if read_only else None
            project.schema = version
            project._inspect_flags = {"immutable": immutable, "query_only": query_only}
            if backup and not read_only:
                try:
                    rotating_backup(real_path)
                except ProjectError as exc:
                    # A full disk must not lock the researcher out of their work: open anyway.
                    project.warnings.append(f"{exc} The project was opened without a fresh backup.")
                    log.warning("%s", project.warnings[-1])
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        return project

    def find_damage(self, *, full: bool = True) -> ProjectDamagedError | None:
        """Run SQLite's full integrity check (indexes against their tables, uniqueness), or with
        `full` False its quick check, on a connection of its own; the damage found, or None. The
        window runs the quick check while the counts are read ahead, and this off its UI thread
        before the backup."""
        try:
            _inspect(self.path, check="integrity_check" if full else "quick_check", **self._inspect_flags)
        except ProjectDamagedError as exc:
            return exc
        return None

    def back_up(self) -> Path:
        """Write a rotating backup of the project now and return its path. The window opens
        with `backup=False` and calls this off its UI thread; the copy is a consistent
        snapshot even while the project is being changed. Raises ProjectError."""
        return rotating_backup(Path(os.path.realpath(self.path)))

    def checkpoint(self) -> bool:
        """Fold the write-ahead log into the project file, so the file alone holds every
        committed change (a copy of just the `.qualcode` file is whole). False when it
        could not be done now (a reader in another process, a full disk)."""
        if self.read_only or self._closed:
            return False
        try:
            with self._engine.connect() as connection:
                busy, _log, _done = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
        except DBAPIError as exc:
            log.warning("Could not fold the log of '%s' into the file: %s", self.path.name, exc.orig)
            return False
        return not busy

    def _checkpoint_if_large(self) -> None:
        wal = self.path.with_name(self.path.name + "-wal")
        with suppress(OSError):
            if wal.stat().st_size > CHECKPOINT_BYTES:
                self.checkpoint()

    def close(self) -> None:
        """Checkpoint the write-ahead log into the file and release the lock."""
        if self._closed:
            return
        try:
            if not self.read_only and not self.checkpoint():
                log.warning(
                    "'%s' was closed with recent work still in '%s-wal' beside it: keep the two "
                    "files together (opening the project again folds it in).",
                    self.path.name,
                    self.path.name,
                )
        finally:
            self._closed = True
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
            if not self.read_only:
                self._checkpoint_if_large()
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
        return rotating_backup(Path(os.path.realpath(self.path)))

    def keep_backup(self, before: str) -> Path:
        """A backup kept for good before a big change (`before="anonymisation"`)."""
        return named_backup(Path(os.path.realpath(self.path)), before)

    @property
    def engine(self) -> Engine:
        return self._engine
