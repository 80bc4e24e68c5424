"""Identity and access: customer users (company administrator and buyers) and staff users
with argon2 password hashes, roles, and the security records (login failures, lockouts,
rate-limit counters, password-reset tokens, the audit log)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from servicekit.timeutil import utcnow
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from .db import Base


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("kind IN ('customer','staff')", name="kind"),
        CheckConstraint("kind = 'staff' OR customer_id IS NOT NULL", name="customer_has_company"),
        CheckConstraint("company_role IS NULL OR company_role IN ('admin','buyer')",
                        name="company_role"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True,
                                          default=uuid.uuid4)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(10))
    customer_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), index=True)
    # A customer company's users: its administrator (who registered it) and buyers.
    company_role: Mapped[str | None] = mapped_column(String(10))
    display_name: Mapped[str | None] = mapped_column(String(100))
    mobile: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(120))
    # A staff user's own permissions; its roles add theirs.
    permissions: Mapped[list[str]] = mapped_column(JSONB, default=list)
    # The areas a staff user is limited to; empty = all areas (C-7).
    areas: Mapped[list[str]] = mapped_column(JSONB, default=list)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Session tokens issued before this moment are no longer accepted (password changes).
    sessions_valid_after: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    query_password_hash: Mapped[str | None] = mapped_column(String(255))
    # The one session whose query password currently unlocks sensitive reports.
    sensitive_session: Mapped[str | None] = mapped_column(String(64))
    sensitive_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 onupdate=utcnow, server_default=func.now())
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Role(Base):
    """A named set of staff permissions (X-1)."""

    __tablename__ = "roles"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True,
                                          default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    description: Mapped[str | None] = mapped_column(String(200))
    permissions: Mapped[list[str]] = mapped_column(JSONB, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 onupdate=utcnow, server_default=func.now())


class UserRole(Base):
    __tablename__ = "user_roles"

    user_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("roles.id", ondelete="CASCADE"), primary_key=True,
        index=True)


class LoginFailure(Base):
    """A failed password check for a normalised username, known or not (X-3)."""

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_username_at", "username", "occurred_at"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    username: Mapped[str] = mapped_column(String(128))
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    address: Mapped[str | None] = mapped_column(String(64))


class LoginLock(Base):
    """A username locked after too many failures (X-3); known or not."""

    __tablename__ = "login_locks"

    username: Mapped[str] = mapped_column(String(128), primary_key=True)
    locked_until: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RateCounter(Base):
    """Requests of one client address to one guarded endpoint group in one fixed window."""

    __tablename__ = "rate_counters"

    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class PasswordResetToken(Base):
    """A one-time password-reset token; only its SHA-256 is kept (C-8)."""

    __tablename__ = "password_reset_tokens"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True,
                                          default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 server_default=func.now())


class AuditEvent(Base):
    """A security event: who did what to whom, when, from where, before and after."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_occurred_at", "occurred_at"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    type: Mapped[str] = mapped_column(String(40), index=True)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    actor_username: Mapped[str | None] = mapped_column(String(128), index=True)
    target_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    target_name: Mapped[str | None] = mapped_column(String(128), index=True)
    address: Mapped[str | None] = mapped_column(String(64))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONB)


class RevokedSession(Base):
    """A session ended before its token expires (logout). Kept until the token would have
    expired anyway; every gateway replica holds the live ones in memory (issue 8)."""

    __tablename__ = "revoked_sessions"

    session_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    revoked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 server_default=func.now())


class DeadLetter(Base):
    """A message taken from a consumer's dead-letter queue (B-7): where it died, why, and
    the message itself, so an operator can replay it onto that queue or discard it. The
    gateway's worker moves every `<queue>.dlq` here (`servicekit.messaging.deadletters`
    says why the DLQ is not browsed in place). One open row per queue and message: a
    copy that dies again while open adds to its count; after a replay a new death is a
    new row. Rows are kept after replay or discard as their record."""

    __tablename__ = "dead_letters"
    __table_args__ = (
        CheckConstraint("status IN ('open','replayed','discarded')", name="status"),
        Index("uq_dead_letters_open_message", "queue", "message_key", unique=True,
              postgresql_where=text("status = 'open'")),
        Index("ix_dead_letters_status_last_death", "status", "last_death_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True,
                                          default=uuid.uuid4)
    seq: Mapped[int] = mapped_column(BigInteger, Identity(always=True), unique=True)
    queue: Mapped[str] = mapped_column(String(200))
    service: Mapped[str] = mapped_column(String(60), index=True)
    # The event id, else the message id, else "sha256:<body hash>".
    message_key: Mapped[str] = mapped_column(String(100))
    event_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), index=True)
    event_type: Mapped[str | None] = mapped_column(String(120))
    routing_key: Mapped[str | None] = mapped_column(String(200))
    exchange: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(String(40))
    error: Mapped[str | None] = mapped_column(Text)
    death_count: Mapped[int] = mapped_column(Integer, default=1)
    first_death_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_death_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                  server_default=func.now())
    body: Mapped[bytes] = mapped_column(LargeBinary)
    content_type: Mapped[str | None] = mapped_column(String(120))
    message_id: Mapped[str | None] = mapped_column(String(200))
    message_type: Mapped[str | None] = mapped_column(String(120))
    headers: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    status: Mapped[str] = mapped_column(String(10), default="open", server_default="open")
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_by: Mapped[str | None] = mapped_column(String(128))
    resolved_by_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    resolution_reason: Mapped[str | None] = mapped_column(Text)
