"""All SQL of invoices."""

from __future__ import annotations

import uuid
from collections.abc import Collection

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from ..models import Invoice, InvoiceOrder


class InvoiceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, invoice: Invoice) -> None:
        self.session.add(invoice)

    async def get(self, invoice_id: uuid.UUID, *, customer_id: uuid.UUID | None = None,
                  for_update: bool = False) -> Invoice | None:
        stmt = select(Invoice).where(Invoice.id == invoice_id).options(
            selectinload(Invoice.orders))
        if customer_id is not None:
            stmt = stmt.where(Invoice.customer_id == customer_id)
        if for_update:
            stmt = stmt.with_for_update(of=Invoice)
        return (await self.session.scalars(stmt)).first()

    async def active_invoices_of(self, order_ids: Collection[uuid.UUID]) -> dict[uuid.UUID,
                                                                               uuid.UUID]:
        """order id → the active invoice that already covers it."""
        if not order_ids:
            return {}
        rows = await self.session.execute(
            select(InvoiceOrder.order_id, InvoiceOrder.invoice_id)
            .where(InvoiceOrder.order_id.in_(list(order_ids)), InvoiceOrder.active))
        return {r.order_id: r.invoice_id for r in rows}

    async def invoice_number_taken(self, invoice_number: str) -> bool:
        stmt = select(Invoice.id).where(Invoice.invoice_number == invoice_number).limit(1)
        return (await self.session.scalars(stmt)).first() is not None

    async def list(self, *, customer_id: uuid.UUID | None = None, status: str | None = None,
                   limit: int = 50, offset: int = 0) -> tuple[list[Invoice], int]:
        stmt = select(Invoice)
        if customer_id is not None:
            stmt = stmt.where(Invoice.customer_id == customer_id)
        if status is not None:
            stmt = stmt.where(Invoice.status == status)
        total = (await self.session.execute(
            select(func.count()).select_from(stmt.subquery()))).scalar_one()
        rows = (await self.session.scalars(
            stmt.options(selectinload(Invoice.orders))
            .order_by(Invoice.created_at.desc(), Invoice.id)
            .limit(limit).offset(offset))).all()
        return list(rows), total
