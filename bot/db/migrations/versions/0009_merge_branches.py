"""merge the console, campaigns and zalo/pakn/staff branches

Revision ID: 0009
Revises: 0004, 0005, 0006
Create Date: 2026-11-23
"""

from __future__ import annotations

revision = "0009"
down_revision = ("0004", "0005", "0006")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
