"""payment terms and due dates (O-6)

The customer read model keeps each customer's payment terms (customer.approved,
customer.payment_terms_changed) with the time the customer service set them; an order
gets its due date on approval. Orders approved before this migration are given the
default terms (30 days, ORDER_DEFAULT_PAYMENT_TERMS_DAYS) from the business date of
their approval. Once set, a due date never changes: a trigger refuses it, beside the
freeze of reviewed orders (order_lifecycle), which leaves `due_date` free so that the
approval can set it.

Revision ID: 0bf8e6a40766
Revises: 8d2c5a1e7b40
Create Date: 2026-12-01 01:03:42.222224
"""

import sqlalchemy as sa
from alembic import op

revision = "0bf8e6a40766"
down_revision = "8d2c5a1e7b40"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("customer_view", sa.Column("payment_terms_days", sa.Integer(),
                                             nullable=True))
    op.add_column("customer_view", sa.Column("payment_terms_as_of",
                                             sa.DateTime(timezone=True), nullable=True))
    op.add_column("orders", sa.Column("due_date", sa.Date(), nullable=True))
    op.create_index(op.f("ix_orders_due_date"), "orders", ["due_date"], unique=False)

    # Data: approved orders so far are due 30 days after the business date of approval.
    op.execute("UPDATE orders SET due_date = "
               "(reviewed_at AT TIME ZONE 'Asia/Shanghai')::date + 30 "
               "WHERE reviewed_at IS NOT NULL AND status <> 'rejected'")
    for statement in DUE_DATE_FIXED_SQL:
        op.execute(statement)


DUE_DATE_FIXED_SQL = [
    """
    CREATE FUNCTION orders_due_date_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'order % is reviewed: its due date % was set at approval and cannot '
        'be changed', OLD.number, OLD.due_date USING ERRCODE = 'restrict_violation';
    END $$
    """,
    """
    CREATE TRIGGER orders_due_date_fixed BEFORE UPDATE OF due_date ON orders
      FOR EACH ROW
      WHEN (OLD.due_date IS NOT NULL AND NEW.due_date IS DISTINCT FROM OLD.due_date)
      EXECUTE FUNCTION orders_due_date_fixed()
    """,
]


def downgrade() -> None:
    op.execute("DROP TRIGGER orders_due_date_fixed ON orders")
    op.execute("DROP FUNCTION orders_due_date_fixed()")
    op.drop_index(op.f("ix_orders_due_date"), table_name="orders")
    op.drop_column("orders", "due_date")
    op.drop_column("customer_view", "payment_terms_as_of")
    op.drop_column("customer_view", "payment_terms_days")
