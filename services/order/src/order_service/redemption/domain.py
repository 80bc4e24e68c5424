"""The order's side of points redemption (P-2), pure: what an order may ask for, and how
the points service's answers move the order's points status. No I/O.

    none ── submitted with points ──▶ requested ── points.reserved ──▶ reserved
    requested ── points.refused / no answer in time / approved first ──▶ refused
    reserved ── points.redeemed (after approval) ──▶ redeemed
    requested | reserved | redeemed ── points.released ──▶ released

The customer pays `payable` = total − points_used: the points count only once reserved,
and stop counting when refused or released."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from enum import StrEnum

from servicekit.errors import Unprocessable

# P-2: points pay for consumables and accessories (never machines or services, never cash)
REDEEMABLE_CATEGORIES = frozenset({"consumable", "accessory"})
MAX_POINTS = 1_000_000


class PointsNotUsable(Unprocessable):
    """The order asks for points it cannot use; nothing was placed."""


class PointsStatus(StrEnum):
    NONE = "none"
    REQUESTED = "requested"
    RESERVED = "reserved"
    REDEEMED = "redeemed"
    REFUSED = "refused"
    RELEASED = "released"


# Why points were refused or released, shown to the customer in its language.
TIMEOUT = "timeout"              # no answer from the points service in time
NOT_CONFIRMED = "not_confirmed"  # approved before the answer arrived
ORDER_PAID = "order_paid"        # paid beyond what the points would leave to pay


@dataclass(frozen=True)
class Balance:
    """What the order service last heard of the customer's points."""

    total: int
    remaining: int
    threshold: int
    can_redeem: bool


def redeemable_value(lines: Iterable[tuple[str | None, Decimal]]) -> Decimal:
    """The value of the (category, line total) lines points may pay for; a product whose
    category is not known counts as a consumable."""
    return sum((amount for category, amount in lines
                if category is None or category in REDEEMABLE_CATEGORIES), Decimal("0"))


def whole_yuan(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_FLOOR)) if value > 0 else 0


def check_request(points: int, balance: Balance | None, redeemable: Decimal) -> None:
    """Refuse (422, nothing placed) an order asking for points it cannot use: before the
    threshold, beyond the consumables and accessories, or more than it has left."""
    if points < 0:
        raise PointsNotUsable("points_to_use must not be negative")
    if points == 0:
        return
    if points > MAX_POINTS:
        raise PointsNotUsable(f"points_to_use must be at most {MAX_POINTS}")
    if balance is None or not balance.can_redeem:
        total = balance.total if balance else 0
        threshold = balance.threshold if balance else 100
        raise PointsNotUsable(
            f"Points can be used once {threshold} points have taken effect in total; "
            f"you have {total}")
    most = whole_yuan(redeemable)
    if points > most:
        raise PointsNotUsable(
            f"Points pay for consumables and accessories only (1 point = 1 yuan): this "
            f"order can take at most {most} points, not {points}")
    if points > balance.remaining:
        raise PointsNotUsable(
            f"You have {max(balance.remaining, 0)} points left, not {points}")


def check_modification(points: int, redeemable: Decimal) -> None:
    """A modified order must still be able to take the points it asked for."""
    most = whole_yuan(redeemable)
    if points > most:
        raise PointsNotUsable(
            f"This order pays {points} points, and its consumables and accessories would "
            f"be worth only {most} yuan; keep more of them, or cancel the order and place "
            f"a new one with fewer points")


def accept_reservation(status: PointsStatus, *, total: Decimal, paid: Decimal,
                       points: int) -> str | None:
    """The points service reserved `points`: None to count them, or why not (the order
    no longer waits for them; the reservation then times out on the points side)."""
    if status is not PointsStatus.REQUESTED:
        return status.value
    if paid > total - points:
        return ORDER_PAID
    return None


def on_refused(status: PointsStatus) -> bool:
    return status is PointsStatus.REQUESTED


def on_redeemed(status: PointsStatus) -> bool:
    return status is PointsStatus.RESERVED


def on_released(status: PointsStatus) -> bool:
    return status in (PointsStatus.REQUESTED, PointsStatus.RESERVED, PointsStatus.REDEEMED)


def at_approval(status: PointsStatus, points_used: int) -> tuple[PointsStatus, int]:
    """The points the approval counts on: the reserved ones; an order still waiting for
    the answer is approved without points (the points service then releases them)."""
    if status is PointsStatus.RESERVED:
        return status, points_used
    if status is PointsStatus.REQUESTED:
        return PointsStatus.REFUSED, 0
    return status, 0


def payable(total: Decimal, points_used: int) -> Decimal:
    return total - points_used
