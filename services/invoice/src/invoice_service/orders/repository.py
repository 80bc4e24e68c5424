"""All SQL of the invoiceable-orders read model."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from decimal import Decimal

from servicekit.timeutil import utcnow
from sqlalchemy import or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import InvoiceableOrder


class InvoiceableOrderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, order_id: uuid.UUID) -> InvoiceableOrder | None:
        return await self.session.get(InvoiceableOrder, order_id)

    async def upsert_submitted(self, *, order_id: uuid.UUID, customer_id: uuid.UUID,
                               customer_name: str, number: str, total: Decimal,
                               bill_type: str) -> None:
        """Record a submitted order. When a review event got here first the row exists
        already: fill in what only order.submitted carries and keep the reviewed status."""
        values = {"order_id": order_id, "customer_id": customer_id,
                  "customer_name": customer_name, "number": number, "total": total,
                  "bill_type": bill_type, "status": "submitted"}
        stmt = insert(InvoiceableOrder).values(**values)
        await self.session.execute(stmt.on_conflict_do_update(
            index_elements=["order_id"],
            set_={"customer_name": stmt.excluded.customer_name, "number": stmt.excluded.number,
                  "total": stmt.excluded.total, "bill_type": stmt.excluded.bill_type,
                  "updated_at": utcnow()}))

    async def update_content(self, *, order_id: uuid.UUID, customer_id: uuid.UUID,
                             customer_name: str, number: str, total: Decimal,
                             bill_type: str) -> None:
        """The customer modified its unreviewed order (O-4): the new total and bill choice.
        An invoice already requested for it keeps its amount; finance see it."""
        values = {"order_id": order_id, "customer_id": customer_id,
                  "customer_name": customer_name, "number": number, "total": total,
                  "bill_type": bill_type, "status": "submitted"}
        stmt = insert(InvoiceableOrder).values(**values)
        await self.session.execute(stmt.on_conflict_do_update(
            index_elements=["order_id"],
            set_={"total": stmt.excluded.total, "bill_type": stmt.excluded.bill_type,
                  "updated_at": utcnow()}))

    async def set_status(self, *, order_id: uuid.UUID, customer_id: uuid.UUID, number: str,
                         status: str) -> None:
        """The order was reviewed; create a placeholder row (no total yet) if the review
        overtook order.submitted."""
        stmt = insert(InvoiceableOrder).values(
            order_id=order_id, customer_id=customer_id, number=number, status=status)
        await self.session.execute(stmt.on_conflict_do_update(
            index_elements=["order_id"],
            set_={"status": stmt.excluded.status, "updated_at": utcnow()}))

    async def find_for_customer(self, customer_id: uuid.UUID, *,
                                order_ids: Collection[uuid.UUID],
                                numbers: Collection[str]) -> list[InvoiceableOrder]:
        """The customer's own orders among those named, locked so that two requests for
        the same order are serialised."""
        conds = []
        if order_ids:
            conds.append(InvoiceableOrder.order_id.in_(list(order_ids)))
        if numbers:
            conds.append(InvoiceableOrder.number.in_(list(numbers)))
        if not conds:
            return []
        stmt = (select(InvoiceableOrder)
                .where(InvoiceableOrder.customer_id == customer_id, or_(*conds))
                .order_by(InvoiceableOrder.order_id)
                .with_for_update()
                .execution_options(populate_existing=True))
        return list((await self.session.scalars(stmt)).all())
