"""status look-ups remember the code tried (failed guesses limited per code, across contacts)

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pakn_lookups", schema=None) as batch_op:
        batch_op.add_column(sa.Column("code", sa.String(length=16), nullable=True))
        batch_op.create_index("ix_pakn_lookups_code", ["code", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pakn_lookups", schema=None) as batch_op:
        batch_op.drop_index("ix_pakn_lookups_code")
        batch_op.drop_column("code")
