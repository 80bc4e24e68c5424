"""points redemption on orders (P-2)

The points an order asks to pay with and what the points service answered (the
redemption saga; the order's payable amount is total − points_used), the products' categories in the catalogue read model (points pay for consumables and
accessories), and the read model of the customers' points balances.

Revision ID: e6f8a0b2c515
Revises: d5e7f9a1c404
Create Date: 2026-12-06 09:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "e6f8a0b2c515"
down_revision = "d5e7f9a1c404"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("orders", sa.Column("points_requested", sa.Integer(), nullable=False,
                                      server_default="0"))
    op.add_column("orders", sa.Column("points_used", sa.Integer(), nullable=False,
                                      server_default="0"))
    op.add_column("orders", sa.Column("points_status", sa.String(12), nullable=False,
                                      server_default="none"))
    op.add_column("orders", sa.Column("points_reason", sa.String(30)))
    op.create_check_constraint(op.f("ck_orders_points_within_total"), "orders",
                               "points_used >= 0 AND points_used <= total")
    op.create_check_constraint(op.f("ck_orders_points_requested_non_negative"), "orders",
                               "points_requested >= 0")
    op.create_check_constraint(
        op.f("ck_orders_points_status"), "orders",
        "points_status IN ('none','requested','reserved','redeemed','refused','released')")
    # the orders waiting for the points service's answer (the reply timeout, tasks.py)
    op.create_index("ix_orders_points_requested", "orders", ["created_at"],
                    postgresql_where=sa.text("points_status = 'requested'"))
    op.add_column("catalog_item_view", sa.Column("category", sa.String(20)))
    op.create_table(
        "points_balance_view",
        sa.Column("customer_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("remaining", sa.Integer(), nullable=False),
        sa.Column("threshold", sa.Integer(), nullable=False),
        sa.Column("can_redeem", sa.Boolean(), nullable=False),
        sa.Column("as_of", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("points_balance_view")
    op.drop_column("catalog_item_view", "category")
    op.drop_index("ix_orders_points_requested", table_name="orders")
    for name in ("points_status", "points_requested_non_negative", "points_within_total"):
        op.drop_constraint(op.f(f"ck_orders_{name}"), "orders", type_="check")
    for col in ("points_reason", "points_status", "points_used",
                "points_requested"):
        op.drop_column("orders", col)
