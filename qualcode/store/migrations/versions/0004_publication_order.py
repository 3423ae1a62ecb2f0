"""Orders a researcher sets for publication: the order of a configuration's statements in
its sentence (and the sentence written out in full), and the order of a theme's exemplar
quotes.

- `cmo_component.sentence_position`: the statement's place in the configuration's sentence,
  across roles ("... (C) may make patients reluctant ... (O) because ... (M)."). Existing
  configurations keep the sentence they had: their statements are numbered in template
  order (roles in the template's order, each role's statements by `position`).
- `cmo_configuration.sentence`: the sentence as the authors wrote it, with the role markers
  in place ("Uncertainty about ... (C) may make ... (O) because ... (M)."); empty: built
  from the statements.
- `coding.exemplar_position`: the place of an exemplar coding among its theme's exemplars.
- `cmo_stage`: the order of the concepts as stages of the programme-theory pathway.
- `node_link`: links the researcher draws between themes of different networks (with an
  optional label), drawn on the whole-project concept map.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cmo_stage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("concept", sa.String(length=300), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cmo_stage")),
        sa.UniqueConstraint("concept", name=op.f("uq_cmo_stage_concept")),
        sa.UniqueConstraint("uid", name=op.f("uq_cmo_stage_uid")),
    )
    op.create_table(
        "node_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.CheckConstraint("source_id <> target_id", name=op.f("ck_node_link_distinct_ends")),
        sa.ForeignKeyConstraint(["source_id"], ["node.id"], name=op.f("fk_node_link_source_id_node"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["target_id"], ["node.id"], name=op.f("fk_node_link_target_id_node"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_node_link")),
        sa.UniqueConstraint("source_id", "target_id", name=op.f("uq_node_link_source_id_target_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_node_link_uid")),
    )
    op.create_index(op.f("ix_node_link_source_id"), "node_link", ["source_id"], unique=False)
    op.create_index(op.f("ix_node_link_target_id"), "node_link", ["target_id"], unique=False)
    with op.batch_alter_table("cmo_component") as batch:
        batch.add_column(sa.Column("sentence_position", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("cmo_configuration") as batch:
        batch.add_column(sa.Column("sentence", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("coding") as batch:
        batch.add_column(sa.Column("exemplar_position", sa.Integer(), nullable=False, server_default="0"))
    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT c.id, c.configuration_id, c.role, c.position, f.roles FROM cmo_component c "
        "JOIN cmo_configuration f ON f.id = c.configuration_id")).fetchall()
    ranked: dict[int, list[tuple[int, int, int, int]]] = {}
    for component_id, configuration_id, role, position, roles in rows:
        tokens = [t.strip().rstrip("?").strip().lower() for t in roles.split(",")]
        rank = tokens.index(role.lower()) if role.lower() in tokens else len(tokens)
        ranked.setdefault(configuration_id, []).append((rank, position, component_id, 0))
    for items in ranked.values():
        for index, (_rank, _position, component_id, _) in enumerate(sorted(items)):
            connection.execute(sa.text("UPDATE cmo_component SET sentence_position = :p WHERE id = :i"),
                               {"p": index, "i": component_id})


def downgrade() -> None:
    op.drop_table("cmo_stage")
    op.drop_index(op.f("ix_node_link_target_id"), table_name="node_link")
    op.drop_index(op.f("ix_node_link_source_id"), table_name="node_link")
    op.drop_table("node_link")
    with op.batch_alter_table("coding") as batch:
        batch.drop_column("exemplar_position")
    with op.batch_alter_table("cmo_configuration") as batch:
        batch.drop_column("sentence")
    with op.batch_alter_table("cmo_component") as batch:
        batch.drop_column("sentence_position")
