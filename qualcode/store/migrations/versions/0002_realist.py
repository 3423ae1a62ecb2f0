"""Realist evaluation (CMO configurations, components, evidence) and the reflexive journal.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cmo_configuration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("concept", sa.String(length=300), nullable=False),
        sa.Column("template", sa.String(length=100), nullable=False),
        sa.Column("roles", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("refined_from_id", sa.Integer(), nullable=True),
        sa.Column("memo", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["refined_from_id"],
            ["cmo_configuration.id"],
            name=op.f("fk_cmo_configuration_refined_from_id_cmo_configuration"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cmo_configuration")),
        sa.UniqueConstraint("uid", name=op.f("uq_cmo_configuration_uid")),
    )
    op.create_table(
        "cmo_component",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("configuration_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["configuration_id"],
            ["cmo_configuration.id"],
            name=op.f("fk_cmo_component_configuration_id_cmo_configuration"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cmo_component")),
        sa.UniqueConstraint("uid", name=op.f("uq_cmo_component_uid")),
    )
    op.create_index(
        op.f("ix_cmo_component_configuration_id"),
        "cmo_component",
        ["configuration_id"],
        unique=False,
    )
    op.create_table(
        "cmo_configuration_node",
        sa.Column("configuration_id", sa.Integer(), nullable=False),
        sa.Column("node_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["configuration_id"],
            ["cmo_configuration.id"],
            name=op.f("fk_cmo_configuration_node_configuration_id_cmo_configuration"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["node_id"],
            ["node.id"],
            name=op.f("fk_cmo_configuration_node_node_id_node"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "configuration_id", "node_id", name=op.f("pk_cmo_configuration_node")
        ),
    )
    op.create_table(
        "journal_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("coder_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["coder_id"],
            ["coder.id"],
            name=op.f("fk_journal_entry_coder_id_coder"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journal_entry")),
        sa.UniqueConstraint("uid", name=op.f("uq_journal_entry_uid")),
    )
    op.create_index(
        op.f("ix_journal_entry_coder_id"), "journal_entry", ["coder_id"], unique=False
    )
    op.create_table(
        "cmo_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("component_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("start", sa.Integer(), nullable=True),
        sa.Column("end", sa.Integer(), nullable=True),
        sa.Column("coding_id", sa.Integer(), nullable=True),
        sa.Column("coder_id", sa.Integer(), nullable=False),
        sa.Column("stance", sa.String(length=20), nullable=False),
        sa.Column("memo", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            '(start IS NULL AND "end" IS NULL) OR (start >= 0 AND "end" > start)',
            name=op.f("ck_cmo_evidence_span"),
        ),
        sa.ForeignKeyConstraint(
            ["coder_id"],
            ["coder.id"],
            name=op.f("fk_cmo_evidence_coder_id_coder"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["coding_id"],
            ["coding.id"],
            name=op.f("fk_cmo_evidence_coding_id_coding"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["component_id"],
            ["cmo_component.id"],
            name=op.f("fk_cmo_evidence_component_id_cmo_component"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name=op.f("fk_cmo_evidence_document_id_document"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cmo_evidence")),
        sa.UniqueConstraint("uid", name=op.f("uq_cmo_evidence_uid")),
    )
    op.create_index(
        op.f("ix_cmo_evidence_coding_id"), "cmo_evidence", ["coding_id"], unique=False
    )
    op.create_index(
        op.f("ix_cmo_evidence_component_id"),
        "cmo_evidence",
        ["component_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_cmo_evidence_document_id"),
        "cmo_evidence",
        ["document_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_table("cmo_evidence")
    op.drop_table("journal_entry")
    op.drop_table("cmo_configuration_node")
    op.drop_table("cmo_component")
    op.drop_table("cmo_configuration")
