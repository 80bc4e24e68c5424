"""Summary rules, pure (A-2): the period asked for, and each customer's share. No I/O."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from servicekit.errors import Unprocessable

MAX_DAYS = 3 * 366
# Orders that never became business do not count in amounts.
NOT_COUNTED = ("cancelled", "rejected")


class InvalidPeriod(Unprocessable):
    """The period is the wrong way round or too long (422)."""


def period(date_from: date | None, date_to: date | None, today: date) -> tuple[date, date]:
    """The period, inclusive; by default this month up to today."""
    end = date_to or today
    start = date_from or end.replace(day=1)
    if start > end:
        raise InvalidPeriod(f"from ({start.isoformat()}) must not be after to "
                            f"({end.isoformat()})")
    if end - start > timedelta(days=MAX_DAYS):
        raise InvalidPeriod("A summary covers at most three years; choose a shorter period")
    return start, end


def share(amount: Decimal, total: Decimal) -> Decimal:
    """A part of the total in per cent with one decimal; 0 when the total is 0."""
    if total <= 0:
        return Decimal("0.0")
    return (amount * 100 / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
