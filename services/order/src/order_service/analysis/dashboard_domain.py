"""Dashboard rules, pure (X-4): the period shown by default, the months it spans, and
amounts hidden until the query password is entered (A-2). No I/O."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from . import domain

# The customer grades (C-4) in the order the dashboard shows them.
GRADES = ("normal", "small", "large")
TOP_CONSUMABLES = 10
ZERO = Decimal("0.00")


def add_months(day: date, months: int) -> date:
    """The first day of the month `months` after (or before, when negative) `day`'s."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def period(date_from: date | None, date_to: date | None, today: date) -> tuple[date, date]:
    """The period, inclusive; by default the last 12 months (this one and the eleven
    before it, from their first day) up to today. At most three years, and `from` not
    after `to` (otherwise `InvalidPeriod`, 422)."""
    end = date_to or today
    start = date_from or add_months(end, -11)
    return domain.period(start, end, today)


def months(start: date, end: date) -> list[str]:
    """Every month the period touches, "YYYY-MM", oldest first."""
    out, month = [], start.replace(day=1)
    while month <= end:
        out.append(f"{month.year:04d}-{month.month:02d}")
        month = add_months(month, 1)
    return out


def per_month(start: date, end: date, rows: Iterable[tuple[date, int, Decimal]],
              ) -> list[tuple[str, int, Decimal]]:
    """(month, orders, amount) for every month of the period, zeros where nothing was
    ordered; `rows` are the months that had orders (month given by any day in it)."""
    found = {f"{d.year:04d}-{d.month:02d}": (n, a) for d, n, a in rows}
    return [(m, *found.get(m, (0, ZERO))) for m in months(start, end)]


def per_grade(rows: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    """Customers per grade, every grade (zeros included) in GRADES' order, then any grade
    this code does not know yet."""
    found = dict(rows)
    known = [(g, found.pop(g, 0)) for g in GRADES]
    return known + sorted(found.items())


def shown(amount: Decimal | None, locked: bool) -> Decimal | None:
    """An amount as the caller may see it: None while amounts are locked (A-2)."""
    return None if locked else amount
