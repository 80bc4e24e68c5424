"""The service desk's tables: the installed base of machines (S-2), service requests
(fault reports) with their reply threads (S-1), and the read model of customers fed by
customer events."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from servicekit.timeutil import utcnow
from sqlalchemy import (
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
)
from sqlalchemy import text as sql
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .db import Base


class CustomerView(Base):
    """Read model of a customer, from customer.* events."""

    __tablename__ = "customer_view"

    customer_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    customer_number: Mapped[str | None] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    area: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(30))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now(), onupdate=utcnow)


class Machine(Base):
    """A machine a customer bought: a row of the "details" form (S-2). `warranty_until`
    is derived from the purchase date and the warranty period (machines/domain.py)."""

    __tablename__ = "machines"
    __table_args__ = (
        CheckConstraint("quantity >= 1", name="quantity_positive"),
        CheckConstraint("warranty_months >= 0 AND warranty_months <= 120",
                        name="warranty_months_range"),
        CheckConstraint("collection_status IN ('paid','partial','unpaid')",
                        name="collection_status"),
        CheckConstraint(
            "consumable_payment_method IS NULL OR consumable_payment_method IN "
            "('prepaid','on_delivery','monthly','other')", name="consumable_payment_method"),
        # A machine number (serial) names one machine: registered once.
        Index("uq_machines_machine_number", "machine_number", unique=True,
              postgresql_where=sql("machine_number IS NOT NULL")),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True,
                                          default=uuid.uuid4)
    customer_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    purchase_date: Mapped[date] = mapped_column(Date)
    name: Mapped[str] = mapped_column(String(100))
    model: Mapped[str | None] = mapped_column(String(100))
    quantity: Mapped[int] = mapped_column(Integer)
    machine_number: Mapped[str | None] = mapped_column(String(100))
    collection_status: Mapped[str] = mapped_column(String(20))
    warranty_months: Mapped[int] = mapped_column(Integer)
    warranty_until: Mapped[date | None] = mapped_column(Date)
    consumable_payment_method: Mapped[str | None] = mapped_column(String(20))
    salesperson: Mapped[str | None] = mapped_column(String(50))
    installation_engineer: Mapped[str | None] = mapped_column(String(50))
    integrity: Mapped[str | None] = mapped_column(String(200))
    remark: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(100))
    updated_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 default=utcnow, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now(), onupdate=utcnow)


class ServiceRequest(Base):
    """A fault a customer reported on one of its machines (S-1)."""

    __tablename__ = "service_requests"
    __table_args__ = (
        CheckConstraint("status IN ('open','in_progress','resolved')", name="status"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True,
                                          default=uuid.uuid4)
    customer_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    customer_name: Mapped[str] = mapped_column(String(200))
    customer_number: Mapped[str | None] = mapped_column(String(40))
    area: Mapped[str | None] = mapped_column(String(100))
    # The installed machine the fault concerns, when the customer picked one (S-2).
    machine_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("machines.id"),
                                                         index=True)
    machine: Mapped[str] = mapped_column(String(100))
    model: Mapped[str | None] = mapped_column(String(100))
    machine_number: Mapped[str | None] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), index=True)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 default=utcnow, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now(), onupdate=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    replies: Mapped[list[ServiceReply]] = relationship(
        back_populates="request", lazy="raise", order_by="ServiceReply.position")


class ServiceReply(Base):
    """One entry of a request's thread, from the customer or the staff."""

    __tablename__ = "service_replies"
    __table_args__ = (
        UniqueConstraint("request_id", "position", name="uq_service_replies_position"),
        CheckConstraint("author_kind IN ('customer','staff')", name="author_kind"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True,
                                          default=uuid.uuid4)
    request_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("service_requests.id"),
                                                  index=True)
    position: Mapped[int] = mapped_column(Integer)
    author_kind: Mapped[str] = mapped_column(String(10))
    author: Mapped[str] = mapped_column(String(100))
    message: Mapped[str] = mapped_column(Text)
    # The request's status after this reply, when the reply changed it.
    status_change: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 default=utcnow, server_default=func.now())

    request: Mapped[ServiceRequest] = relationship(back_populates="replies", lazy="raise")
