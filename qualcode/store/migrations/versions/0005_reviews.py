"""Literature reviews: references (study records), screening reasons and decisions, PRISMA
counts recorded by hand, and the page boundaries of documents imported from PDFs.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document_page",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=20), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.CheckConstraint('start >= 0 AND "end" >= start', name=op.f("ck_document_page_span")),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_document_page_document_id_document"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_page")),
    )
    op.create_index(op.f("ix_document_page_document_id"), "document_page", ["document_id"], unique=False)
    op.create_table(
        "reference",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("duplicate_of_id", sa.Integer(), nullable=True),
        sa.Column("duplicate_reason", sa.String(length=20), nullable=False),
        sa.Column("database", sa.String(length=200), nullable=False),
        sa.Column("source_file", sa.String(length=500), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("authors", sa.Text(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("volume", sa.String(length=50), nullable=False),
        sa.Column("issue", sa.String(length=50), nullable=False),
        sa.Column("pages", sa.String(length=50), nullable=False),
        sa.Column("doi", sa.String(length=300), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("abstract", sa.Text(), nullable=False),
        sa.Column("citation_key", sa.String(length=200), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], name=op.f("fk_reference_case_id_case"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(
            ["duplicate_of_id"], ["reference.id"], name=op.f("fk_reference_duplicate_of_id_reference"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reference")),
        sa.UniqueConstraint("case_id", name=op.f("uq_reference_case_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_reference_uid")),
    )
    op.create_index(op.f("ix_reference_doi"), "reference", ["doi"], unique=False)
    op.create_index(op.f("ix_reference_duplicate_of_id"), "reference", ["duplicate_of_id"], unique=False)
    op.create_table(
        "screening_reason",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_reason")),
        sa.UniqueConstraint("stage", "text", name=op.f("uq_screening_reason_stage_text")),
        sa.UniqueConstraint("uid", name=op.f("uq_screening_reason_uid")),
    )
    op.create_table(
        "screening_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("reference_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("coder_id", sa.Integer(), nullable=False),
        sa.Column("final", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["coder_id"], ["coder.id"], name=op.f("fk_screening_decision_coder_id_coder"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["reference_id"], ["reference.id"], name=op.f("fk_screening_decision_reference_id_reference"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_decision")),
        sa.UniqueConstraint(
            "reference_id", "stage", "coder_id", "final", name=op.f("uq_screening_decision_reference_id_stage_coder_id_final")
        ),
        sa.UniqueConstraint("uid", name=op.f("uq_screening_decision_uid")),
    )
    op.create_index(op.f("ix_screening_decision_coder_id"), "screening_decision", ["coder_id"], unique=False)
    op.create_index(
        op.f("ix_screening_decision_reference_id"), "screening_decision", ["reference_id"], unique=False
    )
    op.create_table(
        "prisma_count",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prisma_count")),
        sa.UniqueConstraint("key", name=op.f("uq_prisma_count_key")),
    )


def downgrade() -> None:
    op.drop_table("prisma_count")
    op.drop_index(op.f("ix_screening_decision_reference_id"), table_name="screening_decision")
    op.drop_index(op.f("ix_screening_decision_coder_id"), table_name="screening_decision")
    op.drop_table("screening_decision")
    op.drop_table("screening_reason")
    op.drop_index(op.f("ix_reference_duplicate_of_id"), table_name="reference")
    op.drop_index(op.f("ix_reference_doi"), table_name="reference")
    op.drop_table("reference")
    op.drop_index(op.f("ix_document_page_document_id"), table_name="document_page")
    op.drop_table("document_page")
