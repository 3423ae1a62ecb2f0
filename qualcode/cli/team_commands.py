"""`qualcode team init|publish|add-member|checkout|login|blind|allow-codes`: team projects
on a PostgreSQL server. Passwords are never arguments: they come from the OS keyring
(`team login`) or from libpq's `~/.pgpass` / service file."""

from __future__ import annotations

import argparse
import getpass
import secrets
import sys
from pathlib import Path
from typing import Any

from qualcode.cli.groups import subcommand_group
from qualcode.domain.errors import ValidationError


def register(subparsers: Any) -> None:
    team = subcommand_group(subparsers, "team", help="team projects on a PostgreSQL server")

    init = team.add_parser("init", help="set up a team project (database, schema, roles, row-level security)")
    init.add_argument("url", metavar="URL", help="postgresql://ADMIN@HOST[:PORT]/DATABASE (no password)")
    init.add_argument("--title", default="")
    init.set_defaults(handler=_init)

    publish = team.add_parser("publish", help="copy a project file to a new team project")
    publish.add_argument("project", type=Path, metavar="PROJECT.qualcode")
    publish.add_argument("url", metavar="URL")
    publish.set_defaults(handler=_publish)

    member = team.add_parser("add-member", help="give someone a role in a team project")
    member.add_argument("url", metavar="URL")
    member.add_argument("name", metavar="NAME", help="their login (and coder) name")
    member.add_argument("--role", required=True, choices=("owner", "coder", "reviewer", "reader"))
    member.add_argument("--password-stdin", action="store_true",
                        help="read their first password from standard input (otherwise one is made up and shown once)")
    member.set_defaults(handler=_add_member)

    checkout = team.add_parser("checkout", help="a local copy of a team project to work offline")
    checkout.add_argument("url", metavar="URL")
    checkout.add_argument("output", type=Path, metavar="OUT.qualcode")
    checkout.set_defaults(handler=_checkout)

    login = team.add_parser("login", help="store your password for a team project in the OS keyring")
    login.add_argument("url", metavar="URL")
    login.set_defaults(handler=_login)

    blind = team.add_parser("blind", help="blind coding on or off (coders see only their own codings)")
    blind.add_argument("url", metavar="URL")
    blind.add_argument("state", choices=("on", "off"))
    blind.set_defaults(handler=_blind)

    codes = team.add_parser("allow-codes", help="let coders add codes (level 1) themselves, or not")
    codes.add_argument("url", metavar="URL")
    codes.add_argument("state", choices=("on", "off"))
    codes.set_defaults(handler=_allow_codes)


def _read_secret(prompt: str) -> str:
    value = getpass.getpass(prompt) if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
    if not value:
        raise ValidationError("No password given.")
    return value


def _init(args: argparse.Namespace) -> int:
    from qualcode.services.teamwork.team import init_team

    with init_team(args.url, title=args.title) as project:
        print(f"Team project ready: {project.location}")
    print("Next: qualcode team add-member URL NAME --role coder")
    return 0


def _publish(args: argparse.Namespace) -> int:
    from qualcode.services.teamwork.team import publish

    report = publish(args.project, args.url)
    print(report.summary())
    print(f"Published {args.project} to {args.url}")
    return 0


def _add_member(args: argparse.Namespace) -> int:
    from qualcode.services.teamwork.team import add_member
    from qualcode.store.server import TeamProject

    password = _read_secret(f"First password for {args.name}: ") if args.password_stdin else None
    with TeamProject.open(args.url) as project:
        made_up = password is None and _role_is_new(project, args.name)
        if made_up:
            password = secrets.token_urlsafe(12)
        member = add_member(project, name=args.name, role=args.role, password=password)
    print(f"{member.name} is now a {member.role} of {args.url}")
    if made_up and member.created:
        print(f"Their first password (shown once; they store it with `qualcode team login`): {password}")
    return 0


def _role_is_new(project: Any, name: str) -> bool:
    from sqlalchemy import text

    with project.session() as session:
        return session.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).first() is None


def _checkout(args: argparse.Namespace) -> int:
    from qualcode.services.teamwork.team import checkout

    report = checkout(args.url, args.output)
    print(report.summary())
    print(f"Wrote {args.output}: merge your offline work back with `qualcode merge {args.url} {args.output}`")
    return 0


def _login(args: argparse.Namespace) -> int:
    from qualcode.store.server import TeamProject, store_password

    password = _read_secret("Password: ")
    try:
        store_password(args.url, password)
    except Exception as exc:  # the keyring library raises its own errors per back end
        raise ValidationError(f"The OS keyring could not store the password ({exc}); use ~/.pgpass instead.") from None
    with TeamProject.open(args.url) as project:
        print(f"Connected to {project.location}; password kept in the OS keyring.")
    return 0


def _blind(args: argparse.Namespace) -> int:
    from qualcode.services.teamwork.team import set_blind
    from qualcode.store.server import TeamProject

    with TeamProject.open(args.url) as project:
        set_blind(project, args.state == "on")
    print(f"Blind coding is {args.state} for {args.url}")
    return 0


def _allow_codes(args: argparse.Namespace) -> int:
    from qualcode.services.teamwork.team import allow_coders_to_add_codes
    from qualcode.store.server import TeamProject

    with TeamProject.open(args.url) as project:
        allow_coders_to_add_codes(project, args.state == "on")
    print(f"Coders {'may' if args.state == 'on' else 'may not'} add codes in {args.url}")
    return 0
