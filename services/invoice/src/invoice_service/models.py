"""The invoice service's tables: the read models of customers (their tax information and
area) and of invoiceable orders, fed by customer and order events, and invoices with the
orders they cover and the fapiao they were issued as (I-1..I-3, C-7)."""

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


class InvoiceCustomer(Base):
    """Read model of a customer, from customer.registered / .approved / .updated: its
    area (staff bound to areas see its invoices only when it is theirs, C-7) and its tax
    information (C-1), the defaults of its invoice requests (I-1).

    `as_of` is the time of the event last applied: an older event arriving late changes
    nothing. A field an event does not carry (one written before issue 10) is kept."""

    __tablename__ = "customers"

    customer_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    customer_number: Mapped[str | None] = mapped_column(String(20))
    company_name: Mapped[str | None] = mapped_column(String(200))
    area: Mapped[str | None] = mapped_column(String(100), index=True)
    invoice_title: Mapped[str | None] = mapped_column(String(200))
    tax_number: Mapped[str | None] = mapped_column(String(50))
    bank: Mapped[str | None] = mapped_column(String(200))
    bank_account: Mapped[str | None] = mapped_column(String(64))
    address: Mapped[str | None] = mapped_column(String(300))
    area_code: Mapped[str | None] = mapped_column(String(10))
    telephone: Mapped[str | None] = mapped_column(String(40))
    mobile: Mapped[str | None] = mapped_column(String(20))
    as_of: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now(), onupdate=utcnow)


class InvoiceableOrder(Base):
    """Read model of an order, from order.submitted / .modified / .approved / .rejected /
    .cancelled / .return_approved.

    `total` and `bill_type` are unknown (NULL) while a review event has arrived before
    the order's order.submitted; such an order cannot be invoiced yet. `refund_amount`
    is the sum of its approved returns' refunds (O-9): the invoice is for what the
    customer keeps.
    """

    __tablename__ = "invoiceable_orders"
    __table_args__ = (
        CheckConstraint("status IN ('submitted','approved','rejected','cancelled')",
                        name="status"),
        CheckConstraint("total IS NULL OR total >= 0", name="total_non_negative"),
        CheckConstraint("refund_amount >= 0", name="refund_amount_non_negative"),
    )

    order_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    customer_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    customer_name: Mapped[str | None] = mapped_column(String(200))
    number: Mapped[str] = mapped_column(String(30), index=True)
    total: Mapped[Decimal | None] = mapped_column(MONEY)
    bill_type: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    refund_amount: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"),
                                                   server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 default=utcnow, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now(), onupdate=utcnow)


class OrderRefund(Base):
    """An approved return's refund (order.return_approved, O-9), once per return: a
    redelivered or repeated event does not count twice."""

    __tablename__ = "order_refunds"

    return_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    order_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    refund_amount: Mapped[Decimal] = mapped_column(MONEY)
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Invoice(Base):
    """An invoice request and, once issued, the invoice (I-1..I-3): requested → issued →
    confirmed, or requested → rejected → (resubmitted) requested."""

    __tablename__ = "invoices"
    __table_args__ = (
        CheckConstraint("status IN ('requested','issued','confirmed','rejected')",
                        name="status"),
        CheckConstraint("amount >= 0", name="amount_non_negative"),
        CheckConstraint("invoice_type IN ('ordinary_vat','special_vat')", name="invoice_type"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True,
                                          default=uuid.uuid4)
    customer_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    customer_name: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), index=True)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    # I-1: what the fapiao shows, after the defaults from the customer's profile (C-1).
    invoice_type: Mapped[str] = mapped_column(String(20))
    title: Mapped[str | None] = mapped_column(String(200))
    tax_number: Mapped[str | None] = mapped_column(String(50))
    bank: Mapped[str | None] = mapped_column(String(200))
    bank_account: Mapped[str | None] = mapped_column(String(64))
    address_phone: Mapped[str | None] = mapped_column(String(300))
    mail_to: Mapped[str | None] = mapped_column(String(300))
    remark: Mapped[str | None] = mapped_column(Text)
    requested_by: Mapped[str] = mapped_column(String(100))
    # The latest (re)submission; `created_at` is the first.
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                   server_default=func.now())
    # Rejected by finance staff with a reason; kept when resubmitted (the last rejection).
    rejection_reason: Mapped[str | None] = mapped_column(String(500))
    rejected_by: Mapped[str | None] = mapped_column(String(100))
    rejected_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # I-2: entered by finance staff when the invoice is issued (its numbers: `fapiao`).
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
        back_populates="invoice", lazy="raise", order_by="InvoiceOrder.position",
        cascade="all, delete-orphan")
    fapiao: Mapped[list[InvoiceFapiao]] = relationship(
        back_populates="invoice", lazy="raise", order_by="InvoiceFapiao.position",
        cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}


class InvoiceOrder(Base):
    """An order covered by an invoice, with its number, total and refunds as requested
    (the invoice is for `total - refund_amount`).

    `active` is true while the invoice counts (a rejection clears it, a resubmission
    sets it again); the partial unique index keeps an order in at most one active
    invoice even under concurrent requests.
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
    refund_amount: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"),
                                                   server_default="0")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    invoice: Mapped[Invoice] = relationship(back_populates="orders", lazy="raise")


class InvoiceFapiao(Base):
    """One fapiao of an issued invoice (I-2): its number, unique over all invoices, and
    its amount; the amounts add up to the invoice's and none is above the per-fapiao
    limit (INVOICE_MAX_AMOUNT_PER_FAPIAO)."""

    __tablename__ = "invoice_fapiao"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
    )

    invoice_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("invoices.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    invoice_number: Mapped[str] = mapped_column(String(50), unique=True)
    amount: Mapped[Decimal] = mapped_column(MONEY)

    invoice: Mapped[Invoice] = relationship(back_populates="fapiao", lazy="raise")
