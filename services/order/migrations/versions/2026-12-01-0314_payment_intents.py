"""online payment intents (B-2, O-6)

One row per payment asked of a provider (WeChat Pay, Alipay or the development sandbox):
the amount outstanding when it was asked, the QR code's content, until when it is
offered, and once the provider's verified notification arrives its transaction id
(unique per provider: a replayed notification records nothing twice), when it was paid
and the payment it recorded.

Revision ID: f102a19bd8b4
Revises: 597557bfa97e
Create Date: 2026-12-01 03:14:23.809695
"""

import sqlalchemy as sa
from alembic import op

revision = "f102a19bd8b4"
down_revision = "597557bfa97e"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "payment_intents",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("order_id", sa.UUID(), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("provider", sa.String(length=20), nullable=False),
        sa.Column("out_trade_no", sa.String(length=32), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), server_default="CNY", nullable=False),
        sa.Column("status", sa.String(length=10), server_default="created", nullable=False),
        sa.Column("code_url", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("provider_transaction_id", sa.String(length=64), nullable=True),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("payment_id", sa.UUID(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.CheckConstraint("currency = 'CNY'", name=op.f("ck_payment_intents_currency_cny")),
        sa.CheckConstraint("status IN ('created','paid','expired','failed')",
                           name=op.f("ck_payment_intents_status")),
        sa.CheckConstraint("amount > 0", name=op.f("ck_payment_intents_amount_positive")),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"],
                                name=op.f("fk_payment_intents_order_id_orders")),
        sa.ForeignKeyConstraint(["payment_id"], ["payments.id"],
                                name=op.f("fk_payment_intents_payment_id_payments")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_intents")),
        sa.UniqueConstraint("out_trade_no", name=op.f("uq_payment_intents_out_trade_no")),
    )
    op.create_index(op.f("ix_payment_intents_customer_id"), "payment_intents",
                    ["customer_id"], unique=False)
    op.create_index(op.f("ix_payment_intents_order_id"), "payment_intents", ["order_id"],
                    unique=False)
    op.create_index("uq_payment_intents_provider_transaction_id", "payment_intents",
                    ["provider", "provider_transaction_id"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_payment_intents_provider_transaction_id", table_name="payment_intents")
    op.drop_index(op.f("ix_payment_intents_order_id"), table_name="payment_intents")
    op.drop_index(op.f("ix_payment_intents_customer_id"), table_name="payment_intents")
    op.drop_table("payment_intents")
