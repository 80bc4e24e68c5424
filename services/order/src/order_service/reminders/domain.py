"""Reminders, pure: which payment reminder an order gets on a business date (O-6, N-2),
whether a customer's ordering cycle comes round today (C-6, N-2), and the keys that make
each happen once. No I/O; unit-tested on their own.

Payment reminders. An order is reminded while it is owed (approved, so it has a due
date; not rejected or cancelled) and something is outstanding:

- `before`: `days_before` days before its due date (ORDER_REMINDER_DAYS_BEFORE, 3; 0
  means no advance reminder);
- `due`: on the due date;
- `overdue`: every `every` days after it (ORDER_REMINDER_OVERDUE_EVERY_DAYS, 7) — the 7th,
  14th, 21st … day past due — while it stays unpaid.

Any other day is not a reminder day for the order: nothing. "Today" is the business date
(Asia/Shanghai) of the job's run. A day the job does not run (the worker down all day) is
not made up later: the next reminder comes on the order's next reminder day.

Ordering-cycle reminders (`cycle_reminder`): the customer service's C-6 rule
(`next_due`), kept the same here, on the order service's read model of the cycle and the
business date of the customer's last order (any order it submitted, as the customer
service counts them). A customer is reminded on the day its next ordering date is today,
and only then: a date that passed without an order is not reminded again (it is overdue,
for anomaly analysis, A-3); an order today moves the next date on, so nothing. A customer
without an order yet is due "today" every day on an every-N-days cycle: it is reminded
again only N days after its previous reminder.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from servicekit.cycles import CycleKind, next_due  # noqa: F401  (C-6, shared)
from servicekit.errors import Forbidden

from ..orders.domain import NOT_OWED, OrderStatus

JOB = "payment_due_reminders"
CYCLE_JOB = "ordering_cycle_reminders"


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


# ---------------------------------------------------------------- ordering cycle (C-6)
@dataclass(frozen=True)
class OrderingCycle:
    kind: CycleKind
    days: int | None = None
    weekday: int | None = None

    def __post_init__(self) -> None:
        if self.kind is CycleKind.DAYS and (self.days is None or self.days < 1):
            raise ValueError("an every-N-days cycle needs days of 1 or more")
        if self.kind is CycleKind.WEEKDAY and (self.weekday is None
                                               or not 1 <= self.weekday <= 7):
            raise ValueError("a weekly cycle needs a weekday from 1 to 7")


def ordering_cycle(kind: str | None, days: int | None,
                   weekday: int | None) -> OrderingCycle | None:
    """The read model's cycle columns as a cycle; None when there is none, or when the
    parts do not make one (the customer service refuses those, so a reminder job never
    fails on them)."""
    try:
        return None if kind is None else OrderingCycle(CycleKind(kind), days, weekday)
    except ValueError:
        return None


@dataclass(frozen=True)
class CycleReminder:
    due_date: date  # the cycle date that arrived: the business date of the run

    def key(self, customer_id: uuid.UUID) -> str:
        """The item's natural key for `claim`: one reminder per customer and due date,
        so a rerun, an overlapping run or an operator's "run now" never sends it twice."""
        return f"{customer_id}:{self.due_date.isoformat()}"


def reminded_on(key: str | None) -> date | None:
    """The due date of a `CycleReminder.key` (None: no key, or not such a key)."""
    try:
        return None if key is None else date.fromisoformat(key.rsplit(":", 1)[1])
    except (IndexError, ValueError):
        return None


def cycle_reminder(cycle: OrderingCycle | None, last_order_date: date | None, today: date,
                   *, last_reminded: date | None = None) -> CycleReminder | None:
    """The ordering-cycle reminder a customer gets on `today`, or None: only when its next
    ordering date (`next_due`) is today. An order today (or any day after the cycle
    began) moves that date on, so nothing.

    `last_reminded`, the due date of the customer's previous cycle reminder, matters for
    one case only: every N days with no order yet, which `next_due` makes due every day;
    such a customer is reminded again N days after its previous reminder, not daily. (A
    weekly cycle without an order comes round once a week by itself.)"""
    if next_due(cycle, last_order_date, today) != today:
        return None
    assert cycle is not None
    if (cycle.kind is CycleKind.DAYS and last_order_date is None
            and last_reminded is not None
            and today < last_reminded + timedelta(days=cycle.days or 1)):
        return None
    return CycleReminder(today)
