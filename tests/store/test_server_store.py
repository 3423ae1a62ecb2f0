"""The store on PostgreSQL: schema, identity, version, search index, backups."""

from __future__ import annotations

import subprocess

import pytest
from sqlalchemy import text

from qualcode.domain.errors import ProjectError, SchemaTooNewError
from qualcode.services import documents as doc_service
from qualcode.store import fulltext
from qualcode.store.models import Base, ProjectInfo
from qualcode.store.project import schema_version
from qualcode.store.server import TeamProject, parse_url
from tests.conftest import _admin_execute


def test_team_project_has_every_table_and_the_newest_schema(team_url: str) -> None:
    with TeamProject.open(team_url) as project, project.session() as session:
        tables = set(session.scalars(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")))
        version = session.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        title = session.query(ProjectInfo).one().title
        valid = fulltext.index_is_consistent(session)
    assert set(Base.metadata.tables) <= tables
    assert int(version) == schema_version()
    assert title == "Study"
    assert valid


def test_plain_database_is_refused_as_not_a_project(pg_cluster) -> None:  # type: ignore[no-untyped-def]
    _admin_execute(pg_cluster, "CREATE DATABASE not_qualcode")
    try:
        with pytest.raises(ProjectError, match="not a QualCode team project"):
            TeamProject.open(pg_cluster.url("not_qualcode"))
    finally:
        _admin_execute(pg_cluster, "DROP DATABASE not_qualcode")


def test_project_from_newer_qualcode_is_refused(team_url: str) -> None:
    with TeamProject.open(team_url) as project, project.session() as session:
        session.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(SchemaTooNewError, match="schema 9999"):
        TeamProject.open(team_url)


def test_second_create_on_a_project_database_is_refused(team_url: str) -> None:
    with pytest.raises(ProjectError, match="already holds a QualCode project"):
        TeamProject.create(team_url)


def test_password_in_url_is_refused_and_unknown_server_named(pg_cluster) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ProjectError, match="Do not put a password"):
        parse_url("postgresql://ana:secret@localhost/study")
    with pytest.raises(ProjectError, match="Cannot connect to the team project nobody on 127.0.0.1"):
        TeamProject.open(f"postgresql://qualcode_admin@127.0.0.1:{pg_cluster.port}/nobody")


def test_documents_are_searchable_through_the_server_index(team_url: str) -> None:
    with TeamProject.open(team_url) as project, project.session() as session:
        doc_service.add_document(session, name="P1", text="We met at the Café. The nurse listened.")
        words = dict(fulltext.vocabulary(session))
        plan = "\n".join(session.execute(text(
            "EXPLAIN SELECT id FROM document WHERE qualcode_fts(text) @@ to_tsquery('simple', 'cafe')")).scalars())
    assert words["cafe"] == 1 and words["nurse"] == 1
    assert "ix_document_fts" in plan or "Seq Scan" in plan  # tiny tables may skip the index


def test_backup_is_a_pg_dump_archive_that_pg_restore_reads(team_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with TeamProject.open(team_url) as project:
        with project.session() as session:
            doc_service.add_document(session, name="P1", text="Backed up text.")
        archive = project.backup(tmp_path)
    listing = subprocess.run(["/usr/lib/postgresql/15/bin/pg_restore", "--list", str(archive)],
                             capture_output=True, text=True, check=True).stdout
    assert "TABLE DATA public document" in listing
    assert "ix_document_fts" in listing
