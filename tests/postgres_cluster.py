"""A throwaway PostgreSQL cluster for the tests: initdb in a temporary folder, started with
pg_ctl on a free port (and a unix socket in the same folder), stopped and deleted afterwards.

PostgreSQL refuses to run as root, so under root the cluster belongs to an unprivileged OS
user (`postgres` when it exists, otherwise one is created). The superuser `qualcode_admin`
has a password (scram over TCP); the members the tests add log in with their own passwords,
so the security tests go through the same authentication a team's server uses.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

ADMIN = "qualcode_admin"
_USER = "postgres"


def _binary(name: str) -> str:
    for folder in ("/usr/local/bin", *sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)):
        candidate = Path(folder) / name
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise FileNotFoundError(f"PostgreSQL's {name} is not installed (apt-get install postgresql)")
    return found


def available() -> bool:
    try:
        _binary("initdb")
        _binary("pg_ctl")
    except FileNotFoundError:
        return False
    return True


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_server_user(args: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return args
    try:
        pwd.getpwnam(_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", _USER], check=True)
    return ["runuser", "-u", _USER, "--", *args]


@dataclass
class Cluster:
    folder: Path
    port: int
    password: str

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, database: str = "postgres", user: str = ADMIN) -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        subprocess.run(_as_server_user([_binary("pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"]),
                       check=False, capture_output=True)
        shutil.rmtree(self.folder, ignore_errors=True)


def start_cluster() -> Cluster:
    """initdb + pg_ctl start, tuned for tests (no fsync); about a second."""
    folder = Path(tempfile.mkdtemp(prefix="qualcode-pg-"))
    password = secrets.token_hex(12)
    (folder / "pwfile").write_text(password + "\n")
    if os.geteuid() == 0:
        _as_server_user(["true"])
        shutil.chown(folder, _USER)
        shutil.chown(folder / "pwfile", _USER)
    run = lambda args: subprocess.run(_as_server_user(args), check=True, capture_output=True, text=True)
    run([_binary("initdb"), "-D", str(folder / "data"), "-U", ADMIN, f"--pwfile={folder / 'pwfile'}",
         "--auth-local=scram-sha-256", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "-N"])
    port = _free_port()
    options = (f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
               "-c full_page_writes=off -c max_connections=60 -c shared_buffers=32MB")
    try:
        run([_binary("pg_ctl"), "-D", str(folder / "data"), "-o", options, "-l", str(folder / "log"), "-w", "start"])
    except subprocess.CalledProcessError as exc:
        log = (folder / "log").read_text() if (folder / "log").exists() else ""
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL did not start: {exc.stderr}\n{log}") from None
    return Cluster(folder, port, password)
