"""Full-text index over document text (SQLite FTS5), kept in sync by triggers.

`document_fts` is an external-content FTS5 table: it stores only the index and reads the
text from `document.text` (rowid = document.id), so the text is never stored twice and
`highlight()` can mark matches in the original text. Three triggers keep it in step with
every insert, text update and delete of a document row, whoever writes it: the text-edit
service, anonymisation, imports, or undo/redo replaying the row journal with plain Core
statements.

The virtual table lives only here, not in `Base.metadata` (the ORM has no use for it);
qualcode.store.fulltext holds the queries that read it. A later migration that rebuilds
the `document` table (an Alembic batch operation) drops these triggers with it and must
create them again; tests/store/test_fulltext_schema.py fails if they are missing.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# unicode61 folds case and (mode 2) strips diacritics, so "cafe" finds "Café".
_CREATE = [
    """
    CREATE VIRTUAL TABLE document_fts USING fts5(
        text,
        content='document',
        content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER document_fts_after_insert AFTER INSERT ON document BEGIN
        INSERT INTO document_fts(rowid, text) VALUES (new.id, new.text);
    END
    """,
    """
    CREATE TRIGGER document_fts_after_delete AFTER DELETE ON document BEGIN
        INSERT INTO document_fts(document_fts, rowid, text) VALUES ('delete', old.id, old.text);
    END
    """,
    """
    CREATE TRIGGER document_fts_after_update AFTER UPDATE OF id, text ON document BEGIN
        INSERT INTO document_fts(document_fts, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO document_fts(rowid, text) VALUES (new.id, new.text);
    END
    """,
    # Index the documents of a project created before this schema.
    "INSERT INTO document_fts(document_fts) VALUES ('rebuild')",
]


# On PostgreSQL the same search runs on a GIN index over a generated column `fts`: the text
# folded like unicode61 (lower case, no diacritics, every run of letters and digits a word),
# so the index needs no triggers and cannot fall out of step with the text. The column is
# the server's own, like `document_fts` is SQLite's: the ORM does not map it.
_CREATE_POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """
    CREATE OR REPLACE FUNCTION qualcode_fold(value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
        SELECT regexp_replace(public.unaccent('public.unaccent'::regdictionary, lower(value)),
                              '[^[:alnum:]]+', ' ', 'g')
    $$
    """,
    """
    CREATE OR REPLACE FUNCTION qualcode_fts(value text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
        SELECT to_tsvector('pg_catalog.simple', qualcode_fold(value))
    $$
    """,
    # Stored, so phrase searches recheck positions without folding the text again.
    "ALTER TABLE document ADD COLUMN fts tsvector GENERATED ALWAYS AS (qualcode_fts(text)) STORED",
    "CREATE INDEX ix_document_fts ON document USING gin (fts)",
]


def upgrade() -> None:
    statements = _CREATE_POSTGRESQL if op.get_bind().dialect.name == "postgresql" else _CREATE
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_document_fts")
        op.execute("ALTER TABLE document DROP COLUMN IF EXISTS fts")
        op.execute("DROP FUNCTION IF EXISTS qualcode_fts(text)")
        op.execute("DROP FUNCTION IF EXISTS qualcode_fold(text)")
        return
    op.execute("DROP TRIGGER IF EXISTS document_fts_after_update")
    op.execute("DROP TRIGGER IF EXISTS document_fts_after_delete")
    op.execute("DROP TRIGGER IF EXISTS document_fts_after_insert")
    op.execute("DROP TABLE IF EXISTS document_fts")
