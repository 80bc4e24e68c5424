"""The order service's tables: orders with their lines, payments, online payment intents
(B-2), timeline, shipments and returns; favourite order templates; the order number
counter; and the read model of customers and their prices fed by customer events.

Once an order is reviewed its content and lines are frozen: the API refuses (409) and
the database refuses too (triggers in the `order_lifecycle` migration)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from servicekit.timeutil import utcnow
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.elements import ColumnElement

from .db import Base

MONEY = Numeric(14, 2)


class CustomerView(Base):
    """Read model of a customer, from customer.* events."""

    __tablename__ = "customer_view"

    customer_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    customer_number: Mapped[str | None] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    area: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(30))
    # The ordering cycle (C-6, from customer.cycle_changed): every cycle_days days, or
    # weekly on cycle_weekday (1 = Monday); for reminders and anomaly analysis.
    cycle_kind: Mapped[str | None] = mapped_column(String(10))
    cycle_days: Mapped[int | None] = mapped_column(Integer)
    cycle_weekday: Mapped[int | None] = mapped_column(Integer)
    # The business date the cycle was set: a customer that has not ordered yet is due
    # from then (anomaly analysis, A-3).
    cycle_since: Mapped[date | None] = mapped_column(Date)
    # Payment terms in days (O-6, from customer.approved / customer.payment_terms_changed);
    # None: not known yet, ORDER_DEFAULT_PAYMENT_TERMS_DAYS applies. `payment_terms_as_of`
    # is when the customer service set them, so that an older event arriving late
    # changes nothing.
    payment_terms_days: Mapped[int | None] = mapped_column(Integer)
    payment_terms_as_of: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Credit limit (B-3, from customer.credit_limit_changed); None: no limit.
    # `credit_limit_as_of` is when the customer service set it (late events change nothing).
    credit_limit: Mapped[Decimal | None] = mapped_column(MONEY)
    credit_limit_as_of: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The customer's grade (C-4, from customer.grade_changed / customer.updated) and its
    # installed machines (S-2, from servicedesk.machines_counted, newer `machines_as_of`
    # wins): filters and sorts of the order query and the dashboards.
    grade: Mapped[str] = mapped_column(String(10), default="normal", server_default="normal")
    machine_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    machines_as_of: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The time of the customer event last applied to name, number, area, status and grade:
    # an older one arriving late changes nothing known (servicekit.readmodel, X-2); None
    # in rows from before it was kept.
    profile_as_of: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now(), onupdate=utcnow)


class CatalogItemView(Base):
    """Read model of a customer's consumables at its own price (C-2, C-3)."""

    __tablename__ = "catalog_item_view"

    customer_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    product_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    model: Mapped[str] = mapped_column(String(200))
    unit_price: Mapped[Decimal] = mapped_column(MONEY)
    list_price: Mapped[Decimal | None] = mapped_column(MONEY)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The product's category (P-2: points pay for consumables and accessories); None in
    # rows from events written before categories travelled (counted as a consumable).
    category: Mapped[str | None] = mapped_column(String(20))
    # The time of the customer.approved / customer.price_changed that set this price: an
    # older one arriving late changes it not; None in rows from before it was kept.
    as_of: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PointsBalanceView(Base):
    """Read model of a customer's points (points.balance_changed, P-2): an order asking
    for more points than this is refused at once (422); the points service has the final
    word through the redemption saga. A submission takes the points it asks for off
    `remaining` at once, so that two orders of one customer cannot both count on them;
    the next announcement (`as_of` later) replaces the figures."""

    __tablename__ = "points_balance_view"

    customer_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    total: Mapped[int] = mapped_column(Integer)
    remaining: Mapped[int] = mapped_column(Integer)
    threshold: Mapped[int] = mapped_column(Integer)
    can_redeem: Mapped[bool] = mapped_column(Boolean)
    as_of: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OrderNumberCounter(Base):
    __tablename__ = "order_number_counter"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint("total >= 0", name="total_non_negative"),
        CheckConstraint("paid_total >= 0 AND paid_total <= total", name="paid_within_total"),
        CheckConstraint("points_used >= 0 AND points_used <= total", name="points_within_total"),
        CheckConstraint("points_requested >= 0", name="points_requested_non_negative"),
        CheckConstraint(
            "points_status IN ('none','requested','reserved','redeemed','refused','released')",
            name="points_status"),
        CheckConstraint("bill_type IN ('none','ordinary_vat','special_vat')", name="bill_type"),
        # The held orders (B-3), for finance's list.
        Index("ix_orders_credit_hold", "created_at", postgresql_where=text("credit_hold")),
        # The orders waiting for the points service's answer (redemption/tasks.py).
        Index("ix_orders_points_requested", "created_at",
              postgresql_where=text("points_status = 'requested'")),
        # Analysis at scale (issue 13, docs/architecture.md): the orders of a period with
        # the figures the aggregates sum (index-only scans), and a customer's orders by
        # date (anomalies, a customer's history, staff bound to areas).
        Index("ix_orders_order_date_totals", "order_date",
              postgresql_include=["id", "customer_id", "status", "total", "points_used",
                                  "paid_total", "total_quantity"]),
        Index("ix_orders_customer_id_order_date", "customer_id", "order_date",
              postgresql_include=["status", "total"]),
        # The order query sorted by amount.
        Index("ix_orders_total", "total", "number"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True,
                                          default=uuid.uuid4)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    customer_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    customer_name: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(10), default="portal")
    status: Mapped[str] = mapped_column(String(30), index=True)
    order_date: Mapped[date] = mapped_column(Date)
    delivery_date: Mapped[date] = mapped_column(Date)
    bill_type: Mapped[str] = mapped_column(String(20))
    remark: Mapped[str | None] = mapped_column(Text)
    total: Mapped[Decimal] = mapped_column(MONEY)
    list_total: Mapped[Decimal] = mapped_column(MONEY)
    # Sum of the lines' quantities, kept for sorting by quantity (A-1).
    total_quantity: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    paid_total: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    # Points redemption (P-2, a saga with the points service): the customer asked to pay
    # `points_requested` points (1 point = 1 yuan); `points_used` are those the points
    # service reserved for the order (0 until it answers, and when it refuses or gives
    # them back). `points_status`: none | requested | reserved | redeemed | refused |
    # released, with `points_reason` for the last two. What the customer pays is
    # `payable` = total − points_used (payments, outstanding and statements use it).
    points_requested: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    points_used: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    points_status: Mapped[str] = mapped_column(String(12), default="none",
                                               server_default="none")
    points_reason: Mapped[str | None] = mapped_column(String(30))
    invoiced: Mapped[bool] = mapped_column(Boolean, default=False)
    # When payment is due (O-6): set once on approval from the customer's payment terms,
    # never changed afterwards (the database refuses too); None before approval.
    due_date: Mapped[date | None] = mapped_column(Date, index=True)
    # Credit hold (B-3): set on submit or modify when what the customer owes on its other
    # open orders (`credit_hold_outstanding`) plus this order's total exceeded its limit
    # (`credit_hold_limit`); the order cannot be approved until finance releases it.
    # A release is remembered with the total it was given for (`credit_released_total`):
    # a later modification to a larger total holds the order again.
    credit_hold: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    credit_hold_limit: Mapped[Decimal | None] = mapped_column(MONEY)
    credit_hold_outstanding: Mapped[Decimal | None] = mapped_column(MONEY)
    credit_hold_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    credit_released_by: Mapped[str | None] = mapped_column(String(100))
    credit_released_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    credit_release_note: Mapped[str | None] = mapped_column(Text)
    credit_released_total: Mapped[Decimal | None] = mapped_column(MONEY)
    reviewed_by: Mapped[str | None] = mapped_column(String(100))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    review_reason: Mapped[str | None] = mapped_column(Text)
    # Two-level review (seed 003): the first of two approvals.
    first_reviewed_by: Mapped[str | None] = mapped_column(String(100))
    first_reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # A cancellation request remembers where the order was, to go back if refused.
    status_before_cancellation: Mapped[str | None] = mapped_column(String(30))
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True,
                                                 default=utcnow, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now(), onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    # A modification (O-4, unreviewed orders only) replaces the lines.
    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", lazy="raise", order_by="OrderLine.position",
        cascade="all, delete-orphan")
    payments: Mapped[list[Payment]] = relationship(
        back_populates="order", lazy="raise", order_by="Payment.created_at")
    shipments: Mapped[list[Shipment]] = relationship(
        back_populates="order", lazy="raise", order_by="Shipment.number")
    returns: Mapped[list[OrderReturn]] = relationship(
        back_populates="order", lazy="raise", order_by="OrderReturn.created_at")

    __mapper_args__ = {"version_id_col": version}

    @hybrid_property
    def payable(self) -> Decimal:
        """What the customer pays: the total less the points used (P-2)."""
        return self.total - self.points_used

    @payable.inplace.expression
    @classmethod
    def _payable_expression(cls) -> ColumnElement[Decimal]:
        return cls.total - cls.points_used


