"""Points redemption (P-2): accounts with a never-negative `available`, the redemptions of
the saga, the points an order paid with, and the scheduler tables for the reservation
timeout (points/tasks.py).

Revision ID: 5e3f7a9b1c42
Revises: 4d2e6f8a0b31
"""

import sqlalchemy as sa
from alembic import op
from servicekit.scheduler import create_scheduler_tables, drop_scheduler_tables
from sqlalchemy.dialects.postgresql import UUID

revision = "5e3f7a9b1c42"
down_revision = "4d2e6f8a0b31"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "points_accounts",
        sa.Column("customer_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("available", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("owed", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.CheckConstraint("available >= 0", name=op.f("ck_points_accounts_available_non_negative")),
        sa.CheckConstraint("owed >= 0", name=op.f("ck_points_accounts_owed_non_negative")),
    )
    # Every customer's account from its ledger so far.
    op.execute("""
        INSERT INTO points_accounts (customer_id, available, owed)
        SELECT customer_id,
               GREATEST(SUM(effective_delta - reserved_delta - redeemed_delta), 0),
               GREATEST(-SUM(effective_delta - reserved_delta - redeemed_delta), 0)
        FROM points_movements GROUP BY customer_id
    """)
    op.create_table(
        "points_redemptions",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
        sa.Column("order_id", UUID(as_uuid=True), nullable=False),
        sa.Column("order_number", sa.String(30)),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reason", sa.String(30)),
        sa.Column("expires_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.CheckConstraint("points > 0", name=op.f("ck_points_redemptions_points_positive")),
        sa.CheckConstraint(
            "status IN ('reserved','held','redeemed','released','refused')",
            name=op.f("ck_points_redemptions_status")),
        sa.UniqueConstraint("order_id", name=op.f("uq_points_redemptions_order_id")),
    )
    op.create_index(op.f("ix_points_redemptions_customer_id"), "points_redemptions",
                    ["customer_id"])
    op.create_index("ix_points_redemptions_expiring", "points_redemptions", ["expires_at"],
                    postgresql_where=sa.text("status = 'reserved'"))
    op.add_column("points_entries", sa.Column("points_used", sa.Integer(), nullable=False,
                                              server_default="0"))
    create_scheduler_tables(op.get_bind())


def downgrade() -> None:
    drop_scheduler_tables(op.get_bind())
    op.drop_column("points_entries", "points_used")
    op.drop_index("ix_points_redemptions_expiring", table_name="points_redemptions")
    op.drop_index(op.f("ix_points_redemptions_customer_id"), table_name="points_redemptions")
    op.drop_table("points_redemptions")
    op.drop_table("points_accounts")
