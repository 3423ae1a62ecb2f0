"""Shared fixtures: a real project file in a temporary folder."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Nothing the tests run (windows, `qualcode demo`, installed copies in subprocesses) reads or
# writes the user's own settings, recent projects or data folder.
_PRIVATE_HOME = Path(tempfile.mkdtemp(prefix="qualcode-tests-"))
for _name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME"):
    os.environ[_name] = str(_PRIVATE_HOME / _name.lower())

from qualcode.store.project import Project  # noqa: E402  (after the environment it reads is set)


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_PRIVATE_HOME, ignore_errors=True)


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    """A new, empty project file, closed after the test."""
    proj = Project.create(tmp_path / "study.qualcode", title="Study")
    yield proj
    proj.close()


# -- PostgreSQL: one throwaway cluster per test run, one database per test -----------------

ENGINES = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[object]:
    """A PostgreSQL cluster in a temporary folder, started once and stopped at the end.

    The admin password reaches libpq through a `.pgpass` file (PGPASSFILE), as a team
    member's would; nothing secret is ever put in a URL.
    """
    from tests import postgres_cluster

    if not postgres_cluster.available():
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    cluster = postgres_cluster.start_cluster()
    pgpass = cluster.folder / "pgpass"
    pgpass.write_text(f"127.0.0.1:{cluster.port}:*:{postgres_cluster.ADMIN}:{cluster.password}\n")
    pgpass.chmod(0o600)
    previous = os.environ.get("PGPASSFILE")
    os.environ["PGPASSFILE"] = str(pgpass)
    try:
        yield cluster
    finally:
        if previous is None:
            os.environ.pop("PGPASSFILE", None)
        else:
            os.environ["PGPASSFILE"] = previous
        cluster.stop()


def _admin_execute(cluster: object, *statements: str) -> None:
    import psycopg

    with psycopg.connect(cluster.url(), autocommit=True) as connection:  # type: ignore[attr-defined]
        for statement in statements:
            connection.execute(statement)


@pytest.fixture(scope="session")
def pg_template(pg_cluster: object) -> str:
    """A database holding an empty team project at the newest schema, copied for each test."""
    from qualcode.store.server import TeamProject

    _admin_execute(pg_cluster, "CREATE DATABASE qualcode_template")
    TeamProject.create(pg_cluster.url("qualcode_template"), title="Study").close()  # type: ignore[attr-defined]
    return "qualcode_template"


_database_numbers = iter(range(1, 1_000_000))


@pytest.fixture
def team_url(pg_cluster: object, pg_template: str) -> Iterator[str]:
    """The URL of a fresh team project database (a copy of the template), dropped afterwards."""
    name = f"qualcode_test_{next(_database_numbers)}"
    _admin_execute(pg_cluster, f"CREATE DATABASE {name} TEMPLATE {pg_template}")
    yield pg_cluster.url(name)  # type: ignore[attr-defined]
    _admin_execute(pg_cluster, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def open_any(engine: str, request: pytest.FixtureRequest, tmp_path: Path, name: str = "study") -> object:
    """A new, empty project on the given engine: a file, or a team project on the test server."""
    if engine == "sqlite":
        return Project.create(tmp_path / f"{name}.qualcode", title="Study")
    from qualcode.store.server import TeamProject

    return TeamProject.open(request.getfixturevalue("team_url"))


@pytest.fixture(params=ENGINES)
def any_project(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Project]:
    """A new, empty project, once as a SQLite file and once on PostgreSQL."""
    proj = open_any(request.param, request, tmp_path)
    yield proj  # type: ignore[misc]
    proj.close()  # type: ignore[attr-defined]


def add_password(cluster: object, user: str, password: str) -> None:
    """Let libpq find a member's password, as `~/.pgpass` does on a member's machine."""
    pgpass = cluster.folder / "pgpass"  # type: ignore[attr-defined]
    with pgpass.open("a") as handle:
        handle.write(f"127.0.0.1:{cluster.port}:*:{user}:{password}\n")  # type: ignore[attr-defined]


@pytest.fixture
def new_team_url(pg_cluster: object) -> Iterator[str]:
    """The URL of a team project database that does not exist yet (dropped afterwards)."""
    name = f"qualcode_team_{next(_database_numbers)}"
    yield pg_cluster.url(name)  # type: ignore[attr-defined]
    _admin_execute(pg_cluster, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
