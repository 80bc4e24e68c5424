"""All SQL of returns."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from ..models import Order, OrderReturn
from ..orders.repository import in_areas


class ReturnRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, r: OrderReturn) -> None:
        self.session.add(r)

    async def get(self, return_id: uuid.UUID, *, customer_id: uuid.UUID | None = None,
                  areas: frozenset[str] = frozenset(),
                  for_update: bool = False) -> OrderReturn | None:
        stmt = (select(OrderReturn).where(OrderReturn.id == return_id)
                .options(selectinload(OrderReturn.lines), selectinload(OrderReturn.order))
                .execution_options(populate_existing=True))
        if customer_id is not None:
            stmt = stmt.where(OrderReturn.customer_id == customer_id)
        if areas:
            stmt = stmt.where(OrderReturn.order_id.in_(
                select(Order.id).where(in_areas(areas))))
        if for_update:
            stmt = stmt.with_for_update(of=OrderReturn)
        return (await self.session.scalars(stmt)).first()

    async def list(self, *, customer_id: uuid.UUID | None = None,
                   order_id: uuid.UUID | None = None, status: str | None = None,
                   areas: frozenset[str] = frozenset(), limit: int = 50,
                   offset: int = 0) -> tuple[list[OrderReturn], int]:
        stmt = select(OrderReturn)
        if customer_id is not None:
            stmt = stmt.where(OrderReturn.customer_id == customer_id)
        if order_id is not None:
            stmt = stmt.where(OrderReturn.order_id == order_id)
        if status is not None:
            stmt = stmt.where(OrderReturn.status == status)
        if areas:
            stmt = stmt.where(OrderReturn.order_id.in_(select(Order.id).where(in_areas(areas))))
        total = (await self.session.execute(
            select(func.count()).select_from(stmt.subquery()))).scalar_one()
        rows = (await self.session.scalars(
            stmt.options(selectinload(OrderReturn.lines), selectinload(OrderReturn.order))
            .order_by(OrderReturn.created_at.desc(), OrderReturn.id)
            .limit(limit).offset(offset))).all()
        return list(rows), total
