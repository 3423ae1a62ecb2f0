"""`qualcode new`, `qualcode info`, `qualcode gui`."""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path
from typing import Any

from qualcode.services import coders as coder_service
from qualcode.services import project as project_service
from qualcode.store.location import is_team_url
from qualcode.store.project import Project, schema_version
from qualcode.store.server import open_project


def project_location(value: str) -> Path | str:
    """A project argument: a `*.qualcode` file, or a team project URL (postgresql://...)."""
    return value if is_team_url(value) else Path(value)


def default_coder_name(args: argparse.Namespace) -> str:
    """--coder, else on a team project the member the URL connects as, else the OS user."""
    if args.coder:
        return str(args.coder)
    location = getattr(args, "path", None) or getattr(args, "project", None) or getattr(args, "base", None)
    if isinstance(location, str) and is_team_url(location):
        from qualcode.store.server import parse_url

        if (member := parse_url(location).username):
            return str(member)
    return str(getpass.getuser() or "coder")


def register(subparsers: Any) -> None:
    new = subparsers.add_parser("new", help="create an empty project file")
    new.add_argument("path", type=Path)
    new.add_argument("--title", default="")
    new.set_defaults(handler=_new)

    info = subparsers.add_parser("info", help="show a project's counts and schema version")
    info.add_argument("path", type=project_location)
    info.set_defaults(handler=_info)

    gui = subparsers.add_parser("gui", help="open the QualCode window (optionally on a project)")
    gui.add_argument("path", type=project_location, nargs="?", help="a project file or team project URL")
    gui.set_defaults(handler=_gui)


def _new(args: argparse.Namespace) -> int:
    with Project.create(args.path, title=args.title) as project:
        with project.session() as session:
            coder_service.ensure_coder(session, default_coder_name(args))
        print(f"Created {project.path}")
    return 0


def _info(args: argparse.Namespace) -> int:
    with open_project(args.path, read_only=True) as project, project.session() as session:
        facts = project_service.summary(session)
    rows = [
        ("Project", facts.title),
        ("File", str(getattr(project, "location", project.path))),
        ("Schema version", str(schema_version())),
        ("Created", f"{facts.created_at:%Y-%m-%d %H:%M} UTC"),
        *(
            (name.replace("_", " ").replace("cmo", "CMO").capitalize(), f"{count:,}")
            for name, count in facts.counts.items()
        ),
    ]
    for label, value in rows:
        print(f"{label + ':':<19}{value}")
    return 0


def _gui(args: argparse.Namespace) -> int:
    from qualcode.gui.app import run

    return run(args.path, coder=args.coder)
