"""The notify service's tables: staff prompts (N-3), customer messages (N-5), bulletin and
guidance articles (N-4), and a small read model of customer names so prompts can name the
customer."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from servicekit.timeutil import utcnow
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from .db import Base


class CustomerView(Base):
    """Read model of a customer, from customer.* and order events: its name, number and
    area for prompts; how to reach it (mobile, WeChat openid and the channels it accepts,
    N-2) and what staff select it by in a batch message (grade, status, overdue orders,
    ordering cycle due, N-1)."""

    __tablename__ = "customer_view"

    customer_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    customer_number: Mapped[str | None] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    area: Mapped[str | None] = mapped_column(String(100), index=True)
    status: Mapped[str | None] = mapped_column(String(20))
    grade: Mapped[str | None] = mapped_column(String(20), index=True)
    mobile: Mapped[str | None] = mapped_column(String(20))
    # Set by the customer in the portal (its WeChat binding); the notifier's WeChat
    # recipient.
    wechat_openid: Mapped[str | None] = mapped_column(String(64))
    sms_enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    wechat_enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    # The ordering-cycle date it was last reminded of and has not ordered since (C-6).
    cycle_due_on: Mapped[date | None] = mapped_column(Date)
    # The time of the customer event last applied to name, number, area, status, grade
    # and mobile: an older one arriving late changes nothing known (servicekit.readmodel,
    # X-2); None in rows from before it was kept.
    profile_as_of: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now(), onupdate=utcnow)


class StaffPrompt(Base):
    """A prompt staff see in the console (N-3); one per source event. Staff bound to areas
    see only the prompts of their areas (C-7): `customer_id` is the customer the prompt is
    about (from its data) and `area` that customer's area (the event's, else the read
    model's; it follows the customer when its area changes). A prompt about no customer
    and no area is for every staff user; one about a customer whose area is unknown is
    for staff without an area limit only (`prompts/repository.py`)."""

    __tablename__ = "staff_prompts"
    __table_args__ = (
        Index("ix_staff_prompts_unread", "created_at", postgresql_where=text("read_at IS NULL")),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True,
                                          default=uuid.uuid4)
    source_event_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), unique=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    window: Mapped[bool] = mapped_column(Boolean, default=False)
    message: Mapped[str] = mapped_column(Text)
    message_en: Mapped[str] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    customer_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), index=True)
    area: Mapped[str | None] = mapped_column(String(100), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 server_default=func.now(), index=True)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    read_by: Mapped[str | None] = mapped_column(String(100))


class CustomerMessage(Base):
    """A message in one customer's portal inbox (N-5); one per source event."""

    __tablename__ = "customer_messages"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True,
                                          default=uuid.uuid4)
    source_event_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), unique=True)
    customer_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    # the staff batch message it belongs to (N-1)
    batch_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("message_batches.id", ondelete="SET NULL"),
        index=True)
    message: Mapped[str] = mapped_column(Text)
    message_en: Mapped[str] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 server_default=func.now())
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class OverdueOrder(Base):
    """An order of a customer that is overdue (an `overdue` payment reminder came and no
    full payment or cancellation since): the `overdue` filter of batch messages (N-1)."""

    __tablename__ = "overdue_orders"

    order_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    customer_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    number: Mapped[str] = mapped_column(String(40))
    due_date: Mapped[date] = mapped_column(Date)


class MessageBatch(Base):
    """A message staff sent to several customers at once (N-1): who chose whom and how."""

    __tablename__ = "message_batches"
    __table_args__ = (
        CheckConstraint("char_length(title) BETWEEN 1 AND 100", name="title_length"),
        CheckConstraint("char_length(body) BETWEEN 1 AND 2000", name="body_length"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True,
                                          default=uuid.uuid4)
    title: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text)
    channels: Mapped[list[str]] = mapped_column(ARRAY(String(10)))
    # {"customer_ids": [...]} or {"filter": {...}}, as staff sent it
    selection: Mapped[dict[str, Any]] = mapped_column(JSONB)
    recipients: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 server_default=func.now(), index=True)


class Delivery(Base):
    """One message on one channel to one recipient by the external notifier (N-2, C-8):
    a reminder or a staff message by SMS or WeChat, a reset code by SMS or e-mail. Its
    status follows the notifier's reports; a failed attempt is retried with backoff
    (`deliveries/domain.py`). Secrets (a reset token) are never stored: such a delivery
    keeps no params and is not retried."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("source_event_id", "channel", name="uq_deliveries_source_channel"),
        CheckConstraint("status IN ('requested','delivered','retrying','failed',"
                        "'no_recipient')", name="status"),
        Index("ix_deliveries_retry", "next_attempt_at",
              postgresql_where=text("status = 'retrying'")),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True,
                                          default=uuid.uuid4)
    source_event_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    template: Mapped[str] = mapped_column(String(40))
    # "sms", "wechat", "email", or "none" when the user left no way to reach it.
    channel: Mapped[str] = mapped_column(String(10))
    recipient: Mapped[str | None] = mapped_column(String(120))
    customer_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), index=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), index=True)
    message_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("customer_messages.id", ondelete="SET NULL"))
    batch_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("message_batches.id", ondelete="SET NULL"),
        index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    params: Mapped[dict[str, str] | None] = mapped_column(JSONB)
    text: Mapped[str] = mapped_column(Text, default="", server_default="")
    text_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    attempts: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    last_error: Mapped[str | None] = mapped_column(String(500))
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    provider: Mapped[str | None] = mapped_column(String(40))
    provider_message_id: Mapped[str | None] = mapped_column(String(100))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 server_default=func.now(), index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 server_default=func.now())


class Article(Base):
    """A bulletin or a technical guidance article for every customer (N-4). `body` is the
    Markdown as staff wrote it; the API renders it to safe HTML when it is read
    (`articles/domain.py`). `published_at` is the moment it was first published."""

    __tablename__ = "articles"
    __table_args__ = (
        CheckConstraint("kind IN ('bulletin','guidance')", name="kind"),
        CheckConstraint("char_length(title) BETWEEN 1 AND 120", name="title_length"),
        CheckConstraint("char_length(body) BETWEEN 1 AND 20000", name="body_length"),
        CheckConstraint("published_at IS NOT NULL OR NOT published", name="published_at"),
        # the portal's board: published only, pinned first, newest published first
        Index("ix_articles_board", "kind", "pinned", "published_at",
              postgresql_where=text("published")),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True,
                                          default=uuid.uuid4)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    published: Mapped[bool] = mapped_column(Boolean)
    pinned: Mapped[bool] = mapped_column(Boolean)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 server_default=func.now(), index=True)
    created_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 server_default=func.now())
    updated_by: Mapped[str] = mapped_column(String(100))
