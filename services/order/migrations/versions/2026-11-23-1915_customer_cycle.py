"""customer ordering cycle in the read model (C-6)

The customer service's customer.cycle_changed keeps each customer's ordering cycle here,
for reminders and anomaly analysis (A-3). Written by hand: three nullable columns.

Revision ID: 8d2c5a1e7b40
Revises: f49fdc1850ff
Create Date: 2026-11-23 19:15:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "8d2c5a1e7b40"
down_revision = "f49fdc1850ff"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("customer_view", sa.Column("cycle_kind", sa.String(length=10), nullable=True))
    op.add_column("customer_view", sa.Column("cycle_days", sa.Integer(), nullable=True))
    op.add_column("customer_view", sa.Column("cycle_weekday", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("customer_view", "cycle_weekday")
    op.drop_column("customer_view", "cycle_days")
    op.drop_column("customer_view", "cycle_kind")
