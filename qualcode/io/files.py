"""Writing export files safely: into a temporary file in the same folder, then renamed.

A reader never sees a half-written file: an export either replaces the target completely
or leaves it (and the folder) as it was. Problems with the path are reported in one line.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from qualcode.domain.errors import QualCodeError


class OutputFileError(QualCodeError):
    """An export file that cannot be written where the user asked."""


def check_output_path(path: str | Path) -> Path:
    """The absolute target path, after checking its folder exists and it is not a folder itself."""
    target = Path(path).expanduser().absolute()
    if target.is_dir():
        raise OutputFileError(f"'{target}' is a folder: give a file name to write to.")
    if not target.parent.is_dir():
        raise OutputFileError(f"Cannot write '{target.name}': the folder {target.parent} does not exist.")
    return target


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextmanager
def atomic_output(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces `path`, on any error it is removed."""
    target = check_output_path(path)
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=target.suffix + ".part",
                                             dir=target.parent)
    except OSError as exc:
        raise OutputFileError(f"Cannot write '{target.name}' in {target.parent}: {exc.strerror or exc}.") from None
    os.close(handle)
    temp = Path(temp_name)
    try:
        yield temp
        try:
            os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes it private; give it a normal file's mode
            os.replace(temp, target)
        except OSError as exc:
            raise OutputFileError(f"Cannot write '{target}': {exc.strerror or exc}.") from None
    except OSError as exc:
        raise OutputFileError(f"Cannot write '{target.name}': {exc.strerror or exc}.") from None
    finally:
        with suppress(OSError):
            temp.unlink(missing_ok=True)
