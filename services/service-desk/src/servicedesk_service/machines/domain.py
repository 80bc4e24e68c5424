"""The installed base's rules, pure (S-2): the warranty date derived from the purchase date
and the warranty period, and whether a machine is in warranty on a business date. No I/O;
unit-tested on their own."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from servicekit.errors import Unprocessable

MAX_WARRANTY_MONTHS = 120
# How far back a purchase may lie: the supplier's oldest machines in the field.
EARLIEST_PURCHASE = date(1990, 1, 1)


class InvalidMachine(Unprocessable):
    """The machine's content breaks a rule of its own (422)."""


class CollectionStatus(StrEnum):
    """How much of the machine's price the supplier has collected."""

    PAID = "paid"
    PARTIAL = "partial"
    UNPAID = "unpaid"


class ConsumablePayment(StrEnum):
    """How the customer pays for the consumables this machine uses."""

    PREPAID = "prepaid"
    ON_DELIVERY = "on_delivery"
    MONTHLY = "monthly"
    OTHER = "other"


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later, or the month's last day when that
    month is shorter (31 January + 1 month = 28/29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def warranty_until(purchase_date: date, warranty_months: int) -> date | None:
    """The last day of the warranty: a 12-month warranty from 15 March 2026 runs until
    14 March 2027 inclusive. No warranty (0 months) has no such day."""
    if warranty_months <= 0:
        return None
    return add_months(purchase_date, warranty_months) - timedelta(days=1)


@dataclass(frozen=True)
class Warranty:
    until: date | None
    in_warranty: bool
    days_left: int | None  # whole days after `today` still covered; None without warranty


def warranty(purchase_date: date, warranty_months: int, today: date) -> Warranty:
    until = warranty_until(purchase_date, warranty_months)
    if until is None:
        return Warranty(until=None, in_warranty=False, days_left=None)
    covered = purchase_date <= today <= until
    return Warranty(until=until, in_warranty=covered,
                    days_left=(until - today).days if covered else 0)


def check_purchase_date(purchase_date: date, today: date) -> None:
    """A machine is registered once bought: not later than today, not before 1990."""
    if purchase_date > today:
        raise InvalidMachine(f"The purchase date {purchase_date.isoformat()} is in the "
                             "future; enter the date the customer bought the machine")
    if purchase_date < EARLIEST_PURCHASE:
        raise InvalidMachine(f"The purchase date {purchase_date.isoformat()} is before "
                             f"{EARLIEST_PURCHASE.year}; check the year")