class OrderLine(Base):
    __tablename__ = "order_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        # An order's lines with what the analysis sums (index-only scans, issue 13);
        # lines by model, any case, follow the class (an expression index).
        Index("ix_order_lines_order_id_totals", "order_id",
              postgresql_include=["product_id", "model", "quantity", "line_total"]),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True,
                                          default=uuid.uuid4)
    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id"))
    position: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    name: Mapped[str] = mapped_column(String(200))
    model: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(MONEY)
    list_price: Mapped[Decimal | None] = mapped_column(MONEY)
    line_total: Mapped[Decimal] = mapped_column(MONEY)

    order: Mapped[Order] = relationship(back_populates="lines", lazy="raise")


# Lines of a model whatever its case (the order query's `model`, the summaries' model).
Index("ix_order_lines_model_lower", func.lower(OrderLine.model),
      postgresql_include=["model", "order_id", "product_id", "quantity", "line_total"])


class Payment(Base):
    """A payment received (O-6); an order has any number of them up to its total. Never
    edited or deleted (the database refuses): a wrongly recorded payment is reversed by an
    approved `PaymentReversal`, and `reversed_by` (set once) links to it."""

    __tablename__ = "payments"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True,
                                          default=uuid.uuid4)
    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    paid_on: Mapped[date] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(40))
    reference: Mapped[str | None] = mapped_column(String(100))
    recorded_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 default=utcnow, server_default=func.now())
    reversed_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("payment_reversals.id", use_alter=True))

    order: Mapped[Order] = relationship(back_populates="payments", lazy="raise")


