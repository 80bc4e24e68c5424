"""All SQL of statements (B-1): a customer's ledger entries read from the order tables
(orders, returns, payments, reversals, refunds — read only, never written here), the
per-kind totals before a month (the opening balance), and the acknowledgements with
their history."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from servicekit.timeutil import business_date
from servicekit.upsert import insert
from sqlalchemy import Select, func, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import (
    CustomerView,
    Order,
    OrderReturn,
    Payment,
    PaymentReversal,
    Refund,
    StatementAcknowledgement,
    StatementEvent,
)
from .domain import Entry, EntryKind, Month

# The columns every kind of entry is read with: kind, id, order, amount, its business
# date (`on`, for kinds recorded with a date) or instant (`at`, for kinds recorded at a
# time: their date is that instant's in Asia/Shanghai), payment method and reference,
# and when the row was recorded.


def _null(type_: Any) -> Any:
    return literal(None, type_)


def _kinds(customer_id: uuid.UUID) -> list[tuple[Select, Any, Any]]:
    """Each kind's select (with the columns above) and its date or instant column, for
    one customer. Which rows count is EntryKind's rule (domain.py)."""
    text, day, instant = Order.number.type, Payment.paid_on.type, Order.reviewed_at.type
    approved = (Order.reviewed_at.is_not(None), Order.status != "rejected")
    orders = select(
        literal(EntryKind.ORDER.value).label("kind"), Order.id.label("id"),
        Order.id.label("order_id"), Order.number.label("order_number"),
        Order.payable.label("amount"), _null(day).label("on"), Order.reviewed_at.label("at"),
        _null(text).label("method"), _null(text).label("reference"),
        Order.reviewed_at.label("recorded_at"),
    ).where(Order.customer_id == customer_id, *approved)
    cancellations = select(
        literal(EntryKind.CANCELLATION.value), Order.id, Order.id, Order.number, Order.payable,
        _null(day), Order.cancelled_at, _null(text), _null(text), Order.cancelled_at,
    ).where(Order.customer_id == customer_id, *approved, Order.status == "cancelled",
            Order.cancelled_at.is_not(None))
    returns = select(
        literal(EntryKind.RETURN.value), OrderReturn.id, Order.id, Order.number,
        OrderReturn.refund_amount, _null(day), OrderReturn.decided_at, _null(text),
        _null(text), OrderReturn.decided_at,
    ).join(Order, Order.id == OrderReturn.order_id).where(
        OrderReturn.customer_id == customer_id, OrderReturn.status == "approved",
        OrderReturn.decided_at.is_not(None), OrderReturn.refund_amount > 0)
    payments = select(
        literal(EntryKind.PAYMENT.value), Payment.id, Order.id, Order.number, Payment.amount,
        Payment.paid_on, _null(instant), Payment.method, Payment.reference,
        Payment.created_at,
    ).join(Order, Order.id == Payment.order_id).where(Order.customer_id == customer_id)
    reversals = select(
        literal(EntryKind.REVERSAL.value), PaymentReversal.id, Order.id, Order.number,
        PaymentReversal.amount, _null(day), PaymentReversal.decided_at, _null(text),
        _null(text), PaymentReversal.decided_at,
    ).join(Order, Order.id == PaymentReversal.order_id).where(
        Order.customer_id == customer_id, PaymentReversal.status == "approved",
        PaymentReversal.decided_at.is_not(None))
    refunds = select(
        literal(EntryKind.REFUND.value), Refund.id, Order.id, Order.number, Refund.amount,
        Refund.refunded_on, _null(instant), Refund.method, Refund.reference,
        Refund.created_at,
    ).join(Order, Order.id == Refund.order_id).where(Order.customer_id == customer_id)
    return [(orders, None, Order.reviewed_at), (cancellations, None, Order.cancelled_at),
            (returns, None, OrderReturn.decided_at), (payments, Payment.paid_on, None),
            (reversals, None, PaymentReversal.decided_at), (refunds, Refund.refunded_on, None)]


def _between(stmt: Select, on: Any, at: Any, *, since: Month | None,
             until: Month) -> Select:
    """Rows dated from `since`'s first day (None: from the beginning) to the end of
    `until`: dates compared as dates, instants with the months' bounds in Asia/Shanghai."""
    if on is not None:
        stmt = stmt.where(on <= until.last_day)
        return stmt.where(on >= since.first_day) if since is not None else stmt
    stmt = stmt.where(at < until.end)
    return stmt.where(at >= since.start) if since is not None else stmt


class StatementRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # ---------------------------------------------------------------- the ledger
    async def entries(self, customer_id: uuid.UUID, month: Month) -> list[Entry]:
        """The customer's entries of the month, as recorded (unsorted)."""
        parts = [_between(stmt, on, at, since=month, until=month)
                 for stmt, on, at in _kinds(customer_id)]
        rows = (await self.session.execute(union_all(*parts))).all()
        return [_entry(row._mapping) for row in rows]

    async def totals_before(self, customer_id: uuid.UUID,
                            month: Month) -> dict[EntryKind, Decimal]:
        """Each kind's total of the customer's entries before the month (unsigned)."""
        previous = month.previous()
        parts = [_between(stmt, on, at, since=None, until=previous)
                 for stmt, on, at in _kinds(customer_id)]
        both = union_all(*parts).subquery()
        rows = (await self.session.execute(
            select(both.c.kind, func.coalesce(func.sum(both.c.amount), 0))
            .group_by(both.c.kind))).all()
        return {EntryKind(kind): Decimal(total) for kind, total in rows}

    # ---------------------------------------------------------------- customers
    async def customer(self, customer_id: uuid.UUID, *,
                       areas: frozenset[str] = frozenset()) -> CustomerView | None:
        """The customer from the read model; outside the staff member's areas it is not
        there (C-7)."""
        stmt = select(CustomerView).where(CustomerView.customer_id == customer_id)
        if areas:
            stmt = stmt.where(CustomerView.area.in_(sorted(areas)))
        return (await self.session.scalars(stmt)).first()

    # ---------------------------------------------------------------- acknowledgements
    async def acknowledgement(self, customer_id: uuid.UUID, month: Month, *,
                              for_update: bool = False) -> StatementAcknowledgement | None:
        stmt = select(StatementAcknowledgement).where(
            StatementAcknowledgement.customer_id == customer_id,
            StatementAcknowledgement.month == month.first_day)
        if for_update:
            stmt = stmt.with_for_update()
        stmt = stmt.execution_options(populate_existing=True)
        return (await self.session.scalars(stmt)).first()

    async def acknowledgement_for_update(
            self, customer_id: uuid.UUID, month: Month, *, opening: Decimal,
            closing: Decimal, now: datetime) -> StatementAcknowledgement:
        """The month's acknowledgement, created open when there is none yet, locked: two
        acknowledgements of one statement run one after the other."""
        await self.session.execute(
            insert(StatementAcknowledgement).values(
                id=uuid.uuid4(), customer_id=customer_id, month=month.first_day,
                status="open", opening_balance=opening, closing_balance=closing,
                created_at=now, updated_at=now)
            .on_conflict_do_nothing(index_elements=["customer_id", "month"]))
        row = await self.acknowledgement(customer_id, month, for_update=True)
        assert row is not None
        return row

    def add_event(self, event: StatementEvent) -> None:
        self.session.add(event)

    async def history(self, acknowledgement_id: uuid.UUID) -> list[StatementEvent]:
        return list((await self.session.scalars(
            select(StatementEvent).where(StatementEvent.acknowledgement_id == acknowledgement_id)
            .order_by(StatementEvent.seq))).all())

    async def list(self, *, status: str | None, month: Month | None,
                   customer_id: uuid.UUID | None, areas: frozenset[str], limit: int,
                   offset: int) -> tuple[Sequence[Any], int]:
        """Acknowledged statements (with the customer's name, number and area), newest
        month first, then the latest change first; staff bound to areas see theirs only."""
        stmt = (select(StatementAcknowledgement, CustomerView.name,
                       CustomerView.customer_number, CustomerView.area)
                .outerjoin(CustomerView,
                           CustomerView.customer_id == StatementAcknowledgement.customer_id))
        if status is not None:
            stmt = stmt.where(StatementAcknowledgement.status == status)
        if month is not None:
            stmt = stmt.where(StatementAcknowledgement.month == month.first_day)
        if customer_id is not None:
            stmt = stmt.where(StatementAcknowledgement.customer_id == customer_id)
        if areas:
            stmt = stmt.where(CustomerView.area.in_(sorted(areas)))
        total = (await self.session.execute(
            select(func.count()).select_from(stmt.subquery()))).scalar_one()
        rows = (await self.session.execute(
            stmt.order_by(StatementAcknowledgement.month.desc(),
                          StatementAcknowledgement.updated_at.desc(),
                          StatementAcknowledgement.id)
            .limit(limit).offset(offset))).all()
        return rows, total


def _entry(row: Any) -> Entry:
    on: date = row["on"] if row["on"] is not None else business_date(row["at"])
    return Entry(kind=EntryKind(row["kind"]), on=on, amount=Decimal(row["amount"]),
                 id=row["id"], order_id=row["order_id"], order_number=row["order_number"],
                 method=row["method"], reference=row["reference"],
                 recorded_at=row["recorded_at"])
