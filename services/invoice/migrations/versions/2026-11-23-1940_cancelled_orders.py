"""invoiceable orders may be cancelled (O-5): the read model follows order.cancelled

Revision ID: 3b7e5d9c2a10
Revises: e1a04847f912
Create Date: 2026-11-23 19:40:00.000000
"""

from alembic import op

revision = "3b7e5d9c2a10"
down_revision = "e1a04847f912"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_constraint(op.f("ck_invoiceable_orders_status"), "invoiceable_orders", type_="check")
    op.create_check_constraint(
        op.f("ck_invoiceable_orders_status"), "invoiceable_orders",
        "status IN ('submitted','approved','rejected','cancelled')")


def downgrade() -> None:
    op.execute("UPDATE invoiceable_orders SET status = 'rejected' WHERE status = 'cancelled'")
    op.drop_constraint(op.f("ck_invoiceable_orders_status"), "invoiceable_orders", type_="check")
    op.create_check_constraint(
        op.f("ck_invoiceable_orders_status"), "invoiceable_orders",
        "status IN ('submitted','approved','rejected')")
