from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import select, text

from qualcode.domain.errors import ProjectError, ProjectLockedError, SchemaTooNewError
from qualcode.services import coders, documents
from qualcode.store import project as project_module
from qualcode.store.backup import backup_dir_for
from qualcode.store.models import Base, Document, ProjectInfo
from qualcode.store.project import APPLICATION_ID, Project, schema_version


def test_create_writes_a_wal_project_with_foreign_keys_and_info(tmp_path: Path) -> None:
    with Project.create(tmp_path / "Interviews", title="Social prescribing") as project:
        assert project.path.name == "Interviews.qualcode"
        with project.session() as s:
            assert s.scalar(select(ProjectInfo.title)) == "Social prescribing"
            assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    # Closing checkpoints the log into the file: nothing is left beside it.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Interviews.qualcode"]
    with closing(sqlite3.connect(tmp_path / "Interviews.qualcode")) as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema_version()


def test_migrations_build_exactly_the_models(project: Project) -> None:
    with project.engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    # Full-text index tables live only in migrations (virtual tables have no ORM model).
    diffs = [d for d in diffs if not (d[0] == "remove_table" and "fts" in d[1].name)]
    assert diffs == []


def test_create_refuses_existing_file_and_missing_folder(tmp_path: Path) -> None:
    Project.create(tmp_path / "a.qualcode").close()
    with pytest.raises(ProjectError, match="already exists"):
        Project.create(tmp_path / "a.qualcode")
    with pytest.raises(ProjectError, match="does not exist"):
        Project.create(tmp_path / "missing" / "b.qualcode")


def test_create_in_an_unwritable_place_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="Cannot create 'x.qualcode' in /proc"):
        Project.create("/proc/x.qualcode")
    assert not Path("/proc/x.qualcode").exists()


def test_open_refuses_what_is_not_a_project(tmp_path: Path) -> None:
    notes = tmp_path / "notes.qualcode"
    notes.write_text("just some notes", encoding="utf-8")
    with pytest.raises(ProjectError, match="'notes.qualcode' is not a QualCode project"):
        Project.open(notes)
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(ProjectError, match="is a database but not a QualCode project"):
        Project.open(other)
    with pytest.raises(ProjectError, match="No project at"):
        Project.open(tmp_path / "nothing.qualcode")
    with pytest.raises(ProjectError, match="is a folder"):
        Project.open(tmp_path)
    # A refused open leaves no lock behind.
    assert not list(tmp_path.glob("*.lock"))


def _add_text(project: Project, name: str = "P1", body: str = "We met at the garden. " * 400) -> int:
    with project.session() as s:
        return int(documents.add_document(s, name=name, text=body).result)


def test_a_damaged_file_is_reported_not_crashed_on(tmp_path: Path) -> None:
    path = tmp_path / "damaged.qualcode"
    with Project.create(path) as project:
        for i in range(5):
            _add_text(project, f"P{i}")
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(2 * page, len(data) - page, page):
        data[offset : offset + 64] = b"\xde\xad\xbe\xef" * 16
    path.write_bytes(bytes(data))
    with pytest.raises(ProjectError, match="'damaged.qualcode' is damaged") as info:
        Project.open(path)
    assert "damaged-backups" in str(info.value)
    assert not list(tmp_path.glob("*.lock"))


def test_opened_without_checking_now_a_damaged_file_is_found_on_request_and_never_migrated(tmp_path: Path) -> None:
    path = tmp_path / "damaged.qualcode"
    with Project.create(path) as project:
        for i in range(5):
            _add_text(project, f"P{i}")
    data = bytearray(path.read_bytes())
    for offset in range(2 * 4096, len(data) - 4096, 4096):
        data[offset : offset + 64] = b"\xde\xad\xbe\xef" * 16
    path.write_bytes(bytes(data))
    # The window opens with the check put off and runs the quick check beside other reading.
    with Project.open(path, backup=False, full_check=False, check_now=False) as project:
        damage = project.find_damage(full=False)
        assert damage is not None and "'damaged.qualcode' is damaged" in str(damage)
    # An older schema is never migrated unchecked: the quick check runs first, and nothing is copied.
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA user_version=1")
        connection.commit()
    before = path.read_bytes()
    with pytest.raises(ProjectError, match="'damaged.qualcode' is damaged"):
        Project.open(path, backup=False, full_check=False, check_now=False)
    assert path.read_bytes() == before
    assert not backup_dir_for(path).exists() or not list(backup_dir_for(path).iterdir())


