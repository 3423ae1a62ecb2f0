"""`qualcode` entry point: global options, sub-commands, one-line errors for user mistakes."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib import import_module
from typing import Any

from qualcode import __version__
from qualcode.domain.errors import QualCodeError

# Each module registers its sub-commands through `register(subparsers)`.
COMMAND_MODULES = (
    "qualcode.cli.project_commands",
    "qualcode.cli.gui_commands",
    "qualcode.cli.import_commands",
    "qualcode.cli.cmo_commands",
)


def subcommand_group(subparsers: Any, name: str, *, help: str = "") -> Any:
    """The nested sub-commands of a shared group such as `qualcode export ...`, created by
    the first module that asks, so several modules can add commands to one group."""
    parser = subparsers.choices.get(name)
    if parser is None:
        parser = subparsers.add_parser(name, help=help, description=help)
        parser.set_defaults(handler=lambda _args, p=parser: p.error("choose what to do (see --help)"))
        parser.qualcode_group = parser.add_subparsers(dest=f"{name}_command", metavar="WHAT")
    return parser.qualcode_group


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qualcode",
        description="QualCode: qualitative coding, thematic networks and realist evaluation.",
    )
    parser.add_argument("--version", action="version", version=f"QualCode {__version__}")
    parser.add_argument("--coder", metavar="NAME", help="the coder to act as (added to the project if new)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["gui", *(argv or [])])
    try:
        return int(args.handler(args) or 0)
    except QualCodeError as exc:
        print(f"qualcode: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("qualcode: cancelled", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
