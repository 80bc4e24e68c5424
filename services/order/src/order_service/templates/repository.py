"""All SQL of order templates."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import OrderTemplate


class TemplateRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, t: OrderTemplate) -> None:
        self.session.add(t)

    async def get(self, template_id: uuid.UUID, customer_id: uuid.UUID) -> OrderTemplate | None:
        return (await self.session.scalars(select(OrderTemplate).where(
            OrderTemplate.id == template_id, OrderTemplate.customer_id == customer_id))).first()

    async def by_name(self, customer_id: uuid.UUID, name: str) -> OrderTemplate | None:
        return (await self.session.scalars(select(OrderTemplate).where(
            OrderTemplate.customer_id == customer_id, OrderTemplate.name == name))).first()

    async def count(self, customer_id: uuid.UUID) -> int:
        return (await self.session.execute(select(func.count()).where(
            OrderTemplate.customer_id == customer_id))).scalar_one()

    async def list(self, customer_id: uuid.UUID) -> list[OrderTemplate]:
        return list((await self.session.scalars(
            select(OrderTemplate).where(OrderTemplate.customer_id == customer_id)
            .order_by(OrderTemplate.name))).all())

    async def delete(self, t: OrderTemplate) -> None:
        await self.session.delete(t)
        await self.session.flush()
