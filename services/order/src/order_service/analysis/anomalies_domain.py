"""Anomaly rules of ordering cycles, pure (A-3, A-4, B-6, C-6). No I/O.

A customer's last order is the latest order date of its orders that count (not
cancelled or rejected, `domain.NOT_COUNTED`). Its expected ordering date is the shared
C-6 rule `servicekit.cycles.next_due` from that date; a customer that never ordered is
measured from the business date its cycle was set (`cycle_since`): every N days →
`cycle_since + N`, weekly → the first such weekday after `cycle_since`. It is abnormal
when the expected date is before today (days overdue = today − expected); a customer
that ordered early simply has a later expected date. Only approved customers with a
cycle are measured.

The repository computes the same rule in SQL over every customer (table 1 and the daily
counts); these functions are the reference the tests compare it with.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from servicekit.cycles import CycleKind, next_due
from servicekit.errors import Conflict

from ..reminders.domain import OrderingCycle, ordering_cycle

# How many counted orders make the usual order value, the recent orders and the cycle
# history of table 2; how far back the daily counts are filled in.
USUAL_VALUE_ORDERS = 5
RECENT_ORDERS = 10
HISTORY_INTERVALS = 12
SNAPSHOT_DAYS = 90
SNAPSHOT_JOB = "anomaly_snapshots"
NOTE_MAX = 1000
MONTHS_MAX = 36
CENT = Decimal("0.01")


class FollowUpStatus(StrEnum):
    """What staff did about a customer past its cycle (B-6)."""

    CONTACTED = "contacted"  # reached the customer
    WILL_ORDER = "will_order"  # the customer says it will order
    LOST = "lost"  # the customer is not coming back
    RESOLVED = "resolved"  # nothing more to do


# Table 1's processing status of a miss nobody followed up yet (未处理).
OPEN = "open"
PROCESSING_STATUSES = (OPEN, *(s.value for s in FollowUpStatus))


class Standing(StrEnum):
    NORMAL = "normal"
    ABNORMAL = "abnormal"


class Reason(StrEnum):
    """Why a customer is normal or abnormal; `reason()` says it in a sentence."""

    OVERDUE = "overdue"  # its expected date has passed without an order
    ON_TIME = "on_time"  # its expected date is today or later
    WAITING_FIRST = "waiting_first"  # never ordered; its first date is today or later
    NO_CYCLE = "no_cycle"  # no ordering cycle: nothing to measure
    NOT_APPROVED = "not_approved"  # not an approved customer: not measured


class NotOverdue(Conflict):
    """A follow-up is only recorded for a customer past its ordering cycle (409)."""


# A customer's ordering cycle (C-6) from the read model's columns: the reminders' rule
# (None when there is none or its parts do not make one — never an error here).
Cycle = OrderingCycle
cycle_of = ordering_cycle


def expected_date(cycle: Cycle | None, last_order_date: date | None,
                  cycle_since: date | None, today: date) -> date | None:
    """When the customer should have ordered next: `next_due` from its last order, or —
    never ordered — from the day its cycle was set. A customer without either (a cycle
    of unknown age) is due as `next_due` says for a first order, from today on."""
    base = last_order_date or cycle_since
    return next_due(cycle, base, today)


@dataclass(frozen=True)
class Assessment:
    """A customer's order status (A-4) on a day."""

    standing: Standing
    reason: Reason
    expected_date: date | None
    days_overdue: int
    last_order_date: date | None

    @property
    def abnormal(self) -> bool:
        return self.standing is Standing.ABNORMAL


def assess(cycle: Cycle | None, last_order_date: date | None, cycle_since: date | None,
           today: date, *, approved: bool = True) -> Assessment:
    """Normal or abnormal on `today`, with the expected date and the days overdue."""
    if not approved:
        return Assessment(Standing.NORMAL, Reason.NOT_APPROVED, None, 0, last_order_date)
    expected = expected_date(cycle, last_order_date, cycle_since, today)
    if cycle is None or expected is None:
        return Assessment(Standing.NORMAL, Reason.NO_CYCLE, None, 0, last_order_date)
    if expected < today:
        return Assessment(Standing.ABNORMAL, Reason.OVERDUE, expected,
                          (today - expected).days, last_order_date)
    reason = Reason.ON_TIME if last_order_date is not None else Reason.WAITING_FIRST
    return Assessment(Standing.NORMAL, reason, expected, 0, last_order_date)


