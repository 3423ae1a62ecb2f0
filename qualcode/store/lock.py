"""A lock file beside the project so a second process gets a clear message, not a clash.

The lock records host and process id. A lock left by a crashed process on this host is
detected (its process is gone) and cleared.
"""

from __future__ import annotations

import json
import os
import socket
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path

from qualcode.domain.errors import ProjectError, ProjectLockedError


def lock_path_for(project_path: Path) -> Path:
    return project_path.with_name(project_path.name + ".lock")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


class ProjectLock:
    def __init__(self, project_path: Path) -> None:
        self.path = lock_path_for(project_path)
        self.project_path = project_path
        self.held = False

    def acquire(self) -> None:
        for _ in range(3):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                self._refuse_or_clear()
                continue
            except OSError as exc:
                raise ProjectError(f"Cannot lock '{self.project_path.name}': {exc.strerror or exc}.") from None
            info = {
                "host": socket.gethostname(),
                "pid": os.getpid(),
                "since": datetime.now(UTC).isoformat(timespec="seconds"),
            }
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(info, handle)
            self.held = True
            return
        raise ProjectError(f"Cannot lock '{self.project_path.name}': the lock keeps changing.")

    def _refuse_or_clear(self) -> None:
        try:
            info = json.loads(self.path.read_text(encoding="utf-8"))
            host, pid = str(info["host"]), int(info["pid"])
        except (OSError, ValueError, KeyError, TypeError):
            # An unreadable lock is a leftover of a crash during its own writing.
            with suppress(FileNotFoundError):
                self.path.unlink()
            return
        if host == socket.gethostname() and not _pid_alive(pid):
            with suppress(FileNotFoundError):
                self.path.unlink()
            return
        since = info.get("since", "")
        raise ProjectLockedError(
            f"'{self.project_path.name}' is already open by {host}/{pid}"
            + (f" since {since}" if since else "")
            + ". Close it there first, or open it read-only."
        )

    def release(self) -> None:
        if self.held:
            with suppress(FileNotFoundError):
                self.path.unlink()
            self.held = False
