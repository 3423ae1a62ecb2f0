"""The full-text index: created by migration 0003, built for older projects, kept in sync by triggers."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import select, text

from qualcode.services import documents as doc_service
from qualcode.services.commands import UndoStack
from qualcode.store import fulltext
from qualcode.store.models import Document
from qualcode.store.project import APPLICATION_ID, Project, _alembic_config, _make_engine, schema_version


def _create_at_schema_2(path: Path, texts: list[str]) -> None:
    """A project file as QualCode wrote it before the full-text index existed."""
    engine = _make_engine(path, read_only=False)
    try:
        with engine.connect() as connection, connection.begin():
            config = _alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "0002")
            connection.exec_driver_sql("PRAGMA user_version=2")
            connection.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
            connection.execute(text("INSERT INTO project_info (uid, title, created_at, methodology) "
                                    "VALUES ('00000000-0000-4000-8000-000000000000', 'Old', '2024-01-01', '')"))
            for number, body in enumerate(texts, start=1):
                connection.execute(text(
                    "INSERT INTO document (uid, name, kind, text, text_sha256, source_filename, imported_at, memo) "
                    "VALUES (:uid, :name, 'interview', :text, '', '', '2024-01-01', '')"),
                    {"uid": f"00000000-0000-4000-8000-00000000000{number}", "name": f"P{number}", "text": body})
    finally:
        engine.dispose()


def test_new_project_has_the_index_and_its_triggers(project: Project) -> None:
    with project.session() as session:
        names = set(session.scalars(text("SELECT name FROM sqlite_master")))
    assert fulltext.FTS_TABLE in names
    assert set(fulltext.FTS_TRIGGERS) <= names


def test_schema_2_project_upgrades_with_existing_documents_indexed(tmp_path: Path) -> None:
    path = tmp_path / "old.qualcode"
    _create_at_schema_2(path, ["We waited for the nurse.", "The café was closed; naïve hopes."])
    with Project.open(path) as project, project.session() as session:
        version = session.execute(text("PRAGMA user_version")).scalar_one()
        assert fulltext.matching_documents(session, "nurse") == [1]
        assert fulltext.matching_documents(session, "cafe") == [2]
        assert fulltext.matching_documents(session, "naive") == [2]
        assert fulltext.index_is_consistent(session)
    assert version == schema_version()
    assert list((tmp_path / "old-backups").glob("old-before-schema-2-*.qualcode"))


def _add(session, name: str, body: str) -> int:  # type: ignore[no-untyped-def]
    return int(doc_service.add_document(session, name=name, text=body).result)


def test_index_follows_text_edits_deletes_and_their_undo(project: Project) -> None:
    stack = UndoStack()
    with project.session() as session:
        first = _add(session, "P1", "I listened to the doctor.")
        second = _add(session, "P2", "Nobody listened to me at Site 2.")
        stack.push(doc_service.edit_document_text(session, document_id=first, start=18, end=24, replacement="nurse"))
        assert fulltext.matching_documents(session, "nurse") == [first]
        assert fulltext.matching_documents(session, "doctor") == []
        stack.push(doc_service.delete_document(session, document_id=second))
        assert fulltext.matching_documents(session, "listened") == [first]
        assert fulltext.index_is_consistent(session)
    with project.session() as session:
        stack.undo(session)
        assert fulltext.matching_documents(session, "listened") == [first, second]
        stack.undo(session)
        assert fulltext.matching_documents(session, "doctor") == [first]
        assert fulltext.matching_documents(session, "nurse") == []
        assert fulltext.index_is_consistent(session)
    with project.session() as session:
        stack.redo(session)
        stack.redo(session)
        assert fulltext.matching_documents(session, "nurse") == [first]
        assert fulltext.matching_documents(session, "listened") == [first]
        assert fulltext.index_is_consistent(session)


def test_stale_index_is_detected_and_rebuilt(project: Project) -> None:
    with project.session() as session:
        doc_id = _add(session, "P1", "alpha beta")
        session.execute(text("DROP TRIGGER document_fts_after_update"))
        session.execute(text("UPDATE document SET text = 'gamma delta' WHERE id = :id"), {"id": doc_id})
        assert not fulltext.index_is_consistent(session)
        fulltext.rebuild(session)
        assert fulltext.index_is_consistent(session)
        assert fulltext.matching_documents(session, "gamma") == [doc_id]
        assert session.scalar(select(Document.text).where(Document.id == doc_id)) == "gamma delta"


def test_highlight_offsets_are_code_points_in_any_script(project: Project) -> None:
    body = "😀 Café 東京 — I was LISTENING, naïve 🇬🇧 listening-well."
    with project.session() as session:
        doc_id = _add(session, "P1", body)
        found = list(fulltext.hits(session, "listening OR cafe OR naive OR 東京"))
    assert [h.document_id for h in found] == [doc_id]
    assert [body[s:e] for s, e in found[0].spans] == ["Café", "東京", "LISTENING", "naïve", "listening"]


def test_vocabulary_lists_terms_with_counts(project: Project) -> None:
    with project.session() as session:
        _add(session, "P1", "care care home")
        _add(session, "P2", "Care")
        assert fulltext.vocabulary(session) == [("care", 3), ("home", 1)]


def test_offsets_stay_exact_when_a_text_contains_the_highlight_markers(project: Project) -> None:
    body = "odd \ufdd0 bytes \ufdd1 then the nurse \ufdd0 came"
    with project.session() as session:
        doc_id = _add(session, "P1", body)
        found = list(fulltext.hits(session, "nurse OR odd"))
    assert [body[s:e] for s, e in found[0].spans] == ["odd", "nurse"] and found[0].text == body
    assert found[0].document_id == doc_id
