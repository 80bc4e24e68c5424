"""All SQL of the points ledger."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import PointsEntry


class PointsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_by_order(self, order_id: uuid.UUID, *,
                           for_update: bool = False) -> PointsEntry | None:
        stmt = select(PointsEntry).where(PointsEntry.order_id == order_id)
        if for_update:
            stmt = stmt.with_for_update()
        return (await self.session.scalars(stmt)).first()

    async def create_if_absent(self, *, customer_id: uuid.UUID, order_id: uuid.UUID,
                               order_number: str | None, order_total: Decimal | None,
                               points: int, status: str, rule_version: int,
                               effective_at: datetime | None = None,
                               cancelled_at: datetime | None = None) -> bool:
        """Insert the order's entry unless it has one; True when inserted."""
        stmt = (insert(PointsEntry).values(
            id=uuid.uuid4(), customer_id=customer_id, order_id=order_id,
            order_number=order_number, order_total=order_total, points=points,
            status=status, rule_version=rule_version, effective_at=effective_at,
            cancelled_at=cancelled_at)
            .on_conflict_do_nothing(index_elements=["order_id"])
            .returning(PointsEntry.id))
        return (await self.session.execute(stmt)).first() is not None

    async def points_by_status(self, customer_id: uuid.UUID) -> dict[str, int]:
        rows = await self.session.execute(
            select(PointsEntry.status, func.coalesce(func.sum(PointsEntry.points), 0))
            .where(PointsEntry.customer_id == customer_id)
            .group_by(PointsEntry.status))
        return {status: int(total) for status, total in rows}

    async def records(self, customer_id: uuid.UUID, *, limit: int = 50,
                      offset: int = 0) -> tuple[list[PointsEntry], int]:
        """The customer's entries, newest first; zero-point markers are not movements."""
        stmt = select(PointsEntry).where(PointsEntry.customer_id == customer_id,
                                         PointsEntry.points > 0)
        total = (await self.session.execute(
            select(func.count()).select_from(stmt.subquery()))).scalar_one()
        rows = (await self.session.scalars(
            stmt.order_by(PointsEntry.created_at.desc(), PointsEntry.id)
            .limit(limit).offset(offset))).all()
        return list(rows), total
