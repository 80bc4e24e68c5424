"""All SQL of orders, their timeline, and the list/export queries."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from servicekit.search import ESCAPE, like_pattern
from servicekit.upsert import insert
from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    bindparam,
    exists,
    func,
    literal_column,
    not_,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from ..models import (
    CustomerView,
    Order,
    OrderEvent,
    OrderLine,
    OrderNumberCounter,
    OrderReturn,
    Shipment,
)
from .domain import NOT_OWED, OrderFilter

SORTS: dict[str, tuple[Any, ...]] = {
    "date": (Order.order_date.asc(), Order.created_at.asc(), Order.number.asc()),
    "-date": (Order.order_date.desc(), Order.created_at.desc(), Order.number.desc()),
    "amount": (Order.total.asc(), Order.number.asc()),
    "-amount": (Order.total.desc(), Order.number.desc()),
    "quantity": (Order.total_quantity.asc(), Order.number.asc()),
    "-quantity": (Order.total_quantity.desc(), Order.number.desc()),
    "number": (Order.number.asc(),),
    "-number": (Order.number.desc(),),
}


def _full(stmt: Select) -> Select:
    return stmt.options(
        selectinload(Order.lines), selectinload(Order.payments),
        selectinload(Order.shipments).selectinload(Shipment.lines),
        selectinload(Order.returns).selectinload(OrderReturn.lines))


def in_areas(areas: frozenset[str]):
    """Orders of customers in the given areas (staff bound to areas, C-7)."""
    return Order.customer_id.in_(
        select(CustomerView.customer_id).where(CustomerView.area.in_(sorted(areas))))


def overdue(today: date) -> ColumnElement[bool]:
    """`domain.is_overdue` in SQL: due before today, something outstanding, owed at all.
    Never NULL, so that its negation holds for orders without a due date."""
    return and_(Order.due_date.is_not(None), Order.due_date < today,
                Order.paid_total < Order.payable,
                Order.status.not_in(sorted(s.value for s in NOT_OWED)))


def matches(text: str) -> ColumnElement[bool]:
    """The search box of the order lists (issue 15): part of the order number, the
    customer's name or number, or a line's product name or code (model), any case, its
    wildcards taken literally."""
    pattern = like_pattern(text)
    return or_(
        Order.number.ilike(pattern, escape=ESCAPE),
        Order.customer_name.ilike(pattern, escape=ESCAPE),
        Order.customer_id.in_(
            select(CustomerView.customer_id)
            .where(CustomerView.customer_number.ilike(pattern, escape=ESCAPE))),
        exists().where(OrderLine.order_id == Order.id,
                       or_(OrderLine.name.ilike(pattern, escape=ESCAPE),
                           OrderLine.model.ilike(pattern, escape=ESCAPE))),
    )


def apply_filter(stmt: Select, f: OrderFilter) -> Select:
    if f.customer_id is not None:
        stmt = stmt.where(Order.customer_id == f.customer_id)
    if f.statuses:
        stmt = stmt.where(Order.status.in_(f.statuses))
    if f.date_from is not None:
        stmt = stmt.where(Order.order_date >= f.date_from)
    if f.date_to is not None:
        stmt = stmt.where(Order.order_date <= f.date_to)
    if f.min_total is not None:
        stmt = stmt.where(Order.total >= f.min_total)
    if f.max_total is not None:
        stmt = stmt.where(Order.total <= f.max_total)
    if f.paid is True:
        stmt = stmt.where(Order.paid_total >= Order.payable)
    elif f.paid is False:
        stmt = stmt.where(Order.paid_total < Order.payable)
    if f.invoiced is not None:
        stmt = stmt.where(Order.invoiced.is_(f.invoiced))
    if f.overdue is not None:
        assert f.today is not None  # OrderFilter.check
        stmt = stmt.where(overdue(f.today) if f.overdue else not_(overdue(f.today)))
    if f.credit_hold is not None:
        stmt = stmt.where(Order.credit_hold.is_(f.credit_hold))
    if f.q:
        stmt = stmt.where(matches(f.q))
    if f.areas:
        stmt = stmt.where(in_areas(f.areas))
    return stmt


# The day's next order number, built once (issue 16: every order).
_NEXT_SEQUENCE = (insert(OrderNumberCounter).values(day=bindparam("p_day"), last=1)
                  .on_conflict_do_update(index_elements=["day"],
                                         set_={"last": OrderNumberCounter.last + 1})
                  .returning(OrderNumberCounter.last))


class OrderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def next_sequence(self, day: date) -> int:
        """The day's next number; the row lock serialises concurrent submissions."""
        return (await self.session.execute(_NEXT_SEQUENCE, {"p_day": day})).scalar_one()

    def add(self, order: Order) -> None:
        self.session.add(order)

    async def get(self, order_id: uuid.UUID, *, for_update: bool = False,
                  customer_id: uuid.UUID | None = None,
                  areas: frozenset[str] = frozenset()) -> Order | None:
        """One order with everything the detail shows; `customer_id` limits it to that
        customer's orders, `areas` to the staff member's areas."""
        stmt = _full(select(Order).where(Order.id == order_id))
        if customer_id is not None:
            stmt = stmt.where(Order.customer_id == customer_id)
        if areas:
            stmt = stmt.where(in_areas(areas))
        if for_update:
            stmt = stmt.with_for_update(of=Order)
        # Re-read what other transactions committed (after waiting for the lock).
        stmt = stmt.execution_options(populate_existing=True)
        return (await self.session.scalars(stmt)).first()

    async def get_many_for_update(self, ids: list[uuid.UUID],
                                  areas: frozenset[str] = frozenset()) -> list[Order]:
        stmt = (select(Order).where(Order.id.in_(ids)).order_by(Order.id)
                .with_for_update().execution_options(populate_existing=True))
        if areas:
            stmt = stmt.where(in_areas(areas))
        return list((await self.session.scalars(stmt)).all())

    async def list(self, f: OrderFilter, *, sort: str = "-date", limit: int = 50,
                   offset: int = 0) -> tuple[list[Order], int]:
        stmt = apply_filter(select(Order), f)
        total = (await self.session.execute(
            select(func.count()).select_from(stmt.subquery()))).scalar_one()
        rows = (await self.session.scalars(
            stmt.order_by(*SORTS[sort]).limit(limit).offset(offset))).all()
        return list(rows), total

    async def customer_outstanding(self, customer_id: uuid.UUID, *,
                                   excluding: uuid.UUID | None = None) -> Decimal:
        """What the customer owes on its orders that are not rejected or cancelled (B-3):
        their totals less what was paid, submitted ones included (so splitting an order
        does not dodge the limit); `excluding` leaves one order out (a modification
        judges the order's new total instead of its old one)."""
        stmt = (select(func.coalesce(func.sum(Order.payable - Order.paid_total), 0))
                .where(Order.customer_id == customer_id,
                       Order.status.not_in(sorted(s.value for s in NOT_OWED))))
        if excluding is not None:
            stmt = stmt.where(Order.id != excluding)
        return Decimal((await self.session.execute(stmt)).scalar_one())

    async def held_count(self, customer_id: uuid.UUID) -> int:
        return (await self.session.execute(
            select(func.count()).select_from(Order)
            .where(Order.customer_id == customer_id, Order.credit_hold.is_(True)))
        ).scalar_one()

    async def count(self, f: OrderFilter) -> int:
        stmt = apply_filter(select(Order.id), f)
        return (await self.session.execute(
            select(func.count()).select_from(stmt.subquery()))).scalar_one()

    async def stream_rows(self, f: OrderFilter, columns: Sequence[str], *, sort: str,
                          batch: int = 2000) -> AsyncIterator[Sequence[Any]]:
        """Rows (plain column values, no ORM objects) for the Excel export, a batch at a
        time from a server-side cursor, so memory stays flat however many orders match
        (O-10). Each row's `_mapping` holds the orders columns plus the extras asked for."""
        cols: list[Any] = list(Order.__table__.c)
        if "lines" in columns:
            described = func.concat(OrderLine.name, " ", OrderLine.model, " ×",
                                    OrderLine.quantity)
            cols.append(
                select(func.string_agg(described, aggregate_order_by(
                    literal_column("'; '"), OrderLine.position)))
                .where(OrderLine.order_id == Order.id)
                .scalar_subquery().label("lines"))
        joined = bool({"customer_number", "area"} & set(columns))
        if joined:
            cols.extend([CustomerView.customer_number, CustomerView.area])
        stmt = select(*cols).select_from(Order)
        if joined:
            stmt = stmt.outerjoin(CustomerView, CustomerView.customer_id == Order.customer_id)
        stmt = apply_filter(stmt, f).order_by(*SORTS[sort])
        result = await self.session.stream(stmt.execution_options(yield_per=batch))
        async for part in result.partitions(batch):
            yield [row._mapping for row in part]

    async def mark_invoiced(self, order_ids: list[uuid.UUID],
                            customer_id: uuid.UUID) -> list[Order]:
        orders = (await self.session.scalars(
            select(Order).where(Order.id.in_(order_ids), Order.customer_id == customer_id)
            .with_for_update())).all()
        changed = [o for o in orders if not o.invoiced]
        for o in changed:
            o.invoiced = True
        return changed

    # ---------------------------------------------------------------- timeline
    def add_event(self, entry: OrderEvent) -> None:
        self.session.add(entry)

    async def timeline(self, order_id: uuid.UUID) -> list[OrderEvent]:
        return list((await self.session.scalars(
            select(OrderEvent).where(OrderEvent.order_id == order_id)
            .order_by(OrderEvent.seq))).all())

    # ---------------------------------------------------------------- returns of an order
    async def returns_of(self, order_id: uuid.UUID) -> list[OrderReturn]:
        return list((await self.session.scalars(
            select(OrderReturn).where(OrderReturn.order_id == order_id)
            .options(selectinload(OrderReturn.lines))
            .order_by(OrderReturn.created_at))).all())
