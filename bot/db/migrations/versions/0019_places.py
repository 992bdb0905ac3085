"""places: a PAKN's shared location; a unit's ấp/khu phố list edited in the console

Revision ID: 0019
Revises: 0015
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pakn", schema=None) as batch_op:
        batch_op.add_column(sa.Column("latitude", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("longitude", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("location_accuracy", sa.Float(), nullable=True))
    op.create_table(
        "unit_areas",
        sa.Column("unit", sa.String(length=64), nullable=False),
        sa.Column(
            "areas",
            sa.JSON().with_variant(sa.JSON(none_as_null=True), "postgresql"),
            nullable=False,
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("unit", name=op.f("pk_unit_areas")),
    )


def downgrade() -> None:
    op.drop_table("unit_areas")
    with op.batch_alter_table("pakn", schema=None) as batch_op:
        batch_op.drop_column("location_accuracy")
        batch_op.drop_column("longitude")
        batch_op.drop_column("latitude")
