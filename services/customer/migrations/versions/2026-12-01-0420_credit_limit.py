"""credit limit (B-3)

Each customer's credit limit: the most it may owe on its orders that are not rejected or
cancelled. NULL (every existing customer) means no limit.

Revision ID: 7a1c3e5b9d20
Revises: 65dbe2c4e29a
Create Date: 2026-12-01 04:20:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "7a1c3e5b9d20"
down_revision = "65dbe2c4e29a"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("customers", sa.Column("credit_limit", sa.Numeric(14, 2), nullable=True))
    # Added by hand: autogenerate does not compare check constraints.
    op.create_check_constraint(op.f("ck_customers_credit_limit"), "customers",
                               "credit_limit IS NULL OR credit_limit >= 0")


def downgrade() -> None:
    op.drop_constraint(op.f("ck_customers_credit_limit"), "customers", type_="check")
    op.drop_column("customers", "credit_limit")
