"""credit limits and credit holds (B-3)

The customer read model keeps each customer's credit limit (customer.credit_limit_changed)
with the time the customer service set it. An order submitted or modified over the limit
is held: `credit_hold` with the figures it was judged on (limit, what the customer owed
on its other open orders, this order's total), and finance's release (who, when, note,
the total it was released for). Existing orders are not held. A partial index serves the
list of held orders.

Revision ID: c3d5e7f9b202
Revises: b2c4e6f8a101
Create Date: 2026-12-02 11:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "c3d5e7f9b202"
down_revision = "b2c4e6f8a101"
branch_labels = None
depends_on = None

MONEY = sa.Numeric(14, 2)


def upgrade() -> None:
    op.add_column("customer_view", sa.Column("credit_limit", MONEY, nullable=True))
    op.add_column("customer_view", sa.Column("credit_limit_as_of",
                                             sa.DateTime(timezone=True), nullable=True))
    op.add_column("orders", sa.Column("credit_hold", sa.Boolean(), server_default="false",
                                      nullable=False))
    op.add_column("orders", sa.Column("credit_hold_limit", MONEY, nullable=True))
    op.add_column("orders", sa.Column("credit_hold_outstanding", MONEY, nullable=True))
    op.add_column("orders", sa.Column("credit_hold_amount", MONEY, nullable=True))
    op.add_column("orders", sa.Column("credit_released_by", sa.String(100), nullable=True))
    op.add_column("orders", sa.Column("credit_released_at", sa.DateTime(timezone=True),
                                      nullable=True))
    op.add_column("orders", sa.Column("credit_release_note", sa.Text(), nullable=True))
    op.add_column("orders", sa.Column("credit_released_total", MONEY, nullable=True))
    op.create_index("ix_orders_credit_hold", "orders", ["created_at"],
                    postgresql_where=sa.text("credit_hold"))


def downgrade() -> None:
    op.drop_index("ix_orders_credit_hold", table_name="orders")
    for column in ("credit_released_total", "credit_release_note", "credit_released_at",
                   "credit_released_by", "credit_hold_amount", "credit_hold_outstanding",
                   "credit_hold_limit", "credit_hold"):
        op.drop_column("orders", column)
    op.drop_column("customer_view", "credit_limit_as_of")
    op.drop_column("customer_view", "credit_limit")
