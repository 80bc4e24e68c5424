"""grades, ordering cycles, supplier contacts, audit log

Customer fields for C-1 (area code), C-4 (grade source) and C-6 (ordering cycle, last
order date); the product master's last change; the supplier's contacts per area (N-4)
and the audit log of changes to customer data and prices (X-3).

Revision ID: 3cc4323679bc
Revises: 39770b83d550
Create Date: 2026-11-23 19:06:07.899226
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "3cc4323679bc"
down_revision = "39770b83d550"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("actor_kind", sa.String(length=10), nullable=False),
        sa.Column("entity", sa.String(length=20), nullable=False),
        sa.Column("entity_id", sa.String(length=80), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("before", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("after", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.CheckConstraint("actor_kind IN ('customer','staff','system')",
                           name=op.f("ck_audit_log_actor_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index("ix_audit_log_customer_id_at", "audit_log", ["customer_id", "at"],
                    unique=False)
    op.create_index("ix_audit_log_entity", "audit_log", ["entity", "entity_id"], unique=False)
    op.create_table(
        "supplier_contacts",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("area", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("qq", sa.String(length=20), nullable=True),
        sa.Column("role", sa.String(length=50), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplier_contacts")),
    )
    op.create_index(op.f("ix_supplier_contacts_area"), "supplier_contacts", ["area"],
                    unique=False)
    op.add_column("customers", sa.Column("area_code", sa.String(length=10), nullable=True))
    op.add_column("customers", sa.Column("grade_source", sa.String(length=10),
                                         server_default="auto", nullable=False))
    op.add_column("customers", sa.Column("cycle_kind", sa.String(length=10), nullable=True))
    op.add_column("customers", sa.Column("cycle_days", sa.Integer(), nullable=True))
    op.add_column("customers", sa.Column("cycle_weekday", sa.Integer(), nullable=True))
    op.add_column("customers", sa.Column("last_order_date", sa.Date(), nullable=True))
    # Added by hand: autogenerate does not compare check constraints.
    op.create_check_constraint(op.f("ck_customers_grade"), "customers",
                               "grade IN ('normal','small','large')")
    op.create_check_constraint(op.f("ck_customers_grade_source"), "customers",
                               "grade_source IN ('auto','staff')")
    op.create_check_constraint(
        op.f("ck_customers_ordering_cycle"), "customers",
        "(cycle_kind IS NULL AND cycle_days IS NULL AND cycle_weekday IS NULL)"
        " OR (cycle_kind = 'days' AND cycle_days BETWEEN 1 AND 365"
        " AND cycle_weekday IS NULL)"
        " OR (cycle_kind = 'weekday' AND cycle_weekday BETWEEN 1 AND 7"
        " AND cycle_days IS NULL)")
    op.add_column("products", sa.Column("updated_by", sa.String(length=100), nullable=True))
    op.add_column("products", sa.Column("updated_at", sa.DateTime(timezone=True),
                                        nullable=True))


def downgrade() -> None:
    op.drop_column("products", "updated_at")
    op.drop_column("products", "updated_by")
    op.drop_constraint(op.f("ck_customers_ordering_cycle"), "customers", type_="check")
    op.drop_constraint(op.f("ck_customers_grade_source"), "customers", type_="check")
    op.drop_constraint(op.f("ck_customers_grade"), "customers", type_="check")
    op.drop_column("customers", "last_order_date")
    op.drop_column("customers", "cycle_weekday")
    op.drop_column("customers", "cycle_days")
    op.drop_column("customers", "cycle_kind")
    op.drop_column("customers", "grade_source")
    op.drop_column("customers", "area_code")
    op.drop_index(op.f("ix_supplier_contacts_area"), table_name="supplier_contacts")
    op.drop_table("supplier_contacts")
    op.drop_index("ix_audit_log_entity", table_name="audit_log")
    op.drop_index("ix_audit_log_customer_id_at", table_name="audit_log")
    op.drop_table("audit_log")
