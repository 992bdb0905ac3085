"""staff posts (merges the zalo and pakn branches)

Revision ID: 0006
Revises: 0002, 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.db.models

revision = "0006"
down_revision = ("0002", "0003")
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff_posts",
        sa.Column(
            "message_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("pakn_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column(
            "faq_query_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("created_at", bot.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["message_id"], ["messages.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["pakn_id"], ["pakn.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["faq_query_id"], ["faq_queries.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("message_id"),
    )
    with op.batch_alter_table("staff_posts", schema=None) as batch_op:
        batch_op.create_index("ix_staff_posts_pakn", ["pakn_id"], unique=False)
    with op.batch_alter_table("faq_queries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("staff_answer", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("staff_answered_at", bot.db.models.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("faq_queries", schema=None) as batch_op:
        batch_op.drop_column("staff_answered_at")
        batch_op.drop_column("staff_answer")
    with op.batch_alter_table("staff_posts", schema=None) as batch_op:
        batch_op.drop_index("ix_staff_posts_pakn")
    op.drop_table("staff_posts")
