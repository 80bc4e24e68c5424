"""fapiao requests (issue 10: I-1..I-3, C-7): tax details, rejection, several fapiao

Invoices get the fapiao type and the details the fapiao shows (after the customer's
profile defaults), the latest submission time and the last rejection. Their numbers move
to `invoice_fapiao`: an invoice above the per-fapiao limit is issued as several, each
number unique. Ordered amounts less approved returns' refunds (`order_refunds`, once per
return) are invoiced; the customer read model keeps each customer's area (C-7) and tax
information (C-1).

Revision ID: 152b5c995956
Revises: 3b7e5d9c2a10
Create Date: 2026-12-01 03:08:22
"""

import sqlalchemy as sa
from alembic import op

revision = "152b5c995956"
down_revision = "3b7e5d9c2a10"
branch_labels = None
depends_on = None

MONEY = sa.Numeric(precision=14, scale=2)


def upgrade() -> None:
    op.create_table(
        "customers",
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("customer_number", sa.String(length=20), nullable=True),
        sa.Column("company_name", sa.String(length=200), nullable=True),
        sa.Column("area", sa.String(length=100), nullable=True),
        sa.Column("invoice_title", sa.String(length=200), nullable=True),
        sa.Column("tax_number", sa.String(length=50), nullable=True),
        sa.Column("bank", sa.String(length=200), nullable=True),
        sa.Column("bank_account", sa.String(length=64), nullable=True),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("area_code", sa.String(length=10), nullable=True),
        sa.Column("telephone", sa.String(length=40), nullable=True),
        sa.Column("mobile", sa.String(length=20), nullable=True),
        sa.Column("as_of", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_customers")),
    )
    op.create_index(op.f("ix_customers_area"), "customers", ["area"], unique=False)

    op.create_table(
        "order_refunds",
        sa.Column("return_id", sa.UUID(), nullable=False),
        sa.Column("order_id", sa.UUID(), nullable=False),
        sa.Column("refund_amount", MONEY, nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("return_id", name=op.f("pk_order_refunds")),
    )
    op.create_index(op.f("ix_order_refunds_order_id"), "order_refunds", ["order_id"],
                    unique=False)
    op.add_column("invoiceable_orders",
                  sa.Column("refund_amount", MONEY, server_default="0", nullable=False))
    op.create_check_constraint(op.f("ck_invoiceable_orders_refund_amount_non_negative"),
                               "invoiceable_orders", "refund_amount >= 0")
    op.add_column("invoice_orders",
                  sa.Column("refund_amount", MONEY, server_default="0", nullable=False))

    # What the fapiao shows; invoices requested before were ordinary ones.
    op.add_column("invoices", sa.Column("invoice_type", sa.String(length=20),
                                        server_default="ordinary_vat", nullable=False))
    op.alter_column("invoices", "invoice_type", server_default=None)
    op.create_check_constraint(op.f("ck_invoices_invoice_type"), "invoices",
                               "invoice_type IN ('ordinary_vat','special_vat')")
    op.add_column("invoices", sa.Column("bank", sa.String(length=200), nullable=True))
    op.add_column("invoices", sa.Column("bank_account", sa.String(length=64), nullable=True))
    op.add_column("invoices", sa.Column("address_phone", sa.String(length=300), nullable=True))
    op.add_column("invoices", sa.Column("mail_to", sa.String(length=300), nullable=True))
    op.add_column("invoices", sa.Column("requested_at", sa.DateTime(timezone=True),
                                        server_default=sa.text("now()"), nullable=False))
    op.execute("UPDATE invoices SET requested_at = created_at")

    # requested → rejected → requested
    op.add_column("invoices", sa.Column("rejection_reason", sa.String(length=500),
                                        nullable=True))
    op.add_column("invoices", sa.Column("rejected_by", sa.String(length=100), nullable=True))
    op.add_column("invoices", sa.Column("rejected_at", sa.DateTime(timezone=True),
                                        nullable=True))
    op.drop_constraint(op.f("ck_invoices_status"), "invoices", type_="check")
    op.create_check_constraint(op.f("ck_invoices_status"), "invoices",
                               "status IN ('requested','issued','confirmed','rejected')")

    # One or several fapiao per invoice; the numbers issued so far become fapiao 1.
    op.create_table(
        "invoice_fapiao",
        sa.Column("invoice_id", sa.UUID(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("invoice_number", sa.String(length=50), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_invoice_fapiao_amount_positive")),
        sa.ForeignKeyConstraint(["invoice_id"], ["invoices.id"],
                                name=op.f("fk_invoice_fapiao_invoice_id_invoices")),
        sa.PrimaryKeyConstraint("invoice_id", "position", name=op.f("pk_invoice_fapiao")),
        sa.UniqueConstraint("invoice_number", name=op.f("uq_invoice_fapiao_invoice_number")),
    )
    op.execute("INSERT INTO invoice_fapiao (invoice_id, position, invoice_number, amount) "
               "SELECT id, 1, invoice_number, amount FROM invoices "
               "WHERE invoice_number IS NOT NULL")
    op.drop_constraint(op.f("uq_invoices_invoice_number"), "invoices", type_="unique")
    op.drop_column("invoices", "invoice_number")


def downgrade() -> None:
    op.add_column("invoices", sa.Column("invoice_number", sa.String(length=50), nullable=True))
    op.execute("UPDATE invoices i SET invoice_number = f.invoice_number FROM invoice_fapiao f "
               "WHERE f.invoice_id = i.id AND f.position = 1")
    op.create_unique_constraint(op.f("uq_invoices_invoice_number"), "invoices",
                                ["invoice_number"])
    op.drop_table("invoice_fapiao")

    # A rejected request's orders are free (inactive): it goes back as a request whose
    # orders no longer count, which the old schema cannot tell apart; drop them instead.
    op.execute("DELETE FROM invoice_orders WHERE invoice_id IN "
               "(SELECT id FROM invoices WHERE status = 'rejected')")
    op.execute("DELETE FROM invoices WHERE status = 'rejected'")
    op.drop_constraint(op.f("ck_invoices_status"), "invoices", type_="check")
    op.create_check_constraint(op.f("ck_invoices_status"), "invoices",
                               "status IN ('requested','issued','confirmed')")
    for column in ("rejected_at", "rejected_by", "rejection_reason", "requested_at",
                   "mail_to", "address_phone", "bank_account", "bank"):
        op.drop_column("invoices", column)
    op.drop_constraint(op.f("ck_invoices_invoice_type"), "invoices", type_="check")
    op.drop_column("invoices", "invoice_type")

    op.drop_column("invoice_orders", "refund_amount")
    op.drop_constraint(op.f("ck_invoiceable_orders_refund_amount_non_negative"),
                       "invoiceable_orders", type_="check")
    op.drop_column("invoiceable_orders", "refund_amount")
    op.drop_index(op.f("ix_order_refunds_order_id"), table_name="order_refunds")
    op.drop_table("order_refunds")
    op.drop_index(op.f("ix_customers_area"), table_name="customers")
    op.drop_table("customers")
