"""`qualcode new`, `qualcode info`, `qualcode gui`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from qualcode.cli.common import default_coder_name, project_location
from qualcode.domain.errors import SchemaTooOldError


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
    gui.add_argument("--read-only", action="store_true",
                     help="open the project read-only: look, search and export, change nothing")
    gui.set_defaults(handler=_gui)


def _new(args: argparse.Namespace) -> int:
    from qualcode.services import coders as coder_service
    from qualcode.store.project import Project

    with Project.create(args.path, title=args.title) as project:
        with project.session() as session:
            coder_service.ensure_coder(session, default_coder_name(args))
        print(f"Created {project.path}")
    return 0


def _info(args: argparse.Namespace) -> int:
    from qualcode.services import project as project_service
    from qualcode.store.project import schema_version
    from qualcode.store.server import open_project

    try:
        project = open_project(args.path, read_only=True)
    except SchemaTooOldError as exc:
        # Reading never changes a project: report the old schema instead of refusing.
        print(f"{'File:':<19}{Path(args.path).expanduser().absolute()}")
        print(f"{'Schema version:':<19}{exc.version} (older; this QualCode writes {schema_version()})")
        print("Open the project in QualCode once (or run any command that changes it) to upgrade it;")
        print("a copy of the old file is kept in its backups folder.")
        return 0
    with project, project.session() as session:
        facts = project_service.summary(session)
    rows = [
        ("Project", facts.title),
        ("File", str(project.path)),
        ("Schema version", str(project.schema)),
        ("Created", f"{facts.created_at:%Y-%m-%d %H:%M} UTC"),
        *(
            (name.replace("_", " ").capitalize().replace("Cmo ", "CMO "), f"{count:,}")
            for name, count in facts.counts.items()
        ),
    ]
    width = max(len(label) for label, _ in rows) + 1
    for label, value in rows:
        print(f"{label + ':':<{width}} {value}")
    return 0


def _gui(args: argparse.Namespace) -> int:
    from qualcode.gui.app import run

    return run(args.path, coder=args.coder, read_only=args.read_only)
