"""campaigns remember who last wrote the text (four eyes: that account cannot approve)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# Before this column, a console save audited "sửa: <fields>" with every field of the form, so
# the last such event names the last writer of the text (conservatively: any saved edit).
BACKFILL = """
UPDATE campaigns SET text_by = COALESCE((
    SELECT e.actor FROM campaign_events e
    WHERE e.campaign_id = campaigns.id AND e.from_status = 'draft' AND e.to_status = 'draft'
      AND (e.note LIKE 'sửa:%template%' OR e.note LIKE 'sửa:%title%')
    ORDER BY e.id DESC LIMIT 1
), author)
"""


def upgrade() -> None:
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.add_column(sa.Column("text_by", sa.String(length=128), nullable=True))
    op.execute(BACKFILL)


def downgrade() -> None:
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.drop_column("text_by")
