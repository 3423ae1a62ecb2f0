from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from qualcode import __version__
from qualcode.cli.main import main
from qualcode.services import coders
from qualcode.store.project import Project


def test_new_then_info_shows_counts_and_schema(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--coder", "Ana Lopez", "new", str(tmp_path / "study"), "--title", "Link workers"]) == 0
    assert f"Created {tmp_path / 'study.qualcode'}" in capsys.readouterr().out
    with Project.open(tmp_path / "study.qualcode") as project, project.session() as s:
        assert [c.name for c in coders.list_coders(s)] == ["Ana Lopez"]
    assert main(["info", str(tmp_path / "study.qualcode")]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^Project:\s+Link workers$", out, re.M)
    assert re.search(r"^Schema version:\s+\d+$", out, re.M)
    assert re.search(r"^Coders:\s+1$", out, re.M)
    assert re.search(r"^Documents:\s+0$", out, re.M)
    assert re.search(r"^CMO configurations:\s+0$", out, re.M)


def test_user_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("hello", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "qualcode", "info", str(notes)], capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr == "qualcode: error: 'notes.txt' is not a QualCode project (not a database file).\n"
    assert "Traceback" not in result.stderr
    Project.create(tmp_path / "a.qualcode").close()
    again = subprocess.run(
        [sys.executable, "-m", "qualcode", "new", str(tmp_path / "a.qualcode")], capture_output=True, text=True
    )
    assert again.returncode == 1 and "already exists" in again.stderr and "Traceback" not in again.stderr


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"QualCode {__version__}"


def test_info_works_while_the_project_is_open_elsewhere(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Project.create(tmp_path / "busy.qualcode"):
        assert main(["info", str(tmp_path / "busy.qualcode")]) == 0
    assert re.search(r"^Project:\s+busy$", capsys.readouterr().out, re.M)


def test_a_word_forms_search_reads_a_project_it_opens_only_for_reading(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`query search --lemmas` opens the project for reading: listing the indexed words must not
    count as a change (it is a table of the connection's own, not of the project file)."""
    transcript = tmp_path / "interview.txt"
    transcript.write_text("P1: I feel better now. Last year I felt alone, and feeling alone is hard.\n",
                          encoding="utf-8")
    project = tmp_path / "study.qualcode"
    assert main(["--coder", "Ana", "new", str(project)]) == 0
    assert main(["--coder", "Ana", "import", str(project), str(transcript)]) == 0
    before = project.read_bytes()
    capsys.readouterr()
    assert main(["query", "search", str(project), "feel", "--lemmas"]) == 0
    out = capsys.readouterr().out
    assert "[feel]" in out and "[felt]" in out and "[feeling]" in out
    assert project.read_bytes() == before
