"""Points queries (P-1). Earning happens in the event handlers; redemption is a later
issue, so nothing is redeemed yet."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from ..models import PointsEntry
from . import domain
from .repository import PointsRepository


class PointsService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.points = PointsRepository(session)

    async def balance(self, customer_id: uuid.UUID) -> domain.Balance:
        return domain.balance(await self.points.points_by_status(customer_id), redeemed=0)

    async def records(self, customer_id: uuid.UUID, *, limit: int,
                      offset: int) -> tuple[list[PointsEntry], int]:
        return await self.points.records(customer_id, limit=limit, offset=offset)
