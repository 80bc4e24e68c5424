"""All SQL of online payment intents (B-2)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import PaymentIntent


class IntentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, intent: PaymentIntent) -> None:
        self.session.add(intent)

    async def get(self, intent_id: uuid.UUID, *, order_id: uuid.UUID,
                  customer_id: uuid.UUID) -> PaymentIntent | None:
        """One intent of the customer's order (another customer's is None: a 404)."""
        return (await self.session.scalars(select(PaymentIntent).where(
            PaymentIntent.id == intent_id, PaymentIntent.order_id == order_id,
            PaymentIntent.customer_id == customer_id))).first()

    async def by_out_trade_no(self, out_trade_no: str, *,
                              for_update: bool = False) -> PaymentIntent | None:
        stmt = select(PaymentIntent).where(PaymentIntent.out_trade_no == out_trade_no)
        if for_update:
            stmt = stmt.with_for_update()
        stmt = stmt.execution_options(populate_existing=True)
        return (await self.session.scalars(stmt)).first()

    async def open_of(self, order_id: uuid.UUID) -> list[PaymentIntent]:
        """The order's intents still `created`, newest first."""
        return list((await self.session.scalars(
            select(PaymentIntent)
            .where(PaymentIntent.order_id == order_id, PaymentIntent.status == "created")
            .order_by(PaymentIntent.created_at.desc()))).all())
