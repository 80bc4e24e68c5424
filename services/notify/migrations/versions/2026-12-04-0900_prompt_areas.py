"""staff prompts by area (C-7): the customer a prompt is about and that customer's area

Staff bound to areas see only the prompts of their areas. Existing prompts learn their
customer from their data (`customer_id`) and its area from the customer read model, else
from their data (`area`: customer registrations, statements); a prompt whose customer is
not in the read model keeps no area (staff without an area limit still see it).

Revision ID: 5c7e2a9b1d40
Revises: 9a1f3c0d7e21
Create Date: 2026-12-04 09:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "5c7e2a9b1d40"
down_revision = "9a1f3c0d7e21"
branch_labels = None
depends_on = None

UUID_PATTERN = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"


def upgrade() -> None:
    op.add_column("staff_prompts", sa.Column("customer_id", sa.UUID(), nullable=True))
    op.add_column("staff_prompts", sa.Column("area", sa.String(length=100), nullable=True))
    op.execute(sa.text(
        "UPDATE staff_prompts SET customer_id = (data->>'customer_id')::uuid "
        "WHERE data->>'customer_id' ~ :pattern").bindparams(pattern=UUID_PATTERN))
    op.execute(
        "UPDATE staff_prompts p SET area = COALESCE("
        " (SELECT v.area FROM customer_view v WHERE v.customer_id = p.customer_id),"
        " NULLIF(p.data->>'area', ''))"
        " WHERE p.customer_id IS NOT NULL OR NULLIF(p.data->>'area', '') IS NOT NULL")
    op.create_index(op.f("ix_staff_prompts_customer_id"), "staff_prompts", ["customer_id"])
    op.create_index(op.f("ix_staff_prompts_area"), "staff_prompts", ["area"])


def downgrade() -> None:
    op.drop_index(op.f("ix_staff_prompts_area"), table_name="staff_prompts")
    op.drop_index(op.f("ix_staff_prompts_customer_id"), table_name="staff_prompts")
    op.drop_column("staff_prompts", "area")
    op.drop_column("staff_prompts", "customer_id")
