"""The customer service's tables: customers (C-1, C-2), the product master, each
customer's own prices with their history (C-3), the paid orders that make up a
customer's cumulative paid consumption (C-4), the supplier's contact people per area
(N-4) and the audit log of every change to customer data and prices (X-3)."""

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
    Sequence,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .db import Base, metadata

MONEY = Numeric(14, 2)

# Customer numbers (KH000001 …) come from a database sequence: concurrent registrations
# never collide, and no row lock is held. A rolled-back registration leaves a gap.
CUSTOMER_NUMBER_SEQ = Sequence("customer_number_seq", metadata=metadata)


class Customer(Base):
    """A customer company (C-1). Its id is the one the gateway gave the customer user."""

    __tablename__ = "customers"
    __table_args__ = (
        CheckConstraint("status IN ('pending_review','approved','rejected')", name="status"),
        CheckConstraint("paid_total >= 0", name="paid_total_non_negative"),
        CheckConstraint("grade IN ('normal','small','large')", name="grade"),
        CheckConstraint("grade_source IN ('auto','staff')", name="grade_source"),
        CheckConstraint(
            "(cycle_kind IS NULL AND cycle_days IS NULL AND cycle_weekday IS NULL)"
            " OR (cycle_kind = 'days' AND cycle_days BETWEEN 1 AND 365"
            " AND cycle_weekday IS NULL)"
            " OR (cycle_kind = 'weekday' AND cycle_weekday BETWEEN 1 AND 7"
            " AND cycle_days IS NULL)", name="ordering_cycle"),
        CheckConstraint("payment_terms_days BETWEEN 0 AND 365", name="payment_terms_days"),
        CheckConstraint("credit_limit IS NULL OR credit_limit >= 0", name="credit_limit"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    contact_person: Mapped[str] = mapped_column(String(100))
    mobile: Mapped[str] = mapped_column(String(11))
    address: Mapped[str] = mapped_column(String(300))
    email: Mapped[str] = mapped_column(String(254))
    area: Mapped[str | None] = mapped_column(String(100), index=True)
    area_code: Mapped[str | None] = mapped_column(String(10))
    telephone: Mapped[str | None] = mapped_column(String(40))
    fax: Mapped[str | None] = mapped_column(String(40))
    qq: Mapped[str | None] = mapped_column(String(20))
    tax_number: Mapped[str | None] = mapped_column(String(20))
    invoice_title: Mapped[str | None] = mapped_column(String(200))
    bank: Mapped[str | None] = mapped_column(String(200))
    bank_account: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20), index=True)
    rejection_reason: Mapped[str | None] = mapped_column(String(500))
    reviewed_by: Mapped[str | None] = mapped_column(String(100))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    grade: Mapped[str] = mapped_column(String(20), default="normal", server_default="normal")
    # auto: follows paid consumption; staff: set explicitly (C-4, see domain.automatic_grade)
    grade_source: Mapped[str] = mapped_column(String(10), default="auto",
                                              server_default="auto")
    paid_total: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"),
                                                server_default="0")
    # Ordering cycle (C-6): every cycle_days days, or weekly on cycle_weekday (1 = Monday).
    cycle_kind: Mapped[str | None] = mapped_column(String(10))
    cycle_days: Mapped[int | None] = mapped_column(Integer)
    cycle_weekday: Mapped[int | None] = mapped_column(Integer)
    last_order_date: Mapped[date | None] = mapped_column(Date)
    # Payment terms (O-6): an approved order is due this many days later (0 = on approval);
    # a new customer starts with CUSTOMER_DEFAULT_PAYMENT_TERMS_DAYS.
    payment_terms_days: Mapped[int] = mapped_column(Integer)
    # Credit limit (B-3): the most the customer may owe on its open orders; None = no limit.
    credit_limit: Mapped[Decimal | None] = mapped_column(MONEY)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 default=utcnow, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now(), onupdate=utcnow)


class Product(Base):
    """The product master: one row per (name, model)."""

    __tablename__ = "products"
    __table_args__ = (
        UniqueConstraint("name", "model", name="uq_products_name_model"),
        CheckConstraint("category IN ('consumable','accessory','machine','service')",
                        name="category"),
        CheckConstraint("list_price >= 0", name="list_price_non_negative"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True,
                                          default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(200))
    model: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(20))
    list_price: Mapped[Decimal] = mapped_column(MONEY)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 default=utcnow, server_default=func.now())
    updated_by: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True),
                                                        onupdate=utcnow)


class CustomerPrice(Base):
    """A customer's own unit price of a product; the last one set stays (C-3)."""

    __tablename__ = "customer_prices"
    __table_args__ = (CheckConstraint("unit_price > 0", name="unit_price_positive"),)

    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customers.id"), primary_key=True)
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"), primary_key=True)
    unit_price: Mapped[Decimal] = mapped_column(MONEY)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now(), onupdate=utcnow)

    product: Mapped[Product] = relationship(lazy="raise")


class PriceHistory(Base):
    """Every change of a customer's price: who, when, old and new (C-3, X-3)."""

    __tablename__ = "price_history"
    __table_args__ = (CheckConstraint("new_price > 0", name="new_price_positive"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True,
                                          default=uuid.uuid4)
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customers.id"), index=True)
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"))
    old_price: Mapped[Decimal | None] = mapped_column(MONEY)
    new_price: Mapped[Decimal] = mapped_column(MONEY)
    reason: Mapped[str] = mapped_column(String(20))
    changed_by: Mapped[str] = mapped_column(String(100))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 default=utcnow, server_default=func.now())

    product: Mapped[Product] = relationship(lazy="raise")


class PaidOrder(Base):
    """One row per fully paid order (from order.payment_received): the key that makes
    the cumulative paid total count each order once (C-4, X-2)."""

    __tablename__ = "paid_orders"

    order_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    customer_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    number: Mapped[str] = mapped_column(String(40))
    amount: Mapped[Decimal] = mapped_column(MONEY)
    paid_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                  default=utcnow, server_default=func.now())


class SupplierContact(Base):
    """A contact person of the supplier shown to the customers of an area (N-4); the area
    "default" is shown where an area has none of its own."""

    __tablename__ = "supplier_contacts"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True,
                                          default=uuid.uuid4)
    area: Mapped[str] = mapped_column(String(100), index=True)
    name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(40))
    qq: Mapped[str | None] = mapped_column(String(20))
    role: Mapped[str] = mapped_column(String(50))
    updated_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 default=utcnow, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now(), onupdate=utcnow)


class AuditEntry(Base):
    """Who changed what, when, with the values before and after (X-3). Written by the
    service layer in the same transaction as the change; never updated or deleted."""

    __tablename__ = "audit_log"
    __table_args__ = (
        CheckConstraint("actor_kind IN ('customer','staff','system')", name="actor_kind"),
        Index("ix_audit_log_customer_id_at", "customer_id", "at"),
        Index("ix_audit_log_entity", "entity", "entity_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True,
                                          default=uuid.uuid4)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                         server_default=func.now())
    actor: Mapped[str] = mapped_column(String(100))
    actor_kind: Mapped[str] = mapped_column(String(10))
    entity: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[str] = mapped_column(String(80))
    # The customer the change concerns (None for the product master and contacts).
    customer_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    action: Mapped[str] = mapped_column(String(40))
    before: Mapped[dict | None] = mapped_column(JSONB)
    after: Mapped[dict | None] = mapped_column(JSONB)
