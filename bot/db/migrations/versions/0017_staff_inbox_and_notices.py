"""staff inbox of handed-off questions, console notices, e-mail addresses, digest runs

Revision ID: 0017
Revises: 0018
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.db.base import UTCDateTime

revision = "0017"
down_revision = "0018"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("faq_queries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("handed_at", UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("staff_due_at", UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("staff_done_at", UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("staff_answered_by", sa.String(length=100), nullable=True))
        batch_op.create_index(
            "ix_faq_queries_handed", ["unit", "staff_done_at", "handed_at"], unique=False
        )
    # Questions handed over before this revision: in the inbox from when they were asked.
    op.execute(
        "UPDATE faq_queries SET handed_at = created_at WHERE handed_to_staff AND handed_at IS NULL"
    )
    op.execute(
        "UPDATE faq_queries SET staff_done_at = staff_answered_at "
        "WHERE staff_answered_at IS NOT NULL"
    )
    with op.batch_alter_table("console_users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(length=254), nullable=True))
    op.create_table(
        "console_notices",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("target", sa.String(length=100), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("read_at", UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_console_notices_user", "console_notices", ["username", "read_at"], unique=False
    )
    op.create_table(
        "digest_runs",
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("sent_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day"),
    )


def downgrade() -> None:
    op.drop_table("digest_runs")
    op.drop_index("ix_console_notices_user", table_name="console_notices")
    op.drop_table("console_notices")
    with op.batch_alter_table("console_users", schema=None) as batch_op:
        batch_op.drop_column("email")
    with op.batch_alter_table("faq_queries", schema=None) as batch_op:
        batch_op.drop_index("ix_faq_queries_handed")
        batch_op.drop_column("staff_answered_by")
        batch_op.drop_column("staff_done_at")
        batch_op.drop_column("staff_due_at")
        batch_op.drop_column("handed_at")
