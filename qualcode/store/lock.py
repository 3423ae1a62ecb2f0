"""One writer per project: a lock file beside it, so a second process gets a clear message.

The lock is keyed on the project's identity, not on the name it was opened by: the lock
file sits beside the resolved file (a symlink leads to the same lock), and a second,
host-wide lock keyed on the file's device and inode catches hard links to one project.

Both locks are taken with `flock`, which is atomic and which the operating system drops
when the holding process dies, so a crash never blocks a project. The lock file also
records host, process id, the process's start time and the boot id; a lock file nobody
holds is judged by those (a process id reused after a reboot is not its old owner).
Every refusal names the lock file, so a person can see what blocks the project.
"""

from __future__ import annotations

import errno
import json
import os
import socket
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from qualcode.domain.errors import ProjectError, ProjectLockedError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows has no flock; the lock file alone guards
    fcntl = None  # type: ignore[assignment]


def lock_path_for(project_path: Path) -> Path:
    """The lock file of a project: beside the file a symlink resolves to."""
    real = Path(os.path.realpath(project_path))
    return real.with_name(real.name + ".lock")


def boot_id() -> str:
    with suppress(OSError):
        return Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip()
    return ""


def _boot_time() -> float | None:
    with suppress(OSError, ValueError, IndexError):
        uptime = float(Path("/proc/uptime").read_text(encoding="ascii").split()[0])
        return time.time() - uptime
    return None


def process_started(pid: int) -> str:
    """When process `pid` started (clock ticks since boot), or "" when it is not knowable."""
    with suppress(OSError, ValueError, IndexError):
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
        # The command name (field 2) may hold spaces and brackets: count from its end.
        return stat[stat.rindex(")") + 2 :].split()[19]
    return ""


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


def _owner_alive(info: dict[str, Any]) -> bool:
    """Whether the process named in a lock file on this host still runs as the same process."""
    pid = int(info["pid"])
    if pid <= 0 or not _pid_alive(pid):
        return False
    boot = str(info.get("boot_id", ""))
    if boot and boot_id() and boot != boot_id():
        return False  # written before a reboot: the number now belongs to another process
    started = str(info.get("started", ""))
    if started and process_started(pid) and started != process_started(pid):
        return False  # the process id was reused
    since = str(info.get("since", ""))
    boot_time = _boot_time()
    if not boot and since and boot_time is not None:
        with suppress(ValueError):
            if datetime.fromisoformat(since).timestamp() < boot_time - 60:
                return False  # an old-style lock older than this boot
    return True


def _registry_dir() -> Path:
    """A private, host-wide folder for locks keyed on file identity."""
    base = os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()
    uid = os.getuid() if hasattr(os, "getuid") else 0
    folder = Path(base) / f"qualcode-locks-{uid}"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def _read_info(fd: int) -> dict[str, Any] | None:
    with suppress(OSError, ValueError, TypeError):
        os.lseek(fd, 0, os.SEEK_SET)
        data = b""
        while chunk := os.read(fd, 65536):
            data += chunk
        info = json.loads(data.decode("utf-8"))
        if isinstance(info, dict) and "host" in info and "pid" in info:
            int(info["pid"])
            return info
    return None


def _read_info_at(path: Path) -> dict[str, Any] | None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        return _read_info(fd)
    finally:
        os.close(fd)


def _write_info(fd: int, info: dict[str, Any]) -> None:
    data = json.dumps(info).encode("utf-8")
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, data)


