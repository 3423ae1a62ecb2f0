"""`qualcode demo`: builds the demo in the data folder (or a chosen one) and says where."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.cli.main import main


def test_demo_command_builds_once_and_reuses(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert main(["demo", "--no-open"]) == 0
    out = capsys.readouterr().out.splitlines()
    target = tmp_path / "QualCode" / "QualCode demo.qualcode"
    assert out == [f"Building the demo project in {target.parent} …", str(target)]
    assert target.is_file()
    assert main(["demo", "--no-open"]) == 0
    assert capsys.readouterr().out.splitlines() == [str(target)]


def test_demo_command_reports_an_unwritable_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert main(["demo", "--no-open", "--folder", str(blocker / "sub")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("qualcode: error: Cannot create the folder")
