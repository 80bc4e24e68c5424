"""payment ledger: reversals and refunds (O-6)

A wrongly recorded payment is never edited: a reversal (requested by one staff member,
approved or rejected by another) is its counter-entry, and the payment row keeps
everything it had except `reversed_by`, the approved reversal's id (set once; the
database refuses any other change to a payment and any deletion). Refunds record money
paid back for approved returns and cancelled orders. At most one pending or approved
reversal per payment (a partial unique index).

Revision ID: b2c4e6f8a101
Revises: f102a19bd8b4
Create Date: 2026-12-02 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "b2c4e6f8a101"
down_revision = "f102a19bd8b4"
branch_labels = None
depends_on = None

PAYMENTS_IMMUTABLE = [
    """
    CREATE FUNCTION payments_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'payments are never deleted; reverse the payment instead'
          USING ERRCODE = 'restrict_violation';
      END IF;
      IF ROW(NEW.id, NEW.order_id, NEW.amount, NEW.paid_on, NEW.method, NEW.reference,
             NEW.recorded_by, NEW.created_at)
         IS DISTINCT FROM
         ROW(OLD.id, OLD.order_id, OLD.amount, OLD.paid_on, OLD.method, OLD.reference,
             OLD.recorded_by, OLD.created_at)
         OR (OLD.reversed_by IS NOT NULL AND NEW.reversed_by IS DISTINCT FROM OLD.reversed_by)
      THEN
        RAISE EXCEPTION 'payment % cannot be changed; reverse it instead', OLD.id
          USING ERRCODE = 'restrict_violation';
      END IF;
      RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER payments_immutable BEFORE UPDATE OR DELETE ON payments
      FOR EACH ROW EXECUTE FUNCTION payments_immutable()
    """,
]


def upgrade() -> None:
    op.create_table(
        "payment_reversals",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("order_id", sa.UUID(), nullable=False),
        sa.Column("payment_id", sa.UUID(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("status", sa.String(length=10), server_default="pending", nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("requested_by", sa.String(length=100), nullable=False),
        sa.Column("requested_by_subject", sa.String(length=100), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.CheckConstraint("status IN ('pending','approved','rejected')",
                           name=op.f("ck_payment_reversals_status")),
        sa.CheckConstraint("amount > 0", name=op.f("ck_payment_reversals_amount_positive")),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"],
                                name=op.f("fk_payment_reversals_order_id_orders")),
        sa.ForeignKeyConstraint(["payment_id"], ["payments.id"],
                                name=op.f("fk_payment_reversals_payment_id_payments")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_reversals")),
    )
    op.create_index(op.f("ix_payment_reversals_order_id"), "payment_reversals", ["order_id"])
    op.create_index(op.f("ix_payment_reversals_payment_id"), "payment_reversals",
                    ["payment_id"])
    op.create_index("uq_payment_reversals_payment_id_open", "payment_reversals",
                    ["payment_id"], unique=True,
                    postgresql_where=sa.text("status IN ('pending','approved')"))
    op.add_column("payments", sa.Column("reversed_by", sa.UUID(), nullable=True))
    op.create_foreign_key(op.f("fk_payments_reversed_by_payment_reversals"), "payments",
                          "payment_reversals", ["reversed_by"], ["id"])

    op.create_table(
        "refunds",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("order_id", sa.UUID(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("refunded_on", sa.Date(), nullable=False),
        sa.Column("method", sa.String(length=40), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_refunds_amount_positive")),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"],
                                name=op.f("fk_refunds_order_id_orders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refunds")),
    )
    op.create_index(op.f("ix_refunds_order_id"), "refunds", ["order_id"])
    for sql in PAYMENTS_IMMUTABLE:
        op.execute(sql)


def downgrade() -> None:
    op.execute("DROP TRIGGER payments_immutable ON payments")
    op.execute("DROP FUNCTION payments_immutable()")
    op.drop_index(op.f("ix_refunds_order_id"), table_name="refunds")
    op.drop_table("refunds")
    op.drop_constraint(op.f("fk_payments_reversed_by_payment_reversals"), "payments",
                       type_="foreignkey")
    op.drop_column("payments", "reversed_by")
    op.drop_index("uq_payment_reversals_payment_id_open", table_name="payment_reversals")
    op.drop_index(op.f("ix_payment_reversals_payment_id"), table_name="payment_reversals")
    op.drop_index(op.f("ix_payment_reversals_order_id"), table_name="payment_reversals")
    op.drop_table("payment_reversals")
