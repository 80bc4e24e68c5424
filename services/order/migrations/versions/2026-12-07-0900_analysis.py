"""summary and analysis (A-1, A-3, B-6, X-4)

The customer read model gets the grade and the installed machines (filters and sorts of
the order query); staff's follow-ups of customers that missed their ordering cycle; the
daily count of such customers per area (anomalies over time).

Revision ID: f7a9b1c3d626
Revises: e6f8a0b2c515
Create Date: 2026-12-07 09:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "f7a9b1c3d626"
down_revision = "e6f8a0b2c515"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("customer_view", sa.Column("grade", sa.String(10), nullable=False,
                                             server_default="normal"))
    op.add_column("customer_view", sa.Column("machine_count", sa.Integer(), nullable=False,
                                             server_default="0"))
    op.add_column("customer_view", sa.Column("machines_as_of",
                                             sa.DateTime(timezone=True)))
    op.add_column("customer_view", sa.Column("cycle_since", sa.Date()))
    # customers with a cycle but no date yet: measured from the migration on
    op.execute("UPDATE customer_view SET cycle_since = CURRENT_DATE "
               "WHERE cycle_kind IS NOT NULL")
    op.create_table(
        "anomaly_follow_ups",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
        sa.Column("due_date", sa.Date()),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("note", sa.Text()),
        sa.Column("recorded_by", sa.String(100), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.CheckConstraint("status IN ('contacted','will_order','lost','resolved')",
                           name=op.f("ck_anomaly_follow_ups_status")),
    )
    op.create_index("ix_anomaly_follow_ups_customer", "anomaly_follow_ups",
                    ["customer_id", "recorded_at"])
    op.create_table(
        "anomaly_snapshots",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("area", sa.String(100), primary_key=True),
        sa.Column("customers", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("anomaly_snapshots")
    op.drop_index("ix_anomaly_follow_ups_customer", table_name="anomaly_follow_ups")
    op.drop_table("anomaly_follow_ups")
    op.drop_column("customer_view", "cycle_since")
    op.drop_column("customer_view", "machines_as_of")
    op.drop_column("customer_view", "machine_count")
    op.drop_column("customer_view", "grade")
