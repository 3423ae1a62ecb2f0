"""Messages that name the real problem, a project file that is whole on its own, and the
backup an anonymisation keeps of the original names."""

from __future__ import annotations

import re
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import select

from qualcode.cli.main import main
from qualcode.services import documents as document_service
from qualcode.store import models as m
from qualcode.store import project as project_module
from qualcode.store.backup import backup_dir_for
from qualcode.store.project import APPLICATION_ID, Project, schema_version

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"


def test_utf16_big_endian_without_a_bom_is_read_as_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "study.qualcode"
    Project.create(path).close()
    text = (SAMPLES / "LW01_interview_wave1.txt").read_text(encoding="utf-8")
    for encoding in ("utf-16-be", "utf-16-le", "utf-32-be"):
        (tmp_path / f"{encoding}.txt").write_bytes(text.encode(encoding))
    files = [str(tmp_path / f"{encoding}.txt") for encoding in ("utf-16-be", "utf-16-le", "utf-32-be")]
    assert main(["import", str(path), *files, "--duplicates", "copy"]) == 0
    out, err = capsys.readouterr()
    assert "binary" not in err and out.splitlines()[-1] == "3 imported."
    with Project.open(path, read_only=True) as project, project.session() as session:
        texts = [document_service.document_text(session, d.id) for d in document_service.list_documents(session)]
    assert len(texts) == 3 and texts[0] == texts[1] == texts[2]
    assert texts[0].split() == text.split()


def _old_project(path: Path) -> None:
    from alembic import command

    engine = project_module._make_engine(path, read_only=False, foreign_keys=False)
    with engine.begin() as connection:
        config = project_module._alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
        connection.exec_driver_sql("PRAGMA user_version=1")
    engine.dispose()


def test_info_reports_an_old_schema_instead_of_refusing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "old.qualcode"
    _old_project(path)
    assert main(["info", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"Schema version:    1 (older; this QualCode writes {schema_version()})" in out
    assert "Open the project in QualCode once" in out
    with closing(sqlite3.connect(path)) as connection:  # reading changed nothing
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 1
    Project.open(path).close()
    assert main(["info", str(path)]) == 0
    assert re.search(rf"^Schema version:\s+{schema_version()}$", capsys.readouterr().out, re.M)


def test_after_bulk_work_the_project_file_alone_is_whole(tmp_path: Path) -> None:
    path = tmp_path / "study.qualcode"
    Project.create(path).close()
    transcripts = []
    for index in range(3):
        transcript = tmp_path / f"P{index}.txt"
        transcript.write_text(f"P{index}: " + "the garden helps me every single week. " * 3000, encoding="utf-8")
        transcripts.append(transcript)
    with Project.open(path) as project:
        from qualcode.services.importing.importing import import_files

        import_files(project, paths=transcripts)
        # While the project is still open, the file copied on its own holds all of it.
        alone = tmp_path / "copy" / "study.qualcode"
        alone.parent.mkdir()
        shutil.copyfile(path, alone)
    with closing(sqlite3.connect(alone)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("SELECT count(*) FROM document").fetchone()[0] == 3


def test_a_project_opens_with_a_warning_when_its_backup_cannot_be_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "study.qualcode"
    Project.create(path).close()
    backup_dir_for(path).write_text("not a folder", encoding="utf-8")  # the backup cannot be made
    with Project.open(path) as project, project.session() as session:
        document_service.add_document(session, name="P1", text="Still working.")
    assert len(project.warnings) == 1 and "opened without a fresh backup" in project.warnings[0]
    note = tmp_path / "note.txt"
    note.write_text("A new note.", encoding="utf-8")
    assert main(["import", str(path), str(note)]) == 0
    err = capsys.readouterr().err
    assert err.startswith("qualcode: warning: Could not back up 'study.qualcode'")
    assert "opened without a fresh backup" in err and "Traceback" not in err
    with Project.open(path, read_only=True) as project, project.session() as session:
        assert sorted(session.scalars(select(m.Document.name))) == ["P1", "note"]


def test_anonymising_keeps_a_named_backup_and_says_where_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "study.qualcode"
    Project.create(path).close()
    assert main(["import", str(path), str(SAMPLES / "P01_interview_wave1.docx")]) == 0
    terms = str(SAMPLES / "identifiers.csv")
    capsys.readouterr()
    assert main(["anonymise", str(path), "--terms", terms, "--apply"]) == 0
    out = capsys.readouterr().out
    kept = list(backup_dir_for(path).glob("study.before-anonymisation-*.qualcode"))
    assert len(kept) == 1
    assert f"A copy of the project from before anonymisation is kept at {kept[0]}." in out
    assert "It still holds the original names" in out
    with Project.open(kept[0], read_only=True) as original, original.session() as session:
        assert "Dennis" in document_service.document_text(session, 1)
    with Project.open(path, read_only=True) as project, project.session() as session:
        assert "Dennis" not in document_service.document_text(session, 1)
    for _ in range(7):  # rotating backups come and go; this one stays
        Project.open(path).close()
    assert kept[0].exists()


def test_every_help_text_prints(capsys: pytest.CaptureFixture[str]) -> None:
    from qualcode.cli.main import build_parser

    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for name, sub in commands.items():
        sub.format_help()
        for action in sub._actions:
            choices = getattr(action, "choices", None)
            for word, subsub in (choices.items() if isinstance(choices, dict) else ()):
                assert subsub.format_help(), f"{name} {word}"
    with pytest.raises(SystemExit) as done:
        main(["query", "--help"])
    assert done.value.code == 0
    assert "participant characteristics table (n (%), mean (SD))" in capsys.readouterr().out
