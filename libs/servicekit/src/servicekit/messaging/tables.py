"""The outbox and inbox tables that every service database has."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Identity,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID

NOTIFY_CHANNEL = "dinghuo_outbox"


def define_messaging_tables(metadata: MetaData) -> tuple[Table, Table]:
    """Add `outbox` and `inbox` to a service's metadata (idempotent)."""
    if "outbox" in metadata.tables:
        return metadata.tables["outbox"], metadata.tables["inbox"]
    outbox = Table(
        "outbox",
        metadata,
        Column("seq", BigInteger, Identity(always=True), primary_key=True),
        Column("event_id", UUID(as_uuid=True), nullable=False, unique=True),
        Column("event_type", String(120), nullable=False),
        Column("envelope", JSONB, nullable=False),
        Column("headers", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("sent_at", DateTime(timezone=True)),
        Column("attempts", Integer, nullable=False, server_default=text("0")),
        Column("next_attempt_at", DateTime(timezone=True), nullable=False,
               server_default=func.now()),
        Column("last_error", Text),
        Index("ix_outbox_pending", "seq", postgresql_where=text("sent_at IS NULL")),
    )
    inbox = Table(
        "inbox",
        metadata,
        Column("consumer", String(120), nullable=False),
        Column("event_id", UUID(as_uuid=True), nullable=False),
        Column("event_type", String(120), nullable=False),
        Column("processed_at", DateTime(timezone=True), nullable=False,
               server_default=func.now()),
        PrimaryKeyConstraint("consumer", "event_id", name="pk_inbox"),
    )
    return outbox, inbox
