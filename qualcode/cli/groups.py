"""Command groups that several command modules add to (`export qdpx`, `export map` ...), and
two-word commands beside a plain one (`import qdpx` beside `import FILES`)."""

from __future__ import annotations

import argparse
from typing import Any


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


def join_command_words(parser: argparse.ArgumentParser, argv: list[str]) -> list[str]:
    """`import qdpx ...` -> `"import qdpx" ...` when that two-word command exists."""
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for index, token in enumerate(argv[:-1]):
        joined = f"{token} {argv[index + 1]}"
        if joined in action.choices:
            return [*argv[:index], joined, *argv[index + 2:]]
        if token in action.choices:
            break
    return argv
