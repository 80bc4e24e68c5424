"""SQL of the order's side of points redemption: the read model of the customers' points
and the orders still waiting for the points service's answer."""

from __future__ import annotations

import uuid
from datetime import datetime

from servicekit.upsert import insert
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import Order, PointsBalanceView
from .domain import PointsStatus


class RedemptionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def lock_balance(self, customer_id: uuid.UUID) -> PointsBalanceView | None:
        """The customer's points as last announced, locked: one submission at a time
        counts on them."""
        return (await self.session.scalars(
            select(PointsBalanceView).where(PointsBalanceView.customer_id == customer_id)
            .with_for_update().execution_options(populate_existing=True))).first()

    async def set_balance(self, *, customer_id: uuid.UUID, total: int, remaining: int,
                          threshold: int, can_redeem: bool, as_of: datetime) -> None:
        """Take an announcement unless a newer one is already known."""
        values = {"total": total, "remaining": remaining, "threshold": threshold,
                  "can_redeem": can_redeem, "as_of": as_of}
        stmt = insert(PointsBalanceView).values(customer_id=customer_id, **values)
        await self.session.execute(stmt.on_conflict_do_update(
            index_elements=["customer_id"], set_=values,
            where=PointsBalanceView.as_of < stmt.excluded.as_of))

    async def waiting_since(self, cutoff: datetime, limit: int = 500) -> list[Order]:
        """Orders still waiting for the points service's answer, submitted before
        `cutoff`, locked; a concurrent run skips them."""
        return list((await self.session.scalars(
            select(Order).where(Order.points_status == PointsStatus.REQUESTED.value,
                                Order.created_at < cutoff)
            .order_by(Order.created_at).limit(limit)
            .with_for_update(skip_locked=True)
            .execution_options(populate_existing=True))).all())