def test_a_newer_schema_is_refused_naming_both_versions(tmp_path: Path) -> None:
    path = tmp_path / "future.qualcode"
    Project.create(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version=99")
    with pytest.raises(SchemaTooNewError, match=f"project schema 99\\); this QualCode reads schema {schema_version()}"):
        Project.open(path)


def test_an_older_project_is_backed_up_then_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.qualcode"
    engine = project_module._make_engine(path, read_only=False, foreign_keys=False)
    with engine.begin() as connection:
        config = project_module._alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
        connection.exec_driver_sql("PRAGMA user_version=1")
        connection.exec_driver_sql(
            "INSERT INTO document (uid, name, kind, text, text_sha256, source_filename, imported_at, memo) "
            "VALUES ('0f8fad5b-d9cb-469f-a165-70867728950e', 'P1', 'interview', 'Old text', 'x', '', "
            "'2024-01-01 00:00:00', '')"
        )
    engine.dispose()
    with Project.open(path) as project, project.session() as s:
        assert s.scalar(select(Document.name)) == "P1"
        assert s.execute(text("SELECT count(*) FROM cmo_configuration")).scalar() == 0
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema_version()
    kept = list(backup_dir_for(path).glob("old-before-schema-1-*.qualcode"))
    assert len(kept) == 1
    with sqlite3.connect(kept[0]) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1


def _open_in_other_process(path: Path) -> subprocess.CompletedProcess[str]:
    code = (
        "import sys\nfrom qualcode.store.project import Project\nfrom qualcode.domain.errors import QualCodeError\n"
        f"try:\n    Project.open({str(path)!r}).close()\nexcept QualCodeError as e:\n"
        "    print(e); sys.exit(3)\n"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)


def test_a_second_process_is_refused_while_the_first_holds_the_project(tmp_path: Path) -> None:
    path = tmp_path / "shared.qualcode"
    with Project.create(path):
        result = _open_in_other_process(path)
        assert result.returncode == 3
        assert "'shared.qualcode' is already open by" in result.stdout
        assert "/" in result.stdout.split("open by")[1]  # host/pid
        # Read-only access still works while it is locked.
        with Project.open(path, read_only=True) as reader, reader.session() as s:
            assert s.scalar(select(ProjectInfo.title)) == "shared"
    assert _open_in_other_process(path).returncode == 0


def test_a_stale_lock_from_a_crashed_process_is_cleared(tmp_path: Path) -> None:
    path = tmp_path / "crashed.qualcode"
    Project.create(path).close()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    import socket

    lock = path.with_name(path.name + ".lock")
    lock.write_text(f'{{"host": "{socket.gethostname()}", "pid": {dead.stdout.strip()}}}', encoding="utf-8")
    with Project.open(path):
        assert lock.exists()
    assert not lock.exists()


def test_a_lock_held_on_another_host_is_respected(tmp_path: Path) -> None:
    path = tmp_path / "team.qualcode"
    Project.create(path).close()
    path.with_name(path.name + ".lock").write_text('{"host": "lab-pc-7", "pid": 4242}', encoding="utf-8")
    with pytest.raises(ProjectLockedError, match="already open by lab-pc-7/4242"):
        Project.open(path)


def test_a_full_disk_rolls_back_and_the_project_still_opens(tmp_path: Path) -> None:
    path = tmp_path / "full.qualcode"
    with Project.create(path) as project:
        _add_text(project, "kept")
        with pytest.raises(ProjectError, match="The disk is full"), project.session() as s:
            pages = s.execute(text("PRAGMA page_count")).scalar()
            s.execute(text(f"PRAGMA max_page_count={pages}"))
            documents.add_document(s, name="too big", text="garden " * 200_000)
    with Project.open(path) as project, project.session() as s:
        assert list(s.scalars(select(Document.name))) == ["kept"]


def test_every_error_in_a_unit_of_work_rolls_it_back_whole(project: Project) -> None:
    with pytest.raises(RuntimeError), project.session() as s:
        coders.ensure_coder(s, "Ana")
        documents.add_document(s, name="P1", text="Hello")
        raise RuntimeError("power cut")
    with project.session() as s:
        assert s.scalar(select(Document.id)) is None
        assert coders.list_coders(s) == []


def test_rotating_backups_keep_the_newest_five(tmp_path: Path) -> None:
    path = tmp_path / "study.qualcode"
    with Project.create(path) as project:
        _add_text(project)
        made = [project.backup() for _ in range(7)]
    folder = backup_dir_for(path)
    assert sorted(folder.glob("study-*.qualcode")) == sorted(made[-5:])
    with Project.open(made[-1], read_only=True) as copy, copy.session() as s:
        assert s.scalar(select(Document.name)) == "P1"


def test_closed_project_refuses_work(tmp_path: Path) -> None:
    project = Project.create(tmp_path / "c.qualcode")
    project.close()
    with pytest.raises(ProjectError, match="is closed"), project.session():
        pass


def test_schema_version_is_alembics_head_and_the_migrations_form_one_line() -> None:
    config = Config()
    config.set_main_option("script_location", str(Path(project_module.__file__).with_name("migrations")))
    script = ScriptDirectory.from_config(config)
    assert script.get_heads() == [f"{schema_version():04d}"]
    revisions = sorted(int(r.revision) for r in script.walk_revisions())
    assert revisions == list(range(1, schema_version() + 1))
