"""faq edits (staff edits of FAQ entries, layered over content/faq)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.db.models

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "faq_edits",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("entry_id", sa.String(length=100), nullable=False),
        sa.Column("unit", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "data",
            sa.JSON().with_variant(sa.JSON(none_as_null=True), "postgresql"),
            nullable=False,
        ),
        sa.Column("author", sa.String(length=128), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_at", bot.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("faq_edits", schema=None) as batch_op:
        batch_op.create_index("ix_faq_edits_entry", ["entry_id", "unit", "version"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("faq_edits", schema=None) as batch_op:
        batch_op.drop_index("ix_faq_edits_entry")
    op.drop_table("faq_edits")