class PaymentReversal(Base):
    """The counter-entry of a wrongly recorded payment (O-6): requested with a reason by
    one staff member (`pending`), then approved or rejected by another. Once approved it
    takes the payment's whole amount off the order's paid total; the payment row stays
    as it was, linked by `reversed_by`. At most one pending or approved reversal per
    payment."""

    __tablename__ = "payment_reversals"
    __table_args__ = (
        CheckConstraint("status IN ('pending','approved','rejected')", name="status"),
        CheckConstraint("amount > 0", name="amount_positive"),
        Index("uq_payment_reversals_payment_id_open", "payment_id", unique=True,
              postgresql_where=text("status IN ('pending','approved')")),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True,
                                          default=uuid.uuid4)
    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id"), index=True)
    payment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("payments.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    status: Mapped[str] = mapped_column(String(10), default="pending",
                                        server_default="pending")
    reason: Mapped[str] = mapped_column(Text)
    requested_by: Mapped[str] = mapped_column(String(100))
    # The requester's user id: the reviewer must be someone else (four eyes).
    requested_by_subject: Mapped[str] = mapped_column(String(100))
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                   default=utcnow, server_default=func.now())
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decision_reason: Mapped[str | None] = mapped_column(Text)


class Refund(Base):
    """Money paid back to the customer (O-6): for an approved return's refund amount
    (O-9) or what was paid for an order later cancelled. Never more than paid."""

    __tablename__ = "refunds"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True,
                                          default=uuid.uuid4)
    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    refunded_on: Mapped[date] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(40))
    reference: Mapped[str | None] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 default=utcnow, server_default=func.now())


