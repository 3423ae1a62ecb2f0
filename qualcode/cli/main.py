"""`qualcode` entry point: global options, sub-commands, one-line errors for user mistakes."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from types import ModuleType

from qualcode import __version__
from qualcode.cli.groups import join_command_words
from qualcode.domain.errors import QualCodeError

VERSION = f"QualCode {__version__}"


def command_modules() -> tuple[ModuleType, ...]:
    """The modules that register the sub-commands, each through `register(subparsers)`.

    They are imported here by name, not looked up by string, so PyInstaller finds them; each
    keeps its heavy imports (the store, the services, spaCy, matplotlib) inside its handlers,
    so building the parser stays quick. Imported on first use: `--version` needs none of them."""
    from qualcode.cli import (
        anonymise_command,
        case_commands,
        cmo_commands,
        coding_commands,
        exchange_commands,
        gui_commands,
        import_commands,
        project_commands,
        query_commands,
        review_commands,
        team_commands,
        teamwork_commands,
        theme_commands,
    )

    return (project_commands, gui_commands, import_commands, anonymise_command, theme_commands,
            teamwork_commands, team_commands, exchange_commands, query_commands, cmo_commands, coding_commands, case_commands,
            review_commands)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qualcode",
        description="QualCode: qualitative coding, thematic networks and realist evaluation.",
    )
    parser.add_argument("--version", action="version", version=VERSION)
    parser.add_argument("--coder", metavar="NAME", help="the coder to act as (added to the project if new)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in command_modules():
        module.register(subparsers)
    return parser


class _WarningLines(logging.Handler):
    """QualCode's warnings as `qualcode: warning: ...` lines on stderr (no tracebacks)."""

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno == logging.WARNING:
            print(f"qualcode: warning: {record.getMessage()}", file=sys.stderr)


def _show_warnings() -> None:
    logger = logging.getLogger("qualcode")
    if not any(isinstance(handler, _WarningLines) for handler in logger.handlers):
        logger.addHandler(_WarningLines(logging.WARNING))


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv == ["--version"]:  # answered before the commands are even imported
        print(VERSION)
        raise SystemExit(0)  # as argparse's own --version does
    _show_warnings()
    parser = build_parser()
    argv = join_command_words(parser, argv)
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
    except BrokenPipeError:
        # The reader went away (`qualcode ... | head`): stop quietly, as Unix tools do. Point
        # stdout at /dev/null so flushing it at exit does not raise again.
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141


if __name__ == "__main__":
    raise SystemExit(main())
