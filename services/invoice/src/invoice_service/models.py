"""The invoice service's tables: the read model of invoiceable orders fed by order events,
and invoices with the orders they cover (I-1..I-3)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from servicekit.timeutil import utcnow
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .db import Base

MONEY = Numeric(14, 2)


class InvoiceableOrder(Base):
    """Read model of an order, from order.submitted / .modified / .approved / .rejected /
    .cancelled.

    `total` and `bill_type` are unknown (NULL) while a review event has arrived before
    the order's order.submitted; such an order cannot be invoiced yet.
    """

    __tablename__ = "invoiceable_orders"
    __table_args__ = (
        CheckConstraint("status IN ('submitted','approved','rejected','cancelled')",
                        name="status"),
        CheckConstraint("total IS NULL OR total >= 0", name="total_non_negative"),
    )

    order_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    customer_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    customer_name: Mapped[str | None] = mapped_column(String(200))
    number: Mapped[str] = mapped_column(String(30), index=True)
    total: Mapped[Decimal | None] = mapped_column(MONEY)
    bill_type: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 default=utcnow, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now(), onupdate=utcnow)


class Invoice(Base):
    __tablename__ = "invoices"
    __table_args__ = (
        CheckConstraint("status IN ('requested','issued','confirmed')", name="status"),
        CheckConstraint("amount >= 0", name="amount_non_negative"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True,
                                          default=uuid.uuid4)
    customer_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    customer_name: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), index=True)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    title: Mapped[str | None] = mapped_column(String(200))
    tax_number: Mapped[str | None] = mapped_column(String(50))
    remark: Mapped[str | None] = mapped_column(Text)
    requested_by: Mapped[str] = mapped_column(String(100))
    # I-2: entered by finance staff when the invoice is issued.
    invoice_number: Mapped[str | None] = mapped_column(String(50), unique=True)
    invoice_date: Mapped[date | None] = mapped_column(Date)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    courier: Mapped[str | None] = mapped_column(String(50))
    tracking_number: Mapped[str | None] = mapped_column(String(50))
    issued_by: Mapped[str | None] = mapped_column(String(100))
    issued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 default=utcnow, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now(), onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    orders: Mapped[list[InvoiceOrder]] = relationship(
        back_populates="invoice", lazy="raise", order_by="InvoiceOrder.position")

    __mapper_args__ = {"version_id_col": version}


class InvoiceOrder(Base):
    """An order covered by an invoice, with its number and total as requested.

    `active` is true while the invoice counts (a future cancellation clears it); the
    partial unique index keeps an order in at most one active invoice even under
    concurrent requests.
    """

    __tablename__ = "invoice_orders"
    __table_args__ = (
        Index("uq_invoice_orders_active_order", "order_id", unique=True,
              postgresql_where=text("active")),
    )

    invoice_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("invoices.id"), primary_key=True)
    order_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(30))
    total: Mapped[Decimal] = mapped_column(MONEY)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    invoice: Mapped[Invoice] = relationship(back_populates="orders", lazy="raise")