class PaymentIntent(Base):
    """An online payment asked of a provider (B-2, O-6): the customer scans `code_url`
    (WeChat Pay, Alipay) or opens it (the development sandbox) to pay `amount` of the order
    by `expires_at`. The provider's verified notification makes it `paid` (once: the
    provider's transaction id is unique) and records a `Payment`; `failed` when the
    provider reports the trade closed or failed; `expired` once a newer intent replaced
    one that had run out. `payment_id` is the payment it recorded; `note` says why a paid
    intent recorded none (the order was paid or cancelled meanwhile)."""

    __tablename__ = "payment_intents"
    __table_args__ = (
        CheckConstraint("status IN ('created','paid','expired','failed')", name="status"),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("currency = 'CNY'", name="currency_cny"),
        # A provider's transaction pays one intent, once (replayed notifications).
        Index("uq_payment_intents_provider_transaction_id", "provider",
              "provider_transaction_id", unique=True),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True,
                                          default=uuid.uuid4)
    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id"), index=True)
    customer_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    provider: Mapped[str] = mapped_column(String(20))
    # Our number for the provider (letters and digits, ≤ 32: both providers accept it).
    out_trade_no: Mapped[str] = mapped_column(String(32), unique=True)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(String(3), default="CNY", server_default="CNY")
    status: Mapped[str] = mapped_column(String(10), default="created",
                                        server_default="created")
    code_url: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    provider_transaction_id: Mapped[str | None] = mapped_column(String(64))
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    payment_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("payments.id"))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 default=utcnow, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now(), onupdate=utcnow)


class OrderEvent(Base):
    """The order's timeline (O-11, X-3): who did what, when, and the status after it.
    Append-only: the database refuses updates and deletes."""

    __tablename__ = "order_events"

    seq: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id"), index=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                  server_default=func.now())
    action: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(30))
    actor: Mapped[str] = mapped_column(String(100))
    actor_kind: Mapped[str] = mapped_column(String(10))  # customer | staff | system
    note: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict, server_default="{}")


class Shipment(Base):
    """One shipment of (part of) an order (O-8) and, once confirmed, its receipt."""

    __tablename__ = "shipments"
    __table_args__ = (UniqueConstraint("order_id", "number"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True,
                                          default=uuid.uuid4)
    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # 1, 2, … within the order
    courier: Mapped[str] = mapped_column(String(100))
    tracking_number: Mapped[str | None] = mapped_column(String(100))
    shipped_on: Mapped[date] = mapped_column(Date)
    shipped_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 default=utcnow, server_default=func.now())
    received_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    received_by: Mapped[str | None] = mapped_column(String(100))
    receipt_note: Mapped[str | None] = mapped_column(Text)
    shortage: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")

    order: Mapped[Order] = relationship(back_populates="shipments", lazy="raise")
    lines: Mapped[list[ShipmentLine]] = relationship(
        back_populates="shipment", lazy="raise", order_by="ShipmentLine.position")


