"""payment terms

Each customer's payment terms in days (O-6): an approved order is due that many days
after its approval, 0 meaning on the day of approval. Existing customers get the default
of 30 days (CUSTOMER_DEFAULT_PAYMENT_TERMS_DAYS); afterwards the service sets it on every
registration, so the column keeps no database default.

Revision ID: 65dbe2c4e29a
Revises: 3cc4323679bc
Create Date: 2026-12-01 01:02:34.067808
"""

import sqlalchemy as sa
from alembic import op

revision = "65dbe2c4e29a"
down_revision = "3cc4323679bc"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("customers", sa.Column("payment_terms_days", sa.Integer(),
                                         server_default="30", nullable=False))
    op.alter_column("customers", "payment_terms_days", server_default=None)
    # Added by hand: autogenerate does not compare check constraints.
    op.create_check_constraint(op.f("ck_customers_payment_terms_days"), "customers",
                               "payment_terms_days BETWEEN 0 AND 365")


def downgrade() -> None:
    op.drop_constraint(op.f("ck_customers_payment_terms_days"), "customers", type_="check")
    op.drop_column("customers", "payment_terms_days")
