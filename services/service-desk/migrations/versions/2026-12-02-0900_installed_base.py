"""The installed base (S-2): machines with their derived warranty date, and the machine a
service request concerns.

Revision ID: 8c2d4e6f0a13
Revises: b46a41a158a4
"""

import sqlalchemy as sa
from alembic import op

revision = "8c2d4e6f0a13"
down_revision = "b46a41a158a4"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "machines",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("purchase_date", sa.Date(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("model", sa.String(length=100), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("machine_number", sa.String(length=100), nullable=True),
        sa.Column("collection_status", sa.String(length=20), nullable=False),
        sa.Column("warranty_months", sa.Integer(), nullable=False),
        sa.Column("warranty_until", sa.Date(), nullable=True),
        sa.Column("consumable_payment_method", sa.String(length=20), nullable=True),
        sa.Column("salesperson", sa.String(length=50), nullable=True),
        sa.Column("installation_engineer", sa.String(length=50), nullable=True),
        sa.Column("integrity", sa.String(length=200), nullable=True),
        sa.Column("remark", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.CheckConstraint("quantity >= 1", name=op.f("ck_machines_quantity_positive")),
        sa.CheckConstraint("warranty_months >= 0 AND warranty_months <= 120",
                           name=op.f("ck_machines_warranty_months_range")),
        sa.CheckConstraint("collection_status IN ('paid','partial','unpaid')",
                           name=op.f("ck_machines_collection_status")),
        sa.CheckConstraint(
            "consumable_payment_method IS NULL OR consumable_payment_method IN "
            "('prepaid','on_delivery','monthly','other')",
            name=op.f("ck_machines_consumable_payment_method")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_machines")),
    )
    op.create_index(op.f("ix_machines_customer_id"), "machines", ["customer_id"])
    op.create_index("uq_machines_machine_number", "machines", ["machine_number"], unique=True,
                    postgresql_where=sa.text("machine_number IS NOT NULL"))
    op.add_column("service_requests", sa.Column("machine_id", sa.UUID(), nullable=True))
    op.create_foreign_key(op.f("fk_service_requests_machine_id_machines"),
                          "service_requests", "machines", ["machine_id"], ["id"])
    op.create_index(op.f("ix_service_requests_machine_id"), "service_requests",
                    ["machine_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_service_requests_machine_id"), table_name="service_requests")
    op.drop_constraint(op.f("fk_service_requests_machine_id_machines"), "service_requests",
                       type_="foreignkey")
    op.drop_column("service_requests", "machine_id")
    op.drop_index("uq_machines_machine_number", table_name="machines")
    op.drop_index(op.f("ix_machines_customer_id"), table_name="machines")
    op.drop_table("machines")
