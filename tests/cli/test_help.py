"""Every verb and sub-verb answers `--help`, and `--version`/`--help` answer without loading
the store, the services or any heavy library."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from qualcode import __version__
from qualcode.cli.main import build_parser, main

ROOT = Path(__file__).resolve().parent.parent.parent
HEAVY = ("sqlalchemy", "alembic", "numpy", "spacy", "matplotlib", "PySide6", "docx", "openpyxl", "qualcode.store",
         "qualcode.services.coders", "qualcode.gui")


def _command_paths(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command as the words a user types: ("query", "search"), ("import", "qdpx") ..."""
    paths: list[tuple[str, ...]] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                words = (*prefix, *name.split(" "))
                paths.append(words)
                paths.extend(_command_paths(sub, words))
    return paths


COMMANDS = _command_paths(build_parser())


def test_the_walk_reaches_verbs_sub_verbs_aliases_and_two_word_commands() -> None:
    for words in [("new",), ("query", "participants"), ("export", "qdpx"), ("import", "qdpx"), ("anonymize",),
                  ("cmo", "tag"), ("theme", "group")]:
        assert words in COMMANDS
    assert len(COMMANDS) > 40


@pytest.mark.parametrize("words", COMMANDS, ids=" ".join)
def test_every_command_answers_help(words: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as leaving:
        main([*words, "--help"])
    assert leaving.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: qualcode ")
    words_shown = out.splitlines()[0].split()[2:len(words) + 2]
    assert words_shown[:-1] == list(words[:-1])  # an alias is shown by its main name
    assert words_shown[-1] == words[-1] or (words[-1], words_shown[-1]) == ("anonymize", "anonymise")


def test_query_help_lists_participants_with_its_percent_sign(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["query", "--help"])
    assert "participant characteristics table (n (%), mean (SD))" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["query", "search", "--help"]])
def test_version_and_help_load_nothing_heavy(argv: list[str]) -> None:
    code = ("import sys, runpy; sys.argv = ['qualcode', *sys.argv[1:]]\n"
            "try: runpy.run_module('qualcode', run_name='__main__')\n"
            "except SystemExit: pass\n"
            f"print('HEAVY:' + ','.join(n for n in {HEAVY!r} if n in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code, *argv], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().endswith("HEAVY:")
    if argv == ["--version"]:
        assert result.stdout.startswith(f"QualCode {__version__}\n")
