"""Team projects on a PostgreSQL server: set one up, publish a project file to it, add
members with a role, take a local copy to work offline and merge it back.

Copies in both directions go through the project merge (uids kept, its report returned),
so a checkout merged back adds exactly the offline work and names every conflict.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from qualcode.domain.errors import ProjectError, ValidationError
from qualcode.domain.progress import NullProgress, Progress
from qualcode.services.coders import ensure_coder
from qualcode.services.teamwork.merge import merge_previewed, preview_merge
from qualcode.services.teamwork.merge_apply import write_merge
from qualcode.services.teamwork.merge_plan import plan_merge
from qualcode.services.teamwork.merge_report import MergeReport
from qualcode.services.teamwork.merge_snapshot import read_snapshot
from qualcode.store import team_security
from qualcode.store.project import PROJECT_SUFFIX, Project
from qualcode.store.server import TeamProject, display_name, make_server_engine, parse_url
from qualcode.store.server_live import apply_live_changes

ROLES = team_security.ROLES


@dataclass(frozen=True)
class Member:
    name: str
    role: str
    created: bool  # a new login role on the server


def _admin_error(exc: DBAPIError, what: str) -> ProjectError:
    detail = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
    return ProjectError(f"Cannot {what}: {detail}")


def _create_database(url: str) -> None:
    """CREATE DATABASE on the URL's server when the database does not exist yet."""
    parsed = parse_url(url)
    database = str(parsed.database)
    engine = make_server_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": database}).first()
            if exists is None:
                quoted = connection.dialect.identifier_preparer.quote(database)
                connection.exec_driver_sql(f"CREATE DATABASE {quoted} ENCODING 'UTF8' TEMPLATE template0")
    except DBAPIError as exc:
        raise _admin_error(exc, f"create the database for {display_name(parsed)}") from None
    finally:
        engine.dispose()


def init_team(url: str, *, title: str = "") -> TeamProject:
    """Create the database (if needed), the schema, the roles and the row-level security."""
    _create_database(url)
    project = TeamProject.create(url, title=title)
    try:
        secure(project)
    except BaseException:
        project.close()
        raise
    return project


def secure(project: TeamProject) -> None:
    """Bring the roles, grants and policies up to date (after init and after an upgrade)."""
    try:
        with project.engine.connect() as connection, connection.begin():
            team_security.apply_security(connection)
            apply_live_changes(connection)
    except DBAPIError as exc:
        raise _admin_error(exc, f"set up the permissions of {display_name(project.url)}") from None


def add_member(project: TeamProject, *, name: str, role: str, password: str | None) -> Member:
    """Give `name` a role in the team project (a login role and a coder of that name)."""
    if role not in ROLES:
        raise ValidationError(f"'{role}' is not a team role: choose one of {', '.join(ROLES)}.")
    if not name.strip():
        raise ValidationError("Give the member a name.")
    try:
        with project.session() as session:
            coder_id = ensure_coder(session, name).id
            created = team_security.add_member(session.connection(), name=name, role=role, coder_id=coder_id,
                                               password=password)
    except DBAPIError as exc:
        raise _admin_error(exc, f"add {name} to {display_name(project.url)}") from None
    return Member(name, role, created)


def set_blind(project: TeamProject, blind: bool) -> None:
    """Blind coding on (coders read only their own codings) or off (the owner unblinds)."""
    with project.session() as session:
        team_security.set_setting(session.connection(), blind=blind)


def allow_coders_to_add_codes(project: TeamProject, allowed: bool) -> None:
    with project.session() as session:
        team_security.set_setting(session.connection(), coders_add_codes=allowed)


def member_coder_id(project: Project) -> int | None:
    """The coder the connected member codes as on a team project (None for files and administrators)."""
    if not isinstance(project, TeamProject):
        return None
    with project.session() as session:
        return team_security.member_coder(session.connection())


def publish(source: Path, url: str, *, title: str = "", progress: Progress | None = None) -> MergeReport:
    """Copy a project file into a new team project at `url` (set up as by `init_team`)."""
    source = Path(source).expanduser().absolute()
    with Project.open(source, read_only=True):
        pass  # refuse a missing, foreign, damaged or newer file before touching the server
    with init_team(url, title=title or source.stem) as project, project.session() as session:
        preview = preview_merge(session, others=[source], base_path=Path(str(parse_url(url).database)),
                                progress=progress)
        change = merge_previewed(session, preview=preview)
    assert isinstance(change.result, MergeReport)
    return change.result


def checkout(url: str, target: Path, *, progress: Progress | None = None) -> MergeReport:
    """A local project file with everything this member may read of the team project."""
    target = Path(target).expanduser().absolute()
    if target.suffix != PROJECT_SUFFIX:
        target = target.with_name(target.name + PROJECT_SUFFIX)
    if target.exists():
        raise ProjectError(f"'{target}' already exists: choose another name for the local copy.")
    progress = progress or NullProgress()
    with TeamProject.open(url) as team:
        local = Project.create(target)
        try:
            with team.session() as team_session, local.session() as session:
                incoming = read_snapshot(team_session, display_name(team.url))
                plan = plan_merge(read_snapshot(session, target.name), incoming, progress=progress)
                report = MergeReport(target.name, (plan.report,), dry_run=False)
                change = write_merge(session, plans=[plan], report=report)
        except BaseException:
            local.close()
            for leftover in (target, target.with_name(target.name + "-wal"), target.with_name(target.name + "-shm")):
                leftover.unlink(missing_ok=True)
            raise
        local.close()
    assert isinstance(change.result, MergeReport)
    return change.result


def merge_into_team(url: str, sources: list[Path], *, coder_name: str | None = None, dry_run: bool = False,
                    progress: Progress | None = None) -> MergeReport:
    """Merge local project files (offline checkouts, coders' copies) into the team project,
    as one transaction; with `dry_run`, only the report."""
    with TeamProject.open(url) as team, team.session() as session:
        base = Path(str(team.url.database))
        preview = preview_merge(session, others=sources, base_path=base, progress=progress)
        if dry_run:
            session.rollback()
            return preview.report
        coder_id = ensure_coder(session, coder_name).id if coder_name else None
        change = merge_previewed(session, preview=preview, coder_id=coder_id)
    assert isinstance(change.result, MergeReport)
    return change.result


__all__ = ["ROLES", "Member", "add_member", "allow_coders_to_add_codes", "checkout", "init_team",
           "member_coder_id", "merge_into_team", "publish", "secure", "set_blind"]