class ShipmentLine(Base):
    __tablename__ = "shipment_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("quantity_received IS NULL OR "
                        "(quantity_received >= 0 AND quantity_received <= quantity)",
                        name="received_within_shipped"),
        UniqueConstraint("shipment_id", "product_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True,
                                          default=uuid.uuid4)
    shipment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("shipments.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    name: Mapped[str] = mapped_column(String(200))
    model: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(Integer)
    quantity_received: Mapped[int | None] = mapped_column(Integer)

    shipment: Mapped[Shipment] = relationship(back_populates="lines", lazy="raise")


class OrderReturn(Base):
    """A customer's request to return received goods (O-9), and staff's decision."""

    __tablename__ = "order_returns"
    __table_args__ = (
        CheckConstraint("status IN ('requested','approved','rejected')", name="status"),
        CheckConstraint("refund_amount IS NULL OR (refund_amount >= 0 AND refund_amount <= amount)",
                        name="refund_within_amount"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True,
                                          default=uuid.uuid4)
    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id"), index=True)
    customer_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    reason: Mapped[str] = mapped_column(Text)
    amount: Mapped[Decimal] = mapped_column(MONEY)  # the goods' value at the order's prices
    refund_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    requested_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 default=utcnow, server_default=func.now())
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decision_reason: Mapped[str | None] = mapped_column(Text)

    order: Mapped[Order] = relationship(back_populates="returns", lazy="raise")
    lines: Mapped[list[OrderReturnLine]] = relationship(
        back_populates="order_return", lazy="raise", order_by="OrderReturnLine.position")


class OrderReturnLine(Base):
    __tablename__ = "order_return_lines"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True,
                                          default=uuid.uuid4)
    return_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("order_returns.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    name: Mapped[str] = mapped_column(String(200))
    model: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(MONEY)
    line_total: Mapped[Decimal] = mapped_column(MONEY)

    order_return: Mapped[OrderReturn] = relationship(back_populates="lines", lazy="raise")


class OrderTemplate(Base):
    """A customer's favourite order (O-11): products and quantities to order again."""

    __tablename__ = "order_templates"
    __table_args__ = (UniqueConstraint("customer_id", "name"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True,
                                          default=uuid.uuid4)
    customer_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    name: Mapped[str] = mapped_column(String(100))
    # [{"product_id": "...", "quantity": 5}, ...]
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    bill_type: Mapped[str | None] = mapped_column(String(20))
    remark: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 default=utcnow, server_default=func.now())


class StatementAcknowledgement(Base):
    """A customer's acknowledgement of one month's statement (B-1): confirmed, or
    disputed with a note until staff answer (then open again). The statement itself is
    computed from the ledger whenever it is read; this row keeps the figures the customer
    last acknowledged (`opening_balance`, `closing_balance`), so a late entry shows as a
    change. One row per customer and month, created on the first acknowledgement."""

    __tablename__ = "statement_acknowledgements"
    __table_args__ = (
        UniqueConstraint("customer_id", "month"),
        CheckConstraint("status IN ('open','confirmed','disputed')", name="status"),
        CheckConstraint("extract(day from month) = 1", name="month_first_day"),
        Index("ix_statement_acknowledgements_status_month", "status", "month"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True,
                                          default=uuid.uuid4)
    customer_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    # The month's first day.
    month: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10))
    opening_balance: Mapped[Decimal] = mapped_column(MONEY)
    closing_balance: Mapped[Decimal] = mapped_column(MONEY)
    confirmed_by: Mapped[str | None] = mapped_column(String(100))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    dispute_note: Mapped[str | None] = mapped_column(Text)
    disputed_by: Mapped[str | None] = mapped_column(String(100))
    disputed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolution_note: Mapped[str | None] = mapped_column(Text)
    resolved_by: Mapped[str | None] = mapped_column(String(100))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 default=utcnow, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now(), onupdate=utcnow)


class StatementEvent(Base):
    """What happened to a statement's acknowledgement (B-1, X-3): confirmed, disputed,
    resolved — who, when, the note and the figures at that moment. Append-only: the
    database refuses updates and deletes."""

    __tablename__ = "statement_events"

    seq: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    acknowledgement_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("statement_acknowledgements.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10))
    actor: Mapped[str] = mapped_column(String(100))
    actor_kind: Mapped[str] = mapped_column(String(10))  # customer | staff
    note: Mapped[str | None] = mapped_column(Text)
    opening_balance: Mapped[Decimal] = mapped_column(MONEY)
    closing_balance: Mapped[Decimal] = mapped_column(MONEY)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                  server_default=func.now())


