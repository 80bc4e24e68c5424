"""The points service's table: the ledger of points entries, one per order (P-1, P-2)."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from servicekit.timeutil import utcnow
from sqlalchemy import CheckConstraint, DateTime, Integer, Numeric, String, func
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from .db import Base

MONEY = Numeric(14, 2)


class PointsEntry(Base):
    """Points earned on one order: pending until the order is paid, then effective;
    cancelled if the order is rejected first. A zero-point cancelled entry only marks
    an order rejected before its order.submitted arrived, so that it earns nothing."""

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
    points: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    # P-3: which version of the earning rule produced the entry.
    rule_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 default=utcnow, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now(), onupdate=utcnow)
    effective_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
