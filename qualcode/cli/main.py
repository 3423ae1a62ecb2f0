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
    "qualcode.cli.anonymise_command",
    "qualcode.cli.theme_commands",
    "qualcode.cli.teamwork_commands",
    "qualcode.cli.exchange_commands",
    "qualcode.cli.query_commands",
    "qualcode.cli.cmo_commands",
    "qualcode.cli.review_commands",
)


class _WordGroup:
    """Sub-commands `NAME WORD` beside a plain command NAME (e.g. `import qdpx` beside
    `import FILES`): each is registered as the command "NAME WORD" and reached by `main`,
    which joins the two words when they name such a command."""

    def __init__(self, subparsers: Any, name: str) -> None:
        self._subparsers = subparsers
        self._name = name

    def add_parser(self, word: str, **kwargs: Any) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = self._subparsers.add_parser(f"{self._name} {word}", **kwargs)
        return parser


def subcommand_group(subparsers: Any, name: str, help: str | None = None) -> Any:
    """The sub-parsers of a command group such as `export` (`export qdpx`, `export map` ...),
    created on first use so several command modules add to the same group. When NAME is
    already a plain command, the group's commands sit beside it as "NAME WORD"."""
    parser = subparsers.choices.get(name)
    if parser is None:
        parser = subparsers.add_parser(name, help=help)
        parser.set_defaults(_nested=parser.add_subparsers(dest=f"{name}_command", metavar="WHAT", required=True))
    nested = parser.get_default("_nested")
    return nested if nested is not None else _WordGroup(subparsers, name)


def _join_command_words(parser: argparse.ArgumentParser, argv: list[str]) -> list[str]:
    """`import qdpx ...` -> `"import qdpx" ...` when that two-word command exists."""
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for index, token in enumerate(argv[:-1]):
        joined = f"{token} {argv[index + 1]}"
        if joined in action.choices:
            return [*argv[:index], joined, *argv[index + 2:]]
        if token in action.choices:
            break
    return argv


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
    argv = _join_command_words(parser, list(sys.argv[1:] if argv is None else argv))
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