class AnomalyFollowUp(Base):
    """What staff did about a customer that missed its ordering cycle (A-3, B-6): one row
    per step, never changed. `due_date` is the ordering date the customer missed when the
    step was recorded, so a later miss starts a fresh log."""

    __tablename__ = "anomaly_follow_ups"
    __table_args__ = (
        CheckConstraint("status IN ('contacted','will_order','lost','resolved')",
                        name="status"),
        Index("ix_anomaly_follow_ups_customer", "customer_id", "recorded_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True,
                                          default=uuid.uuid4)
    customer_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                  server_default=func.now())


class AnomalySnapshot(Base):
    """How many customers were past their ordering cycle on a business day, per area
    (A-3 over time, X-4): written once a day by the analysis task (analysis/tasks.py);
    `area` '' stands for customers without an area."""

    __tablename__ = "anomaly_snapshots"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    area: Mapped[str] = mapped_column(String(100), primary_key=True)
    customers: Mapped[int] = mapped_column(Integer)


# ---------------------------------------------------------------------------------------
# Daily rollups of the analysis (issue 13: A-2, X-4; docs/architecture.md, "Analysis at
# scale"), kept by the triggers of migration b9c1d3e5f848 in the same transaction as the
# orders, lines, customer areas and catalogue categories they sum: each change appends
# signed rows (`pending`), folded now and then into one row per key; a reader sums every
# row of a key (and leaves out keys that sum to nothing). `area` '' stands for customers
# without an area (or not in the read model); `category` is the customer's catalogue
# category, 'consumable' when it has none (as `analysis.repository._consumable`).

# Orders per day, area and status: count, total, payable (total less points), paid,
# quantity.
analysis_order_days = Table(
    "analysis_order_days", Base.metadata,
    Column("day", Date, nullable=False),
    Column("area", String(100), nullable=False),
    Column("status", String(30), nullable=False),
    Column("orders", Integer, nullable=False),
    Column("amount", MONEY, nullable=False),
    Column("payable", MONEY, nullable=False),
    Column("paid", MONEY, nullable=False),
    Column("quantity", BigInteger, nullable=False),
    Column("pending", Boolean, nullable=False),
    Index("ix_analysis_order_days_day", "day", "area", "status",
          postgresql_include=["orders", "amount", "payable", "paid", "quantity"]),
    Index("ix_analysis_order_days_area", "area", "day",
          postgresql_include=["status", "orders", "amount", "payable", "paid", "quantity"]),
    Index("ix_analysis_order_days_pending", "day", postgresql_where=text("pending")),
)

# Lines of counted orders (not cancelled or rejected) per day, category, model and name,
# every area together: lines, quantity, amount.
analysis_line_days = Table(
    "analysis_line_days", Base.metadata,
    Column("day", Date, nullable=False),
    Column("category", String(20), nullable=False),
    Column("model", String(200), nullable=False),
    Column("name", String(200), nullable=False),
    Column("lines", Integer, nullable=False),
    Column("quantity", BigInteger, nullable=False),
    Column("amount", MONEY, nullable=False),
    Column("pending", Boolean, nullable=False),
    Index("ix_analysis_line_days_day", "day", "category", "model", "name",
          postgresql_include=["lines", "quantity", "amount"]),
    Index("ix_analysis_line_days_pending", "day", postgresql_where=text("pending")),
)

# The same per area, for staff bound to areas (C-7).
analysis_line_area_days = Table(
    "analysis_line_area_days", Base.metadata,
    Column("day", Date, nullable=False),
    Column("area", String(100), nullable=False),
    Column("category", String(20), nullable=False),
    Column("model", String(200), nullable=False),
    Column("name", String(200), nullable=False),
    Column("lines", Integer, nullable=False),
    Column("quantity", BigInteger, nullable=False),
    Column("amount", MONEY, nullable=False),
    Column("pending", Boolean, nullable=False),
    Index("ix_analysis_line_area_days_area", "area", "day", "category", "model", "name",
          postgresql_include=["lines", "quantity", "amount"]),
    Index("ix_analysis_line_area_days_pending", "day", postgresql_where=text("pending")),
)
