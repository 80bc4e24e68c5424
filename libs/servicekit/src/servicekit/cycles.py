"""The ordering-cycle rule (C-6), one place for the two services that need it: the
customer service shows a customer's next ordering date, the order service reminds it
when that date arrives (issue 9). Pure, no I/O; each service keeps its own validation
of the cycle's parts."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from typing import Protocol


class CycleKind(StrEnum):
    DAYS = "days"  # every N days after the last order
    WEEKDAY = "weekday"  # every week on a weekday (1 = Monday … 7 = Sunday)


class Cycle(Protocol):
    @property
    def kind(self) -> CycleKind: ...
    @property
    def days(self) -> int | None: ...
    @property
    def weekday(self) -> int | None: ...


def next_due(cycle: Cycle | None, last_order_date: date | None, today: date) -> date | None:
    """When the customer should order next (C-6); a date before `today` means overdue.

    Every N days: N days after the last order. Weekly: the first such weekday after the
    last order. A customer that has not ordered yet is due on the first day from today
    that fits (today itself for every N days). No cycle: None."""
    if cycle is None:
        return None
    if cycle.kind is CycleKind.DAYS:
        assert cycle.days is not None
        return today if last_order_date is None else last_order_date + timedelta(
            days=cycle.days)
    assert cycle.weekday is not None
    if last_order_date is None:
        return today + timedelta(days=(cycle.weekday - today.isoweekday()) % 7)
    ahead = (cycle.weekday - last_order_date.isoweekday()) % 7 or 7
    return last_order_date + timedelta(days=ahead)
