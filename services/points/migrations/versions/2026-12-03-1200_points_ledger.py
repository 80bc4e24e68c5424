"""points ledger: movements, rule versions, event months, description, read models

Every existing order entry becomes its movements (earned; made effective; reversed when
cancelled), all under rule version 1 (20 yuan = 1 point, 100 to redeem), which this
migration records as always in force.

Revision ID: 3c1d5e7f9a20
Revises: fb6e823722b7
Create Date: 2026-12-03 12:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "3c1d5e7f9a20"
down_revision = "fb6e823722b7"
branch_labels = None
depends_on = None

KINDS = ("earned", "effective", "reversed", "adjusted", "reserved", "redeemed", "released")


def upgrade() -> None:
    op.add_column("points_entries", sa.Column("earning_amount", sa.Numeric(14, 2)))
    op.add_column("points_entries", sa.Column("returned_amount", sa.Numeric(14, 2),
                                              server_default="0", nullable=False))
    op.add_column("points_entries", sa.Column("placed_on", sa.Date()))
    op.execute("UPDATE points_entries SET earning_amount = order_total, "
               "placed_on = (created_at AT TIME ZONE 'Asia/Shanghai')::date")

    op.create_table(
        "points_movements",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("pending_delta", sa.Integer(), server_default="0", nullable=False),
        sa.Column("effective_delta", sa.Integer(), server_default="0", nullable=False),
        sa.Column("reserved_delta", sa.Integer(), server_default="0", nullable=False),
        sa.Column("redeemed_delta", sa.Integer(), server_default="0", nullable=False),
        sa.Column("order_id", sa.UUID(), nullable=True),
        sa.Column("order_number", sa.String(30), nullable=True),
        sa.Column("reference", sa.String(60), nullable=True),
        sa.Column("rule_version", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("actor", sa.String(120), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.CheckConstraint("kind IN (" + ",".join(f"'{k}'" for k in KINDS) + ")",
                           name=op.f("ck_points_movements_kind")),
        sa.CheckConstraint("kind <> 'adjusted' OR (reason IS NOT NULL AND actor IS NOT NULL)",
                           name=op.f("ck_points_movements_adjustment_has_reason")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_points_movements")),
    )
    for col in ("customer_id", "order_id", "created_at"):
        op.create_index(op.f(f"ix_points_movements_{col}"), "points_movements", [col])

    op.create_table(
        "rule_versions",
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("yuan_per_point", sa.Numeric(14, 2), nullable=False),
        sa.Column("redeem_threshold", sa.Integer(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("announced_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.Column("announced_by", sa.String(120), nullable=False),
        sa.CheckConstraint("yuan_per_point > 0",
                           name=op.f("ck_rule_versions_yuan_per_point_positive")),
        sa.CheckConstraint("redeem_threshold >= 0",
                           name=op.f("ck_rule_versions_threshold_non_negative")),
        sa.PrimaryKeyConstraint("version", name=op.f("pk_rule_versions")),
        sa.UniqueConstraint("effective_from", name=op.f("uq_rule_versions_effective_from")),
    )
    op.execute("INSERT INTO rule_versions (version, yuan_per_point, redeem_threshold, "
               "effective_from, announced_by) VALUES (1, 20, 100, DATE '2000-01-01', "
               "'system')")
    op.create_table(
        "event_months",
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("announced_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.Column("announced_by", sa.String(120), nullable=False),
        sa.PrimaryKeyConstraint("month", name=op.f("pk_event_months")),
    )
    op.create_table(
        "points_description",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.Column("updated_by", sa.String(120), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_points_description")),
    )
    op.create_table(
        "customer_view",
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("customer_number", sa.String(30), nullable=True),
        sa.Column("company_name", sa.String(200), nullable=False),
        sa.Column("area", sa.String(60), nullable=True),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_customer_view")),
    )
    op.create_table(
        "product_categories",
        sa.Column("product_id", sa.UUID(), nullable=False),
        sa.Column("category", sa.String(20), nullable=False),
        sa.PrimaryKeyConstraint("product_id", name=op.f("pk_product_categories")),
    )

    # The existing entries as movements.
    op.execute("""
        INSERT INTO points_movements (id, customer_id, kind, points, pending_delta,
            order_id, order_number, rule_version, created_at)
        SELECT gen_random_uuid(), customer_id, 'earned', points, points, order_id,
               order_number, rule_version, created_at
        FROM points_entries WHERE points > 0""")
    op.execute("""
        INSERT INTO points_movements (id, customer_id, kind, points, pending_delta,
            effective_delta, order_id, order_number, rule_version, created_at)
        SELECT gen_random_uuid(), customer_id, 'effective', points, -points, points,
               order_id, order_number, rule_version, COALESCE(effective_at, updated_at)
        FROM points_entries WHERE points > 0 AND status = 'effective'""")
    op.execute("""
        INSERT INTO points_movements (id, customer_id, kind, points, pending_delta,
            order_id, order_number, rule_version, created_at)
        SELECT gen_random_uuid(), customer_id, 'reversed', -points, -points, order_id,
               order_number, rule_version, COALESCE(cancelled_at, updated_at)
        FROM points_entries WHERE points > 0 AND status = 'cancelled'""")
    # A cancelled entry now holds what is left (nothing).
    op.execute("UPDATE points_entries SET points = 0 WHERE status = 'cancelled'")


def downgrade() -> None:
    op.drop_table("product_categories")
    op.drop_table("customer_view")
    op.drop_table("points_description")
    op.drop_table("event_months")
    op.drop_table("rule_versions")
    for col in ("created_at", "order_id", "customer_id"):
        op.drop_index(op.f(f"ix_points_movements_{col}"), table_name="points_movements")
    op.drop_table("points_movements")
    op.drop_column("points_entries", "placed_on")
    op.drop_column("points_entries", "returned_amount")
    op.drop_column("points_entries", "earning_amount")
