"""Maintenance records (S-3..S-8): preset categories, repairs and return visits with their
flags and "repair processing" entries, and the part of a repair charge paid with points.

Revision ID: 0e4f6a8b2c35
Revises: 9d3e5f7a1b24
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0e4f6a8b2c35"
down_revision = "9d3e5f7a1b24"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "maintenance_categories",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.CheckConstraint("kind IN ('fault','visit')", name=op.f("ck_maintenance_categories_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_maintenance_categories")),
        sa.UniqueConstraint("kind", "name", name="uq_maintenance_categories_kind_name"),
    )
    op.create_table(
        "maintenance_records",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("machine_id", sa.UUID(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("category_id", sa.UUID(), nullable=True),
        sa.Column("service_date", sa.Date(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("engineer", sa.String(length=50), nullable=True),
        sa.Column("accessories", JSONB(), server_default="[]", nullable=False),
        sa.Column("charge", sa.Numeric(12, 2), server_default="0", nullable=False),
        sa.Column("payment_status", sa.String(length=10), nullable=False),
        sa.Column("return_to_factory", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("factory_return_method", sa.String(length=100), nullable=True),
        sa.Column("key_matter", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("processed", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("suspended", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("suspended_reason", sa.Text(), nullable=True),
        sa.Column("suspended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("service_request_id", sa.UUID(), nullable=True),
        sa.Column("points_requested", sa.Integer(), server_default="0", nullable=False),
        sa.Column("points_used", sa.Integer(), server_default="0", nullable=False),
        sa.Column("points_status", sa.String(length=10), nullable=True),
        sa.Column("points_reason", sa.String(length=30), nullable=True),
        sa.Column("follows_record_id", sa.UUID(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.CheckConstraint("kind IN ('repair','return_visit')",
                           name=op.f("ck_maintenance_records_kind")),
        sa.CheckConstraint("payment_status IN ('free','unpaid','paid')",
                           name=op.f("ck_maintenance_records_payment_status")),
        sa.CheckConstraint("charge >= 0", name=op.f("ck_maintenance_records_charge_non_negative")),
        sa.CheckConstraint("NOT return_to_factory OR factory_return_method IS NOT NULL",
                           name=op.f("ck_maintenance_records_factory_return_method")),
        sa.CheckConstraint("NOT (suspended AND processed)",
                           name=op.f("ck_maintenance_records_suspended_unprocessed")),
        sa.CheckConstraint("points_used >= 0 AND points_used <= charge",
                           name=op.f("ck_maintenance_records_points_used")),
        sa.CheckConstraint("points_status IS NULL OR points_status IN "
                           "('requested','redeemed','refused','releasing','released')",
                           name=op.f("ck_maintenance_records_points_status")),
        sa.ForeignKeyConstraint(["machine_id"], ["machines.id"],
                                name=op.f("fk_maintenance_records_machine_id_machines")),
        sa.ForeignKeyConstraint(
            ["category_id"], ["maintenance_categories.id"],
            name=op.f("fk_maintenance_records_category_id_maintenance_categories")),
        sa.ForeignKeyConstraint(
            ["service_request_id"], ["service_requests.id"],
            name=op.f("fk_maintenance_records_service_request_id_service_requests")),
        sa.ForeignKeyConstraint(
            ["follows_record_id"], ["maintenance_records.id"],
            name=op.f("fk_maintenance_records_follows_record_id_maintenance_records")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_maintenance_records")),
        sa.UniqueConstraint("follows_record_id",
                            name=op.f("uq_maintenance_records_follows_record_id")),
    )
    for column in ("customer_id", "machine_id", "category_id", "service_date", "engineer",
                   "service_request_id"):
        op.create_index(op.f(f"ix_maintenance_records_{column}"), "maintenance_records",
                        [column])
    op.create_index("ix_maintenance_records_open", "maintenance_records", ["customer_id"],
                    postgresql_where=sa.text("NOT processed AND NOT suspended"))
    op.create_table(
        "maintenance_entries",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("record_id", sa.UUID(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("engineer", sa.String(length=50), nullable=True),
        sa.Column("processed", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["maintenance_records.id"],
                                name=op.f("fk_maintenance_entries_record_id_maintenance_records")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_maintenance_entries")),
        sa.UniqueConstraint("record_id", "position", name="uq_maintenance_entries_position"),
    )
    op.create_index(op.f("ix_maintenance_entries_record_id"), "maintenance_entries",
                    ["record_id"])


def downgrade() -> None:
    op.drop_table("maintenance_entries")
    op.drop_index("ix_maintenance_records_open", table_name="maintenance_records")
    for column in ("customer_id", "machine_id", "category_id", "service_date", "engineer",
                   "service_request_id"):
        op.drop_index(op.f(f"ix_maintenance_records_{column}"), table_name="maintenance_records")
    op.drop_table("maintenance_records")
    op.drop_table("maintenance_categories")
