"""Writing export files safely: into a temporary file in the same folder, then renamed.

A reader never sees a half-written file: an export either replaces the target completely
or leaves it (and the folder) as it was. Problems with the path are reported in one line.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from qualcode.domain.errors import ProjectError


class OutputFileError(ProjectError):
    """An export file that cannot be written where the user asked."""


def check_output_path(path: str | Path) -> Path:
    """The absolute target path, after checking its folder exists and it is not a folder itself."""
    target = Path(path).expanduser().absolute()
    if target.is_dir():
        raise OutputFileError(f"'{target}' is a folder: give a file name to write to.")
    if not target.parent.is_dir():
        raise OutputFileError(f"Cannot write '{target.name}': the folder {target.parent} does not exist.")
    return target


@contextmanager
def atomic_output(path: str | Path, *, private: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside `path` to write; on success it replaces `path`, on any
    error it is removed. The file gets an ordinary new file's permissions (the umask applies),
    or owner-only ones when `private` (e.g. a key of real names)."""
    target = check_output_path(path)
    temp = target.with_name(f".{target.stem}-{secrets.token_hex(6)}{target.suffix}.part")
    try:
        os.close(os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600 if private else 0o666))
    except OSError as exc:
        raise OutputFileError(f"Cannot write '{target.name}' in {target.parent}: {exc.strerror or exc}.") from None
    try:
        yield temp
        os.replace(temp, target)
    except OSError as exc:
        raise OutputFileError(f"Cannot write '{target.name}': {exc.strerror or exc}.") from None
    finally:
        with suppress(OSError):
            temp.unlink(missing_ok=True)