class _Held:
    """One flock-held file: open, locked, and still the file at its path."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self.fd = fd

    @classmethod
    def take(cls, path: Path) -> _Held | None:
        """Lock `path` (created if missing); None when another process holds it."""
        for _ in range(50):
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                if fcntl is not None:
                    try:
                        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    except OSError as exc:
                        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                            os.close(fd)
                            return None
                        if exc.errno not in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL):
                            raise
                        # A file system without flock: the recorded owner alone guards it.
                # The holder before us may have removed the file as it let go: start again.
                held, named = os.fstat(fd), os.stat(path)
                if (held.st_dev, held.st_ino) == (named.st_dev, named.st_ino):
                    return cls(path, fd)
            except FileNotFoundError:
                pass
            except BaseException:
                os.close(fd)
                raise
            os.close(fd)
        raise ProjectError(f"Cannot lock: the lock file {path} keeps changing.")

    def release(self, *, remove: bool = True) -> None:
        # Remove it while still holding it, so nobody locks a file that is being removed.
        with suppress(OSError):
            held, named = os.fstat(self.fd), os.stat(self.path)
            if remove and (held.st_dev, held.st_ino) == (named.st_dev, named.st_ino):
                self.path.unlink()
        with suppress(OSError):
            os.close(self.fd)


@contextmanager
def held_lock(path: Path, *, remove: bool = True) -> Iterator[None]:
    """Hold the lock file at `path` for the block; BlockingIOError when another process does."""
    held = _Held.take(path)
    if held is None:
        raise BlockingIOError(errno.EWOULDBLOCK, f"{path} is in use")
    try:
        yield
    finally:
        held.release(remove=remove)


class ProjectLock:
    def __init__(self, project_path: Path) -> None:
        self.project_path = project_path
        self.real_path = Path(os.path.realpath(project_path))
        self.path = lock_path_for(project_path)
        self.held = False
        self._beside: _Held | None = None
        self._identity: _Held | None = None

    def _info(self) -> dict[str, Any]:
        return {
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "started": process_started(os.getpid()),
            "boot_id": boot_id(),
            "since": datetime.now(UTC).isoformat(timespec="seconds"),
            "project": str(self.real_path),
            "lock": str(self.path),
        }

    def _refuse(self, info: dict[str, Any] | None, lock_file: Path) -> ProjectLockedError:
        who = ""
        if info is not None:
            since = str(info.get("since", ""))
            who = f" by {info['host']}/{info['pid']}" + (f" since {since}" if since else "")
        return ProjectLockedError(
            f"'{self.project_path.name}' is already open{who} (lock file {lock_file}). "
            "Close it there first, or open it read-only."
        )

    def acquire(self) -> None:
        try:
            self._acquire()
        except OSError as exc:
            self.release()
            raise ProjectError(
                f"Cannot lock '{self.project_path.name}' (lock file {self.path}): {exc.strerror or exc}."
            ) from None
        except BaseException:
            self.release()
            raise

    def _acquire(self) -> None:
        stat = None
        with suppress(FileNotFoundError):  # a file about to be created has no other names yet
            stat = os.stat(self.real_path)
        if fcntl is not None and stat is not None:
            registry = _registry_dir() / f"{stat.st_dev}-{stat.st_ino}.lock"
            self._identity = _Held.take(registry)
            if self._identity is None:
                # Another name of the same file (a hard link) is open in a process on this host.
                info = _read_info_at(registry)
                shown = Path(str(info["lock"])) if info and "lock" in info else registry
                raise self._refuse(info, shown)
        self._beside = _Held.take(self.path)
        if self._beside is None:
            raise self._refuse(_read_info_at(self.path), self.path)
        previous = _read_info(self._beside.fd)
        # Nobody holds the lock file, but it may name an owner: one on another host (which
        # cannot be asked) or one on this host that is still running is respected.
        if (
            previous is not None
            and previous.get("pid") != os.getpid()
            and (str(previous["host"]) != socket.gethostname() or _owner_alive(previous))
        ):
            self._beside.release(remove=False)  # it is theirs: leave it in place
            self._beside = None
            raise self._refuse(previous, self.path)
        info = self._info()
        _write_info(self._beside.fd, info)
        if self._identity is not None:
            _write_info(self._identity.fd, info)
        self.held = True

    def release(self) -> None:
        for held in (self._beside, self._identity):
            if held is not None:
                held.release()
        self._beside = self._identity = None
        self.held = False
