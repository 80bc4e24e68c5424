"""The points service's tables (P-1..P-3).

- `points_movements` is the ledger: every change of a customer's points is one signed,
  append-only row; balances are sums over it (never stored twice).
- `points_entries` is each order's points position (what it earned, what is left after
  returns, pending or effective): the state the order events move; every change of it
  writes a movement.
- `rule_versions`, `event_months`, `points_description`: the programme staff announce.
- `points_accounts` holds what each customer can still spend (`available`) under a
  CHECK that it never goes below zero: reservations and staff deductions take from it with
  a conditional update, so two redemptions at once can never overdraw (P-2). Points taken
  back after they were spent (a return of an order whose points were redeemed) become
  `owed`, paid back first from the next points that take effect.
- `points_redemptions` is the points side of the redemption saga: one row per order that
  asked for points (reserved → held → redeemed, or released / refused).
- `customer_view`, `product_categories`: read models fed by the customer service's events
  (who sees which customer, C-7; which products are consumables, P-2).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from servicekit.timeutil import utcnow
from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from .db import Base

MONEY = Numeric(14, 2)

MOVEMENT_KINDS = ("earned", "effective", "reversed", "adjusted", "unpaid",
                  # redemption (issue 11 phase 2): the ledger already accepts them
                  "reserved", "redeemed", "released")


class PointsEntry(Base):
    """Points of one order: pending until the order is paid, then effective; reduced by
    approved returns; cancelled when the order is rejected or cancelled. A zero-point
    cancelled entry only marks an order cancelled before its order.submitted arrived, so
    that it earns nothing."""

    __tablename__ = "points_entries"
    __table_args__ = (
        CheckConstraint("points >= 0", name="points_non_negative"),
        CheckConstraint("status IN ('pending','effective','cancelled')", name="status"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True,
                                          default=uuid.uuid4)
    customer_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    order_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), unique=True)
    order_number: Mapped[str | None] = mapped_column(String(30))
    order_total: Mapped[Decimal | None] = mapped_column(MONEY)
    # P-2: the part of the order that earns points (its consumable lines), and what of it
    # was returned since.
    earning_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    returned_amount: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"),
                                                     server_default="0")
    points: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    # P-2: points the order paid with; they are not spending, so they earn nothing.
    points_used: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # P-3: the rule version in force on the day the order was placed.
    rule_version: Mapped[int] = mapped_column(Integer, default=1)
    placed_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 default=utcnow, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now(), onupdate=utcnow)
    effective_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PointsMovement(Base):
    """One signed movement of the ledger (P-1). `points` is what the customer sees (+40
    earned, −10 reversed); the deltas say which balance it moves: earned points are
    pending, made effective move pending → total, a reversal takes from whichever the
    order's points were in, a staff adjustment changes the total."""

    __tablename__ = "points_movements"
    __table_args__ = (
        CheckConstraint("kind IN (" + ",".join(f"'{k}'" for k in MOVEMENT_KINDS) + ")",
                        name="kind"),
        CheckConstraint("kind <> 'adjusted' OR (reason IS NOT NULL AND actor IS NOT NULL)",
                        name="adjustment_has_reason"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True,
                                          default=uuid.uuid4)
    customer_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    points: Mapped[int] = mapped_column(Integer)
    pending_delta: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    effective_delta: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    reserved_delta: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    redeemed_delta: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    order_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), index=True)
    order_number: Mapped[str | None] = mapped_column(String(30))
    # What else the movement concerns: a return (its id), later a repair.
    reference: Mapped[str | None] = mapped_column(String(60))
    rule_version: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 server_default=func.now(), index=True)


class PointsAccount(Base):
    """What a customer can still spend, kept with every movement (P-2). Invariant:
    available − owed = total − redeemed − reserved of the ledger."""

    __tablename__ = "points_accounts"
    __table_args__ = (
        CheckConstraint("available >= 0", name="available_non_negative"),
        CheckConstraint("owed >= 0", name="owed_non_negative"),
    )

    customer_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    available: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    owed: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 server_default=func.now())
    # When the balances were last announced (points.balance_changed); NULL: never, so the
    # backfill job announces them (accounts that existed before the order service kept a
    # read model of balances).
    announced_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


REDEMPTION_STATUSES = ("reserved", "held", "redeemed", "released", "refused")


class PointsRedemption(Base):
    """Points an order asked to pay with (P-2), the points side of the saga: `reserved`
    (set aside, waiting for the order's confirmation until `expires_at`), `held`
    (confirmed: until the order is approved, cancelled or rejected), `redeemed` (spent),
    `released` (given back, `reason` says why) or `refused` (never set aside)."""

    __tablename__ = "points_redemptions"
    __table_args__ = (
        CheckConstraint("points > 0", name="points_positive"),
        CheckConstraint("status IN (" + ",".join(f"'{s}'" for s in REDEMPTION_STATUSES)
                        + ")", name="status"),
        CheckConstraint("subject IN ('order','repair')", name="subject"),
        Index("ix_points_redemptions_expiring", "expires_at",
              postgresql_where=text("status = 'reserved'")),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True,
                                          default=uuid.uuid4)
    customer_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    # What the points pay for: an order, or a repair charge of the service desk (S-3),
    # whose maintenance record's id is then in `order_id`.
    subject: Mapped[str] = mapped_column(String(10), default="order", server_default="order")
    order_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), unique=True)
    order_number: Mapped[str | None] = mapped_column(String(30))
    points: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(30))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 server_default=func.now())


class RuleVersion(Base):
    """A version of the points rules (P-3), announced at least a calendar month before
    `effective_from`. Version 1 (20 yuan = 1 point, 100 to redeem) always applied."""

    __tablename__ = "rule_versions"
    __table_args__ = (
        CheckConstraint("yuan_per_point > 0", name="yuan_per_point_positive"),
        CheckConstraint("redeem_threshold >= 0", name="threshold_non_negative"),
    )

    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    yuan_per_point: Mapped[Decimal] = mapped_column(MONEY)
    redeem_threshold: Mapped[int] = mapped_column(Integer)
    effective_from: Mapped[date] = mapped_column(Date, unique=True)
    announced_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                   server_default=func.now())
    announced_by: Mapped[str] = mapped_column(String(120))


class EventMonth(Base):
    """A month in which orders earn no points (P-2), announced like a rule (P-3)."""

    __tablename__ = "event_months"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # "2026-12"
    announced_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                   server_default=func.now())
    announced_by: Mapped[str] = mapped_column(String(120))


class PointsDescription(Base):
    """The points description staff write for the portal's points page (P-1); one row."""

    __tablename__ = "points_description"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    content: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 server_default=func.now())
    updated_by: Mapped[str] = mapped_column(String(120))


class CustomerView(Base):
    """Customers as the customer service announces them: the console's customer picker
    and the staff's areas (C-7)."""

    __tablename__ = "customer_view"

    customer_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    customer_number: Mapped[str | None] = mapped_column(String(30))
    company_name: Mapped[str] = mapped_column(String(200))
    area: Mapped[str | None] = mapped_column(String(60))
    # The time of the customer event last applied to these fields: an older one arriving
    # late changes nothing known (servicekit.readmodel.upsert_newer_wins, X-2); None in
    # rows from before it was kept.
    profile_as_of: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ProductCategory(Base):
    """Which category each product of the master has (P-2: consumables earn points)."""

    __tablename__ = "product_categories"

    product_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    category: Mapped[str] = mapped_column(String(20))
