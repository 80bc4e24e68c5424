"""All SQL of reminders: the orders that may get a payment reminder on a business date,
and the customers whose ordering cycle may come round on it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from servicekit.scheduler import define_scheduler_tables
from sqlalchemy import Date, Row, String, and_, cast, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..db import metadata
from ..models import CustomerView, Order
from ..orders.domain import NOT_OWED
from .domain import CYCLE_JOB, CycleKind, reminder_days

_, JOB_KEYS = define_scheduler_tables(metadata)  # the tables the metadata already has


class ReminderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def candidates(self, today: date, *, days_before: int,
                         every: int) -> Sequence[Row]:
        """Owed orders with something outstanding whose due date is today, `days_before`
        days ahead, or a multiple of `every` days past: `domain.reminder` in SQL, so only
        the day's few orders are read (the domain decides each one again). Plain rows,
        oldest due date first."""
        days_past = cast(literal(today), Date) - Order.due_date
        stmt = (
            select(Order.id, Order.number, Order.customer_id, Order.customer_name,
                   Order.status, Order.payable.label("payable"), Order.paid_total,
                   Order.due_date)
            .where(Order.due_date.is_not(None), Order.paid_total < Order.payable,
                   Order.status.not_in(sorted(s.value for s in NOT_OWED)),
                   or_(Order.due_date.in_(reminder_days(today, days_before=days_before)),
                       and_(Order.due_date < today, func.mod(days_past, every) == 0)))
            .order_by(Order.due_date, Order.number)
        )
        return (await self.session.execute(stmt)).all()

    async def cycle_candidates(self, today: date) -> Sequence[Row]:
        """Approved customers whose ordering cycle may come round `today`: weekly on
        today's weekday, or every N days with no order yet or their last order N days
        ago — `domain.cycle_reminder` in SQL, so only the day's few customers are read
        (the domain decides each one again). Each row has the customer's cycle, the
        business date of its last order (`last_order_date`, any order it submitted; None
        when it has not ordered) and the key of its previous cycle reminder
        (`last_key`). Plain rows, by name."""
        last_order = (select(func.max(Order.order_date))
                      .where(Order.customer_id == CustomerView.customer_id)
                      .scalar_subquery())
        customers = (
            select(CustomerView.customer_id, CustomerView.name, CustomerView.cycle_kind,
                   CustomerView.cycle_days, CustomerView.cycle_weekday,
                   last_order.label("last_order_date"))
            .where(CustomerView.status == "approved", CustomerView.cycle_kind.is_not(None))
            .subquery())
        c = customers.c
        last_key = (select(func.max(JOB_KEYS.c.key))
                    .where(JOB_KEYS.c.job == CYCLE_JOB,
                           JOB_KEYS.c.key.startswith(cast(c.customer_id, String) + ":"))
                    .scalar_subquery())
        stmt = (
            select(c.customer_id, c.name, c.cycle_kind, c.cycle_days, c.cycle_weekday,
                   c.last_order_date, last_key.label("last_key"))
            .where(or_(
                and_(c.cycle_kind == CycleKind.WEEKDAY.value,
                     c.cycle_weekday == today.isoweekday()),
                and_(c.cycle_kind == CycleKind.DAYS.value,
                     or_(c.last_order_date.is_(None),
                         c.last_order_date + c.cycle_days == today))))
            .order_by(c.name, c.customer_id)
        )
        return (await self.session.execute(stmt)).all()
