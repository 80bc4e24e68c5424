"""delivery log, staff message batches and the customer read model for them (N-1, N-2)

Deliveries become one row per message and channel with attempts, the last error and the
next retry; batches record what staff sent to whom; the customer read model learns how to
reach a customer and what to select it by; overdue orders are tracked for the `overdue`
filter; the scheduler's tables serve the retry job (deliveries/tasks.py).

Revision ID: 9a1f3c0d7e21
Revises: 624ab67df2d3
Create Date: 2026-12-01 03:00:00
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql
from servicekit.scheduler import create_scheduler_tables, drop_scheduler_tables

revision = "9a1f3c0d7e21"
down_revision = "624ab67df2d3"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_scheduler_tables(op.get_bind())
    for col in [
        sa.Column("status", sa.String(length=20), nullable=True),
        sa.Column("grade", sa.String(length=20), nullable=True),
        sa.Column("mobile", sa.String(length=20), nullable=True),
        sa.Column("wechat_openid", sa.String(length=64), nullable=True),
        sa.Column("sms_enabled", sa.Boolean(), server_default="true", nullable=False),
        sa.Column("wechat_enabled", sa.Boolean(), server_default="true", nullable=False),
        sa.Column("cycle_due_on", sa.Date(), nullable=True),
    ]:
        op.add_column("customer_view", col)
    op.create_index(op.f("ix_customer_view_area"), "customer_view", ["area"])
    op.create_index(op.f("ix_customer_view_grade"), "customer_view", ["grade"])

    op.create_table(
        "overdue_orders",
        sa.Column("order_id", sa.UUID(), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_overdue_orders")),
    )
    op.create_index(op.f("ix_overdue_orders_customer_id"), "overdue_orders", ["customer_id"])

    op.create_table(
        "message_batches",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("channels", postgresql.ARRAY(sa.String(length=10)), nullable=False),
        sa.Column("selection", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.CheckConstraint("char_length(title) BETWEEN 1 AND 100",
                           name=op.f("ck_message_batches_title_length")),
        sa.CheckConstraint("char_length(body) BETWEEN 1 AND 2000",
                           name=op.f("ck_message_batches_body_length")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_batches")),
    )
    op.create_index(op.f("ix_message_batches_created_at"), "message_batches", ["created_at"])

    op.add_column("customer_messages", sa.Column("batch_id", sa.UUID(), nullable=True))
    op.create_foreign_key(op.f("fk_customer_messages_batch_id_message_batches"),
                          "customer_messages", "message_batches", ["batch_id"], ["id"],
                          ondelete="SET NULL")
    op.create_index(op.f("ix_customer_messages_batch_id"), "customer_messages", ["batch_id"])

    op.drop_constraint("uq_deliveries_source_event_id", "deliveries", type_="unique")
    op.create_unique_constraint("uq_deliveries_source_channel", "deliveries",
                                ["source_event_id", "channel"])
    # the old statuses: requested, no_recipient
    for col in [
        sa.Column("message_id", sa.UUID(), nullable=True),
        sa.Column("batch_id", sa.UUID(), nullable=True),
        sa.Column("params", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("text", sa.Text(), server_default="", nullable=False),
        sa.Column("text_en", sa.Text(), server_default="", nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="1", nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("provider", sa.String(length=40), nullable=True),
        sa.Column("provider_message_id", sa.String(length=100), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
    ]:
        op.add_column("deliveries", col)
    op.create_foreign_key(op.f("fk_deliveries_message_id_customer_messages"), "deliveries",
                          "customer_messages", ["message_id"], ["id"], ondelete="SET NULL")
    op.create_foreign_key(op.f("fk_deliveries_batch_id_message_batches"), "deliveries",
                          "message_batches", ["batch_id"], ["id"], ondelete="SET NULL")
    op.create_check_constraint(
        op.f("ck_deliveries_status"), "deliveries",
        "status IN ('requested','delivered','retrying','failed','no_recipient')")
    op.create_index(op.f("ix_deliveries_batch_id"), "deliveries", ["batch_id"])
    op.create_index(op.f("ix_deliveries_status"), "deliveries", ["status"])
    op.create_index(op.f("ix_deliveries_created_at"), "deliveries", ["created_at"])
    op.create_index("ix_deliveries_retry", "deliveries", ["next_attempt_at"],
                    postgresql_where=sa.text("status = 'retrying'"))


def downgrade() -> None:
    op.drop_index("ix_deliveries_retry", table_name="deliveries")
    op.drop_index(op.f("ix_deliveries_created_at"), table_name="deliveries")
    op.drop_index(op.f("ix_deliveries_status"), table_name="deliveries")
    op.drop_index(op.f("ix_deliveries_batch_id"), table_name="deliveries")
    op.drop_constraint(op.f("ck_deliveries_status"), "deliveries", type_="check")
    op.drop_constraint(op.f("fk_deliveries_batch_id_message_batches"), "deliveries",
                       type_="foreignkey")
    op.drop_constraint(op.f("fk_deliveries_message_id_customer_messages"), "deliveries",
                       type_="foreignkey")
    for name in ("updated_at", "delivered_at", "provider_message_id", "provider",
                 "next_attempt_at", "last_error", "attempts", "text_en", "text", "params",
                 "batch_id", "message_id"):
        op.drop_column("deliveries", name)
    op.drop_constraint("uq_deliveries_source_channel", "deliveries", type_="unique")
    op.create_unique_constraint("uq_deliveries_source_event_id", "deliveries",
                                ["source_event_id"])
    op.drop_index(op.f("ix_customer_messages_batch_id"), table_name="customer_messages")
    op.drop_constraint(op.f("fk_customer_messages_batch_id_message_batches"),
                       "customer_messages", type_="foreignkey")
    op.drop_column("customer_messages", "batch_id")
    op.drop_index(op.f("ix_message_batches_created_at"), table_name="message_batches")
    op.drop_table("message_batches")
    op.drop_index(op.f("ix_overdue_orders_customer_id"), table_name="overdue_orders")
    op.drop_table("overdue_orders")
    op.drop_index(op.f("ix_customer_view_grade"), table_name="customer_view")
    op.drop_index(op.f("ix_customer_view_area"), table_name="customer_view")
    for name in ("cycle_due_on", "wechat_enabled", "sms_enabled", "wechat_openid", "mobile",
                 "grade", "status"):
        op.drop_column("customer_view", name)
    drop_scheduler_tables(op.get_bind())
