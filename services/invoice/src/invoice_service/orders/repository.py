"""All SQL of the invoiceable-orders read model."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime
from decimal import Decimal

from servicekit.timeutil import utcnow
from servicekit.upsert import insert
from sqlalchemy import bindparam, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import InvoiceableOrder, InvoiceOrder, OrderRefund


def _upsert_submitted():
    stmt = insert(InvoiceableOrder).values(
        order_id=bindparam("order_id"), customer_id=bindparam("customer_id"),
        customer_name=bindparam("customer_name"), number=bindparam("number"),
        total=bindparam("total"), bill_type=bindparam("bill_type"), status="submitted")
    return stmt.on_conflict_do_update(
        index_elements=["order_id"],
        set_={"customer_name": stmt.excluded.customer_name, "number": stmt.excluded.number,
              "total": stmt.excluded.total, "bill_type": stmt.excluded.bill_type,
              "updated_at": bindparam("p_updated_at",
                                      type_=InvoiceableOrder.updated_at.type)})


# Built once (issue 16: every order.submitted): the cache key is computed once and the
# order's values are parameters.
_UPSERT_SUBMITTED = _upsert_submitted()


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
        await self.session.execute(_UPSERT_SUBMITTED, {
            "order_id": order_id, "customer_id": customer_id,
            "customer_name": customer_name, "number": number, "total": total,
            "bill_type": bill_type, "p_updated_at": utcnow()})

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
                                numbers: Collection[str],
                                lock: bool = True) -> list[InvoiceableOrder]:
        """The customer's own orders among those named, locked (unless `lock` is false)
        so that two requests for the same order are serialised."""
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
                .execution_options(populate_existing=True))
        if lock:
            stmt = stmt.with_for_update()
        return list((await self.session.scalars(stmt)).all())

    async def add_refund(self, *, return_id: uuid.UUID, order_id: uuid.UUID,
                         customer_id: uuid.UUID, number: str, refund_amount: Decimal,
                         decided_at: datetime) -> bool:
        """An approved return's refund (O-9) counts against the order once; False when
        this return was counted already. A return is approved only for a reviewed order:
        a placeholder row (no total yet) is approved."""
        added = await self.session.execute(
            insert(OrderRefund).values(return_id=return_id, order_id=order_id,
                                       refund_amount=refund_amount, decided_at=decided_at)
            .on_conflict_do_nothing(index_elements=["return_id"])
            .returning(OrderRefund.return_id))
        if added.first() is None:
            return False
        stmt = insert(InvoiceableOrder).values(
            order_id=order_id, customer_id=customer_id, number=number, status="approved",
            refund_amount=refund_amount)
        await self.session.execute(stmt.on_conflict_do_update(
            index_elements=["order_id"],
            set_={"refund_amount": InvoiceableOrder.refund_amount + stmt.excluded.refund_amount,
                  "updated_at": utcnow()}))
        return True

    async def invoiceable(self, customer_id: uuid.UUID, *, limit: int = 50,
                          offset: int = 0) -> tuple[list[InvoiceableOrder], int]:
        """The customer's orders it may put on an invoice request now: approved, total
        known, something left after refunds, not on an active invoice; newest first."""
        stmt = select(InvoiceableOrder).where(
            InvoiceableOrder.customer_id == customer_id,
            InvoiceableOrder.status == "approved",
            InvoiceableOrder.total.is_not(None),
            InvoiceableOrder.total > InvoiceableOrder.refund_amount,
            ~exists().where(InvoiceOrder.order_id == InvoiceableOrder.order_id,
                            InvoiceOrder.active))
        total = (await self.session.execute(
            select(func.count()).select_from(stmt.subquery()))).scalar_one()
        rows = (await self.session.scalars(
            stmt.order_by(InvoiceableOrder.created_at.desc(), InvoiceableOrder.number.desc())
            .limit(limit).offset(offset))).all()
        return list(rows), total
