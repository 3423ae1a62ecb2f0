"""Opening SQLite files by any path a file system allows, and saying why a place is read-only.

SQLite reads `file:` URIs with `?`, `#` and `%xx` as syntax, so a path is always percent-
encoded before it goes into a URI; nothing else builds a URI or a database URL by hand.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path
from urllib.parse import quote


def file_uri(path: Path, **params: str) -> str:
    """A `file:` URI for `path` that SQLite decodes back to exactly that path."""
    text = quote(os.fsencode(os.path.abspath(path)), safe="/")
    if not text.startswith("/"):  # Windows drive paths: file:///C:/...
        text = "/" + text
    query = "&".join(f"{key}={quote(value, safe='')}" for key, value in params.items())
    return f"file://{text}" + (f"?{query}" if query else "")


def connect(
    path: Path, *, read_only: bool = False, immutable: bool = False, query_only: bool = False,
    check_same_thread: bool = True,
) -> sqlite3.Connection:
    """Open the database file at `path` (never creating it when reading only).

    `query_only` reads through a writable connection that refuses every change: unlike a
    `mode=ro` connection it tidies the log and index files away when it closes.
    """
    params: dict[str, str] = {}
    if read_only or immutable:
        params["mode"] = "ro"
    elif query_only:
        params["mode"] = "rw"
    if immutable:
        params["immutable"] = "1"
    connection = sqlite3.connect(file_uri(path, **params), uri=True, check_same_thread=check_same_thread)
    if query_only:
        connection.execute("PRAGMA query_only=ON")
    return connection


WRITE_PROBE = ".qualcode-write-test-"  # and the id of the process: what probe_write makes


def probe_write(folder: Path) -> OSError | None:
    """Try to create a file in `folder`; the error says why a place is read-only."""
    probe = folder / f"{WRITE_PROBE}{os.getpid()}"
    try:
        fd = os.open(probe, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return None
    except OSError as exc:
        return exc
    os.close(fd)
    probe.unlink(missing_ok=True)
    return None


def read_only_reason(path: Path) -> str | None:
    """Why the project at `path` cannot be written here, in words; None when it can.

    SQLite writes a log and an index file beside the project, and QualCode a lock and
    backups, so both the file and its folder must be writable.
    """
    folder = path.parent
    problem = probe_write(folder)
    if problem is not None:
        if problem.errno == errno.EROFS:
            return f"it is on a read-only disk or medium ({folder})"
        if problem.errno in (errno.EACCES, errno.EPERM):
            return f"you do not have permission to write in its folder ({folder})"
        return f"its folder cannot be written ({folder}: {problem.strerror or problem})"
    if not os.access(path, os.W_OK):
        return "the file itself is read-only (its permissions do not allow writing)"
    try:
        with open(path, "r+b"):
            pass
    except OSError as exc:
        if exc.errno == errno.EROFS:
            return f"it is on a read-only disk or medium ({folder})"
        if exc.errno in (errno.EACCES, errno.EPERM):
            return "the file itself is read-only (its permissions do not allow writing)"
        return f"the file cannot be written ({exc.strerror or exc})"
    return None
