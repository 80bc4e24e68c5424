"""When each account's balances were last announced (points.balance_changed): accounts
never announced are announced by the backfill job (points/tasks.py).

Revision ID: 7a5b9c1d3e64
Revises: 6f4a8b0c2d53
"""

import sqlalchemy as sa
from alembic import op

revision = "7a5b9c1d3e64"
down_revision = "6f4a8b0c2d53"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("points_accounts",
                  sa.Column("announced_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("points_accounts", "announced_at")
