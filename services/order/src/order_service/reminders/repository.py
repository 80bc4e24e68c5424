"""All SQL of payment reminders: the orders that may get one on a business date."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Date, Row, and_, cast, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import Order
from ..orders.domain import NOT_OWED
from .domain import reminder_days


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
                   Order.status, Order.total, Order.paid_total, Order.due_date)
            .where(Order.due_date.is_not(None), Order.paid_total < Order.total,
                   Order.status.not_in(sorted(s.value for s in NOT_OWED)),
                   or_(Order.due_date.in_(reminder_days(today, days_before=days_before)),
                       and_(Order.due_date < today, func.mod(days_past, every) == 0)))
            .order_by(Order.due_date, Order.number)
        )
        return (await self.session.execute(stmt)).all()
