"""All SQL of payments: the ledger's rows (O-6) and online payment intents (B-2)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import OrderReturn, Payment, PaymentIntent, PaymentReversal, Refund


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


class LedgerRepository:
    """An order's payments, reversals and refunds, and the approved returns' refunds."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, row: Payment | PaymentReversal | Refund) -> None:
        self.session.add(row)

    async def payments(self, order_id: uuid.UUID) -> list[Payment]:
        return list((await self.session.scalars(
            select(Payment).where(Payment.order_id == order_id)
            .order_by(Payment.created_at, Payment.id)
            .execution_options(populate_existing=True))).all())

    async def payment(self, order_id: uuid.UUID, payment_id: uuid.UUID) -> Payment | None:
        return (await self.session.scalars(select(Payment).where(
            Payment.id == payment_id, Payment.order_id == order_id)
            .execution_options(populate_existing=True))).first()

    async def reversals(self, order_id: uuid.UUID) -> list[PaymentReversal]:
        return list((await self.session.scalars(
            select(PaymentReversal).where(PaymentReversal.order_id == order_id)
            .order_by(PaymentReversal.requested_at, PaymentReversal.id))).all())

    async def pending_reversal(self, payment_id: uuid.UUID) -> PaymentReversal | None:
        return (await self.session.scalars(select(PaymentReversal).where(
            PaymentReversal.payment_id == payment_id,
            PaymentReversal.status == "pending"))).first()

    async def refunds(self, order_id: uuid.UUID) -> list[Refund]:
        return list((await self.session.scalars(
            select(Refund).where(Refund.order_id == order_id)
            .order_by(Refund.created_at, Refund.id))).all())

    async def approved_return_refunds(self, order_id: uuid.UUID) -> Decimal:
        return (await self.session.execute(
            select(func.coalesce(func.sum(OrderReturn.refund_amount), 0)).where(
                OrderReturn.order_id == order_id, OrderReturn.status == "approved"))
        ).scalar_one()
