"""The SQL of the order query (A-1): the order lists' filters (`apply_filter`: statuses,
period, amount range, paid / unpaid / overdue, the staff member's areas, C-7) plus the
customer read model's area, grade, machines and cycle, payment methods and product
models; a page, the totals over every match, and the rows of the export."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, case, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import CustomerView, Order, OrderLine, Payment
from ..orders.domain import NOT_OWED
from ..orders.repository import apply_filter, overdue
from .query_domain import (
    NOT_BUSINESS,
    WEEK,
    OrderQuery,
    Totals,
    like_pattern,
    looks_like_order_number,
)

# `query_domain.cycle_length` in SQL: every N days is N, weekly is 7, no cycle NULL.
CYCLE_LENGTH = case((CustomerView.cycle_kind == "days", CustomerView.cycle_days),
                    (CustomerView.cycle_kind == "weekday", WEEK), else_=None)
SORT_KEYS: dict[str, ColumnElement[Any]] = {
    "amount": Order.total,
    "machines": func.coalesce(CustomerView.machine_count, 0),
    "cycle": CYCLE_LENGTH,
    "date": Order.order_date,
}



# What is still owed (orders.domain.amount_outstanding): nothing on a rejected or
# cancelled order, whatever was paid on it (that is refunded, never asked for; issue 15).
OUTSTANDING = case((Order.status.in_([str(s.value) for s in NOT_OWED]), 0),
                   else_=Order.payable - Order.paid_total)

def _methods() -> ColumnElement[Any]:
    """The distinct methods of the order's payments that were not reversed."""
    return (select(func.array_agg(func.distinct(Payment.method)))
            .where(Payment.order_id == Order.id, Payment.reversed_by.is_(None))
            .scalar_subquery())


def _columns(q: OrderQuery) -> list[Any]:
    assert q.today is not None
    return [
        Order.id, Order.number, Order.order_date, Order.status, Order.customer_id,
        CustomerView.customer_number,
        func.coalesce(CustomerView.name, Order.customer_name).label("customer_name"),
        CustomerView.area, CustomerView.grade,
        func.coalesce(CustomerView.machine_count, 0).label("machine_count"),
        CustomerView.cycle_kind, CustomerView.cycle_days, CustomerView.cycle_weekday,
        CYCLE_LENGTH.label("cycle_length"), Order.total_quantity, Order.total,
        Order.payable.label("payable"), Order.paid_total,
        OUTSTANDING.label("outstanding"), Order.due_date,
        overdue(q.today).label("overdue"), _methods().label("payment_methods"),
    ]


def matching(stmt: Select, q: OrderQuery) -> Select:
    """`stmt` (over orders joined to their customers) limited to the query's orders."""
    stmt = apply_filter(stmt, q.order_filter())
    if q.excludes_not_business:
        stmt = stmt.where(Order.status.not_in(NOT_BUSINESS))
    if q.customer_ids:
        stmt = stmt.where(Order.customer_id.in_(q.customer_ids))
    if q.q and looks_like_order_number(q.q):
        stmt = stmt.where(Order.number == q.q.upper())  # its unique index
    elif q.q:
        # The customers first: thousands of rows, not millions of orders.
        like = like_pattern(q.q)
        stmt = stmt.where(Order.customer_id.in_(select(CustomerView.customer_id).where(or_(
            CustomerView.name.ilike(like), CustomerView.customer_number.ilike(like)))))
    if q.areas:
        stmt = stmt.where(CustomerView.area.in_(q.areas))
    if q.grades:
        stmt = stmt.where(CustomerView.grade.in_(q.grades))
    if q.payment_methods:
        stmt = stmt.where(exists().where(
            Payment.order_id == Order.id, Payment.reversed_by.is_(None),
            Payment.method.in_(q.payment_methods)))
    if q.model:
        stmt = stmt.where(exists().where(
            OrderLine.order_id == Order.id,
            func.lower(OrderLine.model) == q.model.lower()))
    return stmt


def _joined(*columns: Any) -> Select:
    return select(*columns).select_from(Order).outerjoin(
        CustomerView, CustomerView.customer_id == Order.customer_id)


def ordering(sort: str, direction: str) -> list[Any]:
    """The sort key, then the number the same way round so that equal keys keep a stable
    order across pages. Customers without a cycle come last either way; the other keys
    are never NULL (no NULLS LAST, so that the date sort can walk its index)."""
    key = SORT_KEYS[sort]
    if direction == "desc":
        first = key.desc().nulls_last() if sort == "cycle" else key.desc()
        return [first, Order.number.desc()]
    return [key.asc().nulls_last() if sort == "cycle" else key.asc(), Order.number.asc()]


class OrderQueryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def totals(self, q: OrderQuery) -> Totals:
        zero = 0
        stmt = matching(_joined(
            func.count(),
            func.coalesce(func.sum(Order.total), zero),
            func.coalesce(func.sum(Order.payable), zero),
            func.coalesce(func.sum(Order.paid_total), zero),
            func.coalesce(func.sum(OUTSTANDING), zero),
            func.coalesce(func.sum(Order.total_quantity), zero)), q)
        count, amount, payable, paid, outstanding, quantity = (
            await self.session.execute(stmt)).one()
        return Totals(count=count, amount=amount, payable=payable, paid=paid,
                      outstanding=outstanding, quantity=int(quantity))

    async def page(self, q: OrderQuery, *, sort: str, direction: str, limit: int,
                   offset: int) -> list[Any]:
        """One page: the ids first (narrow rows, so the database keeps only the top ones
        while sorting), then their columns and payment methods."""
        ids = (matching(_joined(Order.id), q).order_by(*ordering(sort, direction))
               .limit(limit).offset(offset).subquery())
        stmt = (_joined(*_columns(q)).join(ids, ids.c.id == Order.id)
                .order_by(*ordering(sort, direction)))
        return list((await self.session.execute(stmt)).all())

    async def stream(self, q: OrderQuery, *, sort: str, direction: str,
                     batch: int = 2000) -> AsyncIterator[Sequence[Any]]:
        """Every matching row for the export, a batch at a time from a server-side
        cursor (memory stays flat, as the order export's)."""
        stmt = matching(_joined(*_columns(q)), q).order_by(*ordering(sort, direction))
        result = await self.session.stream(stmt.execution_options(yield_per=batch))
        async for part in result.partitions(batch):
            yield [row._mapping for row in part]
