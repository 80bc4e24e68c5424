"""Payment reminders, pure (O-6, N-2): which reminder an order gets on a business date,
and the key that makes it happen once. No I/O; unit-tested on their own.

An order is reminded while it is owed (approved, so it has a due date; not rejected or
cancelled) and something is outstanding:

- `before`: `days_before` days before its due date (ORDER_REMINDER_DAYS_BEFORE, 3; 0
  means no advance reminder);
- `due`: on the due date;
- `overdue`: every `every` days after it (ORDER_REMINDER_OVERDUE_EVERY_DAYS, 7) — the 7th,
  14th, 21st … day past due — while it stays unpaid.

Any other day is not a reminder day for the order: nothing. "Today" is the business date
(Asia/Shanghai) of the job's run. A day the job does not run (the worker down all day) is
not made up later: the next reminder comes on the order's next reminder day.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from servicekit.errors import Forbidden

from ..orders.domain import NOT_OWED, OrderStatus

JOB = "payment_due_reminders"


class Stage(StrEnum):
    BEFORE = "before"
    DUE = "due"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class Reminder:
    stage: Stage
    days_overdue: int = 0  # days since the due date; 0 unless overdue

    def key(self, order_id: uuid.UUID, due: date, every: int) -> str:
        """The item's natural key for `claim`: one reminder per order, due date and stage,
        and for `overdue` per overdue period (1 for the first `every` days past due, 2
        for the next …), so a rerun on the same day, an overlapping run or an
        operator's "run now" never sends it twice."""
        base = f"{order_id}:{due.isoformat()}:{self.stage.value}"
        if self.stage is Stage.OVERDUE:
            return f"{base}:{self.days_overdue // every}"
        return base


def reminder(due: date | None, outstanding: Decimal, status: OrderStatus | str,
             today: date, *, days_before: int, every: int) -> Reminder | None:
    """The reminder an order gets on `today`, or None (not owed, nothing outstanding, no
    due date, or not one of its reminder days)."""
    if days_before < 0 or every < 1:
        raise ValueError("days_before must be 0 or more and every at least 1")
    if due is None or outstanding <= 0 or OrderStatus(status) in NOT_OWED:
        return None
    days = (today - due).days
    if days == 0:
        return Reminder(Stage.DUE)
    if days < 0:
        return Reminder(Stage.BEFORE) if days_before and -days == days_before else None
    return Reminder(Stage.OVERDUE, days) if days % every == 0 else None


def reminder_days(today: date, *, days_before: int) -> tuple[date, ...]:
    """The due dates that get a `before` or `due` reminder on `today` (for the query;
    overdue ones are those whose days past due are a multiple of `every`)."""
    ahead = (today + timedelta(days=days_before),) if days_before else ()
    return (today, *ahead)


class AreaBound(Forbidden):
    """Staff limited to areas may not run reminders for every customer (C-7, 403)."""


def check_may_run_for_everyone(areas: frozenset[str]) -> None:
    """A reminder run covers the orders of every customer, whatever their area; staff
    bound to areas see only their own customers (C-7), so only staff without an area
    limit may start one."""
    if areas:
        raise AreaBound("only staff without an area limit may run reminders for everyone")
