"""Fault reports (S-1): photos and the fuller status machine (open, in_progress,
waiting_for_customer, resolved, closed).

Revision ID: 9d3e5f7a1b24
Revises: 8c2d4e6f0a13
"""

import sqlalchemy as sa
from alembic import op

revision = "9d3e5f7a1b24"
down_revision = "8c2d4e6f0a13"
branch_labels = None
depends_on = None

STATUSES = "'open','in_progress','waiting_for_customer','resolved','closed'"
OLD_STATUSES = "'open','in_progress','resolved'"


def upgrade() -> None:
    op.drop_constraint(op.f("ck_service_requests_status"), "service_requests", type_="check")
    op.create_check_constraint(op.f("ck_service_requests_status"), "service_requests",
                               f"status IN ({STATUSES})")
    op.add_column("service_requests",
                  sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "service_photos",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("request_id", sa.UUID(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=120), nullable=False),
        sa.Column("content_type", sa.String(length=20), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("storage_key", sa.String(length=200), nullable=False),
        sa.Column("uploaded_by_kind", sa.String(length=10), nullable=False),
        sa.Column("uploaded_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.CheckConstraint("content_type IN ('image/jpeg','image/png','image/webp')",
                           name=op.f("ck_service_photos_content_type")),
        sa.CheckConstraint("size > 0", name=op.f("ck_service_photos_size_positive")),
        sa.CheckConstraint("uploaded_by_kind IN ('customer','staff')",
                           name=op.f("ck_service_photos_uploaded_by_kind")),
        sa.ForeignKeyConstraint(["request_id"], ["service_requests.id"],
                                name=op.f("fk_service_photos_request_id_service_requests")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_photos")),
        sa.UniqueConstraint("request_id", "position", name="uq_service_photos_position"),
        sa.UniqueConstraint("storage_key", name=op.f("uq_service_photos_storage_key")),
    )
    op.create_index(op.f("ix_service_photos_request_id"), "service_photos", ["request_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_service_photos_request_id"), table_name="service_photos")
    op.drop_table("service_photos")
    op.drop_column("service_requests", "closed_at")
    # The old status set has no place for the new statuses: back to the nearest old one.
    op.execute("UPDATE service_requests SET status = 'in_progress' "
               "WHERE status = 'waiting_for_customer'")
    op.execute("UPDATE service_requests SET status = 'resolved' WHERE status = 'closed'")
    op.drop_constraint(op.f("ck_service_requests_status"), "service_requests", type_="check")
    op.create_check_constraint(op.f("ck_service_requests_status"), "service_requests",
                               f"status IN ({OLD_STATUSES})")