def describe_cycle(cycle: Cycle | None) -> str:
    if cycle is None:
        return "no ordering cycle"
    if cycle.kind is CycleKind.DAYS:
        return f"every {cycle.days} days"
    return f"every {calendar.day_name[(cycle.weekday or 1) - 1]}"


def reason(a: Assessment, cycle: Cycle | None) -> str:
    """The assessment in a sentence (A-4)."""
    when = describe_cycle(cycle)
    last = (f"last order on {a.last_order_date.isoformat()}" if a.last_order_date
            else "no order yet")
    match a.reason:
        case Reason.NOT_APPROVED:
            return "The customer is not approved; its ordering is not measured."
        case Reason.NO_CYCLE:
            return "The customer has no ordering cycle; its ordering is not measured."
        case Reason.OVERDUE:
            assert a.expected_date is not None
            days = "1 day" if a.days_overdue == 1 else f"{a.days_overdue} days"
            return (f"Past its ordering cycle ({when}, {last}): it should have ordered by "
                    f"{a.expected_date.isoformat()}, {days} ago.")
        case Reason.WAITING_FIRST:
            assert a.expected_date is not None
            return (f"Within its ordering cycle ({when}, no order yet): its first order is "
                    f"expected by {a.expected_date.isoformat()}.")
        case _:
            assert a.expected_date is not None
            return (f"Within its ordering cycle ({when}, {last}): its next order is "
                    f"expected by {a.expected_date.isoformat()}.")


def ensure_overdue(a: Assessment) -> date:
    """The expected date a follow-up is recorded for; 409 when the customer is not
    past its cycle."""
    if not a.abnormal or a.expected_date is None:
        raise NotOverdue("This customer is not overdue (it is within its ordering "
                         "cycle), so there is nothing to follow up")
    return a.expected_date


def processing_status(follow_ups: Sequence[tuple[date | None, str]],
                      expected: date | None) -> str:
    """Table 1's processing status: the latest follow-up (`follow_ups` newest first, as
    (due_date, status)) recorded for the current expected date; 'open' when none. A
    follow-up of an earlier miss does not carry over to a new one."""
    for due, status in follow_ups:
        if expected is not None and due == expected:
            return status
    return OPEN


def usual_value(totals: Sequence[Decimal]) -> Decimal | None:
    """The usual order value: the average total of the last `USUAL_VALUE_ORDERS` counted
    orders (`totals` newest first), to the cent; None without orders."""
    recent = list(totals[:USUAL_VALUE_ORDERS])
    if not recent:
        return None
    return (sum(recent, Decimal("0")) / len(recent)).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Interval:
    """One step of a customer's cycle history: an order and the days since the previous
    counted order; `late` when it came after the date the current cycle expected."""

    order_number: str
    order_date: date
    days_since_previous: int | None
    expected_date: date | None
    late: bool | None


def cycle_history(orders: Sequence[tuple[str, date]], cycle: Cycle | None) -> list[Interval]:
    """The intervals between consecutive counted orders (`orders` as (number, date),
    oldest first), newest first, the last `HISTORY_INTERVALS` of them. The first order
    of all has no previous one (no interval, not judged)."""
    steps: list[Interval] = []
    for i, (number, day) in enumerate(orders):
        if i == 0:
            steps.append(Interval(number, day, None, None, None))
            continue
        previous = orders[i - 1][1]
        expected = next_due(cycle, previous, day) if cycle else None
        steps.append(Interval(number, day, (day - previous).days, expected,
                              None if expected is None else day > expected))
    return list(reversed(steps))[:HISTORY_INTERVALS]


def months_back(today: date, months: int) -> date:
    """The first day of the last `months` months up to `today`: the same day of the month
    `months` months earlier (the month's last day when it is shorter), plus one."""
    month_index = today.year * 12 + today.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    day = min(today.day, calendar.monthrange(year, month)[1])
    return date(year, month, day) + timedelta(days=1)


def abnormal_on(cycle: Cycle | None, order_dates: Sequence[date], cycle_since: date | None,
                day: date) -> bool:
    """Whether a customer was past its cycle on `day` (the daily counts, filled in from
    the order history with the current cycle): its last counted order on or before
    `day` decides, as on that day."""
    last = max((d for d in order_dates if d <= day), default=None)
    return assess(cycle, last, cycle_since, day).abnormal


def snapshot_window(today: date) -> tuple[date, date]:
    """The days the daily counts fill in when missing: the `SNAPSHOT_DAYS` before today
    (today itself is recounted at every run)."""
    return today - timedelta(days=SNAPSHOT_DAYS), today - timedelta(days=1)
