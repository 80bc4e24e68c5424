"""monthly statements: the customer's acknowledgements (B-1)

A statement is computed from the ledger whenever it is read (orders, cancellations,
returns, payments, reversals, refunds by business date); what is stored is the customer's
acknowledgement of one month: confirmed, or disputed with a note until staff answer it
(open again), with the opening and closing balances acknowledged, so that a late entry
shows as a change. `statement_events` keeps every step (append-only: a trigger refuses
updates and deletes).

Revision ID: d5e7f9a1c404
Revises: c3d5e7f9b202
Create Date: 2026-12-03 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "d5e7f9a1c404"
down_revision = "c3d5e7f9b202"
branch_labels = None
depends_on = None

MONEY = sa.Numeric(precision=14, scale=2)

APPEND_ONLY = [
    """
    CREATE FUNCTION statement_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'the statement history is append-only'
        USING ERRCODE = 'restrict_violation';
    END $$
    """,
    """
    CREATE TRIGGER statement_events_append_only BEFORE UPDATE OR DELETE ON statement_events
      FOR EACH ROW EXECUTE FUNCTION statement_events_append_only()
    """,
]


def upgrade() -> None:
    op.create_table(
        "statement_acknowledgements",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("opening_balance", MONEY, nullable=False),
        sa.Column("closing_balance", MONEY, nullable=False),
        sa.Column("confirmed_by", sa.String(length=100), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("dispute_note", sa.Text(), nullable=True),
        sa.Column("disputed_by", sa.String(length=100), nullable=True),
        sa.Column("disputed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolution_note", sa.Text(), nullable=True),
        sa.Column("resolved_by", sa.String(length=100), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.CheckConstraint("status IN ('open','confirmed','disputed')",
                           name=op.f("ck_statement_acknowledgements_status")),
        sa.CheckConstraint("extract(day from month) = 1",
                           name=op.f("ck_statement_acknowledgements_month_first_day")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statement_acknowledgements")),
        sa.UniqueConstraint("customer_id", "month",
                            name=op.f("uq_statement_acknowledgements_customer_id")),
    )
    op.create_index(op.f("ix_statement_acknowledgements_customer_id"),
                    "statement_acknowledgements", ["customer_id"])
    op.create_index("ix_statement_acknowledgements_status_month",
                    "statement_acknowledgements", ["status", "month"])
    op.create_table(
        "statement_events",
        sa.Column("seq", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("acknowledgement_id", sa.UUID(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("actor_kind", sa.String(length=10), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("opening_balance", MONEY, nullable=False),
        sa.Column("closing_balance", MONEY, nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.ForeignKeyConstraint(
            ["acknowledgement_id"], ["statement_acknowledgements.id"],
            name=op.f("fk_statement_events_acknowledgement_id_statement_acknowledgements")),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_statement_events")),
    )
    op.create_index(op.f("ix_statement_events_acknowledgement_id"), "statement_events",
                    ["acknowledgement_id"])
    for sql in APPEND_ONLY:
        op.execute(sql)


def downgrade() -> None:
    op.execute("DROP TRIGGER statement_events_append_only ON statement_events")
    op.execute("DROP FUNCTION statement_events_append_only()")
    op.drop_index(op.f("ix_statement_events_acknowledgement_id"),
                  table_name="statement_events")
    op.drop_table("statement_events")
    op.drop_index("ix_statement_acknowledgements_status_month",
                  table_name="statement_acknowledgements")
    op.drop_index(op.f("ix_statement_acknowledgements_customer_id"),
                  table_name="statement_acknowledgements")
    op.drop_table("statement_acknowledgements")
