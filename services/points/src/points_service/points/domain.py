"""Points rules, pure (P-2): 20 yuan spent = 1 point, whole points only; only orders the
customer placed itself earn points; points are pending until the order is paid and are
cancelled if the order is rejected. No I/O; unit-tested on their own."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from enum import StrEnum

from servicekit.errors import Conflict

RULE_VERSION = 1  # P-3: recorded on every entry
YUAN_PER_POINT = Decimal("20")
REDEMPTION_THRESHOLD = 100  # P-2: redemption starts at 100 cumulative points (later issue)


class IllegalTransition(Conflict):
    """The entry's current state does not allow this."""


class EntryStatus(StrEnum):
    PENDING = "pending"
    EFFECTIVE = "effective"
    CANCELLED = "cancelled"


def points_for(total: Decimal) -> int:
    """floor(total / 20): 19.99 → 0, 20.00 → 1, 801.50 → 40. Nothing for no spending."""
    if total <= 0:
        return 0
    return int((total / YUAN_PER_POINT).to_integral_value(rounding=ROUND_FLOOR))


def earns_points(source: str) -> bool:
    """Orders entered by staff on a customer's behalf (self-entry) earn none (P-2)."""
    return source == "portal"


def settle(status: EntryStatus) -> EntryStatus:
    """The order was paid: pending points take effect (P-2). Settling again is a no-op."""
    if status in (EntryStatus.PENDING, EntryStatus.EFFECTIVE):
        return EntryStatus.EFFECTIVE
    raise IllegalTransition("the points were cancelled and cannot take effect")


def cancel(status: EntryStatus) -> EntryStatus:
    """The order was rejected: pending points are cancelled. Cancelling again is a no-op."""
    if status in (EntryStatus.PENDING, EntryStatus.CANCELLED):
        return EntryStatus.CANCELLED
    raise IllegalTransition("the points have taken effect and cannot be cancelled")


def revise(status: EntryStatus) -> EntryStatus:
    """The order's total changed before review (O-4): only pending points follow it."""
    if status is EntryStatus.PENDING:
        return status
    raise IllegalTransition(f"the points are {status.value} and no longer follow the order")


@dataclass(frozen=True)
class Balance:
    """My points (P-1): total is what took effect; remaining is what can still be used."""

    pending: int
    total: int
    redeemed: int

    @property
    def remaining(self) -> int:
        return self.total - self.redeemed


def balance(points_by_status: dict[str, int], redeemed: int = 0) -> Balance:
    return Balance(pending=points_by_status.get(EntryStatus.PENDING, 0),
                   total=points_by_status.get(EntryStatus.EFFECTIVE, 0), redeemed=redeemed)
