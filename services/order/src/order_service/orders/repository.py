"""All SQL of orders."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from ..models import Order, OrderNumberCounter


class OrderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def next_sequence(self, day: date) -> int:
        """The day's next number; the row lock serialises concurrent submissions."""
        stmt = (
            insert(OrderNumberCounter).values(day=day, last=1)
            .on_conflict_do_update(index_elements=["day"],
                                   set_={"last": OrderNumberCounter.last + 1})
            .returning(OrderNumberCounter.last)
        )
        return (await self.session.execute(stmt)).scalar_one()

    def add(self, order: Order) -> None:
        self.session.add(order)

    async def get(self, order_id: uuid.UUID, *, for_update: bool = False,
                  customer_id: uuid.UUID | None = None) -> Order | None:
        stmt = select(Order).where(Order.id == order_id).options(
            selectinload(Order.lines), selectinload(Order.payments))
        if customer_id is not None:
            stmt = stmt.where(Order.customer_id == customer_id)
        if for_update:
            stmt = stmt.with_for_update(of=Order)
        return (await self.session.scalars(stmt)).first()

    async def get_many_for_update(self, ids: list[uuid.UUID]) -> list[Order]:
        stmt = (select(Order).where(Order.id.in_(ids)).order_by(Order.id)
                .with_for_update())
        return list((await self.session.scalars(stmt)).all())

    async def list(self, *, customer_id: uuid.UUID | None = None, status: str | None = None,
                   limit: int = 50, offset: int = 0) -> tuple[list[Order], int]:
        stmt = select(Order)
        if customer_id is not None:
            stmt = stmt.where(Order.customer_id == customer_id)
        if status is not None:
            stmt = stmt.where(Order.status == status)
        total = (await self.session.execute(
            select(func.count()).select_from(stmt.subquery()))).scalar_one()
        rows = (await self.session.scalars(
            stmt.order_by(Order.created_at.desc(), Order.number.desc())
            .limit(limit).offset(offset))).all()
        return list(rows), total

    async def mark_invoiced(self, order_ids: list[uuid.UUID], customer_id: uuid.UUID) -> int:
        orders = (await self.session.scalars(
            select(Order).where(Order.id.in_(order_ids), Order.customer_id == customer_id)
            .with_for_update())).all()
        for o in orders:
            o.invoiced = True
        return len(orders)
