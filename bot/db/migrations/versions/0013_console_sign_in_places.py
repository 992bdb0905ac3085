"""console sign-in places: known browsers and addresses

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.db.models

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "console_known_places",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("place", sa.String(length=80), nullable=False),
        sa.Column("last_ok_at", bot.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("console_known_places", schema=None) as batch_op:
        batch_op.create_index("ix_console_known_places_user", ["username", "place"], unique=False)

    with op.batch_alter_table("console_login_attempts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("place", sa.String(length=80), nullable=True))
        batch_op.create_index(
            "ix_console_login_attempts_place", ["username", "place", "created_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("console_login_attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_console_login_attempts_place")
        batch_op.drop_column("place")

    with op.batch_alter_table("console_known_places", schema=None) as batch_op:
        batch_op.drop_index("ix_console_known_places_user")

    op.drop_table("console_known_places")
