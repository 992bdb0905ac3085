"""unit_categories: a unit's PAKN categories offered in the form, as edited in the console

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "unit_categories",
        sa.Column("unit", sa.String(length=64), nullable=False),
        sa.Column(
            "categories",
            sa.JSON().with_variant(sa.JSON(none_as_null=True), "postgresql"),
            nullable=False,
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("unit", name=op.f("pk_unit_categories")),
    )


def downgrade() -> None:
    op.drop_table("unit_categories")
