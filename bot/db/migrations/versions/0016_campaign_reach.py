"""campaign reach: outbox read_at, campaign links and their clicks, subscription ends

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.db.models

revision = "0016"
down_revision = "0014"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = bot.db.models.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("campaign_outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("read_at", WHEN, nullable=True))
        batch_op.create_index(
            "ix_campaign_outbox_channel_external", ["channel", "external_id"], unique=False
        )
    op.create_table(
        "campaign_links",
        sa.Column("id", ID, nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("unit", sa.String(length=64), nullable=False),
        sa.Column("campaign_id", ID, nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("target", sa.String(length=2000), nullable=False),
        sa.Column("clicks", sa.Integer(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaigns.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("campaign_id", "channel", "target"),
        sa.UniqueConstraint("token"),
    )
    op.create_table(
        "link_clicks",
        sa.Column("id", ID, nullable=False),
        sa.Column("link_id", ID, nullable=False),
        sa.Column("visitor", sa.String(length=64), nullable=False),
        sa.Column("at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["link_id"], ["campaign_links.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("link_id", "visitor"),
    )
    op.create_table(
        "subscription_ends",
        sa.Column("id", ID, nullable=False),
        sa.Column("contact_id", ID, nullable=False),
        sa.Column("unit", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_subscription_ends_contact_at", "subscription_ends", ["contact_id", "at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_subscription_ends_contact_at", table_name="subscription_ends")
    op.drop_table("subscription_ends")
    op.drop_table("link_clicks")
    op.drop_table("campaign_links")
    with op.batch_alter_table("campaign_outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_campaign_outbox_channel_external")
        batch_op.drop_column("read_at")
