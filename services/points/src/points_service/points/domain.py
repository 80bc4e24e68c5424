"""Points rules, pure (P-1..P-3). No I/O; unit-tested on their own.

- P-2 earning: floor(consumable spending / yuan_per_point) per order (20 yuan = 1 point
  in version 1); accessories, machines and services earn nothing; orders placed in an
  event month earn nothing; orders entered by staff (self-entry) earn nothing. Points are
  pending until the order is paid; an approved return or a cancellation reverses the
  points of what was returned or cancelled, pending or effective.
- P-3 rule versions: a version applies to orders placed on or after its `effective_from`,
  which must be at least one calendar month after the day it is announced (Asia/Shanghai);
  event months are announced the same way and, once announced, stay.
- P-1 balances are sums over the ledger's movements.
- P-2 redemption: 1 point = 1 yuan against the consumables and accessories of an order,
  never cash, once the cumulative effective points reach the rule's threshold. A
  redemption is reserved (or refused), held once the order confirms it, redeemed when the
  order is approved, released when the order is cancelled or rejected or when it was never
  confirmed within the timeout. Points paid with are not spending: they earn nothing.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_FLOOR, Decimal
from enum import StrEnum

from servicekit.errors import Conflict, Unprocessable

RULE_VERSION = 1  # the version that always applied (until one is announced)
YUAN_PER_POINT = Decimal("20")
REDEMPTION_THRESHOLD = 100  # P-2: redemption starts at 100 cumulative points
EARNING_CATEGORIES = frozenset({"consumable"})
# P-2: points pay for consumables and accessories (and repairs), never machines or services.
REDEEMABLE_CATEGORIES = frozenset({"consumable", "accessory"})
DESCRIPTION_MAX = 5000
ADJUSTMENT_MAX = 100_000
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class IllegalTransition(Conflict):
    """The entry's current state does not allow this."""


class EntryStatus(StrEnum):
    PENDING = "pending"
    EFFECTIVE = "effective"
    CANCELLED = "cancelled"


class MovementKind(StrEnum):
    EARNED = "earned"          # an order earned points, pending until paid
    EFFECTIVE = "effective"    # the order was paid: its pending points take effect
    REVERSED = "reversed"      # returned, cancelled or rejected: points taken back
    ADJUSTED = "adjusted"      # staff corrected the balance, with a reason
    UNPAID = "unpaid"          # a payment was reversed: effective points wait again
    # redemption (phase 2 of issue 11)
    RESERVED = "reserved"
    REDEEMED = "redeemed"
    RELEASED = "released"


# ---------------------------------------------------------------- rule versions
@dataclass(frozen=True)
class Rule:
    version: int
    yuan_per_point: Decimal
    redeem_threshold: int
    effective_from: date


DEFAULT_RULE = Rule(RULE_VERSION, YUAN_PER_POINT, REDEMPTION_THRESHOLD, date(2000, 1, 1))


def rule_on(rules: Iterable[Rule], day: date) -> Rule:
    """The version in force on `day`: the latest whose effective_from is not after it."""
    in_force = [r for r in rules if r.effective_from <= day]
    return max(in_force, key=lambda r: r.effective_from) if in_force else DEFAULT_RULE


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later, or that month's last day (31 Jan + 1
    month = 28/29 Feb)."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def earliest_announceable(today: date) -> date:
    """P-3: a change takes effect no earlier than one calendar month after it is announced."""
    return add_months(today, 1)


def check_new_rule(*, yuan_per_point: Decimal, redeem_threshold: int, effective_from: date,
                   today: date, latest: Rule) -> None:
    if yuan_per_point <= 0:
        raise Unprocessable("yuan_per_point must be more than 0")
    if redeem_threshold < 0:
        raise Unprocessable("redeem_threshold must not be negative")
    if effective_from < today:
        raise Unprocessable(f"effective_from {effective_from} is in the past")
    first = earliest_announceable(today)
    if effective_from < first:
        raise Unprocessable(
            f"effective_from must be at least one calendar month after today ({today}): "
            f"{first} or later (P-3)")
    if effective_from <= latest.effective_from:
        raise Unprocessable(
            f"effective_from must be after the latest version's ({latest.version}, "
            f"effective from {latest.effective_from})")


# ---------------------------------------------------------------- event months
def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_start(month: str) -> date:
    return date(int(month[:4]), int(month[5:7]), 1)


def new_event_months(requested: Sequence[str], announced: Iterable[str],
                     today: date) -> list[str]:
    """The months to add: each well formed and starting at least one calendar month after
    today (P-3). Months already announced stay whether listed or not."""
    known = set(announced)
    first = earliest_announceable(today)
    added: list[str] = []
    for i, month in enumerate(requested):
        if not MONTH.match(month):
            raise Unprocessable(f"months.{i}: {month!r} is not a month like 2026-12")
        if month in known or month in added:
            continue
        if month_start(month) < first:
            raise Unprocessable(
                f"months.{i}: {month} starts less than one calendar month after today "
                f"({today}); the first month that can be announced starts on or after "
                f"{first} (P-3)")
        added.append(month)
    return sorted(added)


# ---------------------------------------------------------------- earning
@dataclass(frozen=True)
class Line:
    category: str | None  # None: unknown product, counted as a consumable (as before)
    amount: Decimal


def earns_points(source: str) -> bool:
    """Orders entered by staff on a customer's behalf (self-entry) earn none (P-2)."""
    return source == "portal"


def earning_amount(lines: Iterable[Line]) -> Decimal:
    """The spending that earns points: consumable lines only (P-2)."""
    return sum((ln.amount for ln in lines
                if ln.category is None or ln.category in EARNING_CATEGORIES), Decimal("0"))


def points_for(amount: Decimal, yuan_per_point: Decimal = YUAN_PER_POINT) -> int:
    """floor(amount / yuan_per_point): 19.99 → 0, 20.00 → 1, 801.50 → 40."""
    if amount <= 0:
        return 0
    return int((amount / yuan_per_point).to_integral_value(rounding=ROUND_FLOOR))


def order_points(*, source: str, amount: Decimal, placed_on: date, rule: Rule,
                 event_months: Iterable[str]) -> int:
    """What an order earns: nothing for self-entry or in an event month (P-2)."""
    if not earns_points(source) or month_of(placed_on) in set(event_months):
        return 0
    return points_for(amount, rule.yuan_per_point)


def net_of_points(earning: Decimal, points_used: int) -> Decimal:
    """The spending that earns once the points paid with are taken off: points pay for
    consumables first, and what they paid is not spending (P-2)."""
    return max(Decimal("0"), earning - points_used)


def points_after_return(*, earning: Decimal, returned: Decimal, rule: Rule,
                        earned: int, points_used: int = 0) -> int:
    """What the order keeps once `returned` (cumulative) of its earning amount came back:
    the points of what is left, never more than it earned (0 if it earned nothing, e.g.
    in an event month)."""
    return min(earned, points_for(net_of_points(earning - returned, points_used),
                                  rule.yuan_per_point))


def settle(status: EntryStatus) -> EntryStatus:
    """The order was paid: pending points take effect (P-2). Settling again is a no-op."""
    if status in (EntryStatus.PENDING, EntryStatus.EFFECTIVE):
        return EntryStatus.EFFECTIVE
    raise IllegalTransition("the points were cancelled and cannot take effect")


def unsettle(status: EntryStatus) -> EntryStatus:
    """A payment of the fully paid order was reversed (O-6): the order is no longer paid,
    so its points are pending again until it is (P-2). Pending stays pending."""
    if status in (EntryStatus.PENDING, EntryStatus.EFFECTIVE):
        return EntryStatus.PENDING
    raise IllegalTransition("the points were cancelled")


def revise(status: EntryStatus) -> EntryStatus:
    """The order's total changed before review (O-4): only pending points follow it."""
    if status is EntryStatus.PENDING:
        return status
    raise IllegalTransition(f"the points are {status.value} and no longer follow the order")


@dataclass(frozen=True)
class Deltas:
    pending: int = 0
    effective: int = 0


def reversal(status: EntryStatus, points: int) -> Deltas:
    """Taking `points` back from an order whose points are `status`."""
    if status is EntryStatus.EFFECTIVE:
        return Deltas(effective=-points)
    return Deltas(pending=-points)


# ---------------------------------------------------------------- staff adjustment
def check_adjustment(points: int, reason: str) -> str:
    if points == 0:
        raise Unprocessable("points must not be 0")
    if abs(points) > ADJUSTMENT_MAX:
        raise Unprocessable(f"points must be between -{ADJUSTMENT_MAX} and {ADJUSTMENT_MAX}")
    reason = reason.strip()
    if not reason:
        raise Unprocessable("reason must not be empty: say why the points are adjusted")
    return reason


def check_adjustment_balance(total: int, redeemed: int, reserved: int, points: int) -> None:
    """A deduction never takes more than the customer can still use."""
    left = total - redeemed - reserved
    if points < 0 and left + points < 0:
        raise Unprocessable(f"the customer has {left} points left; cannot deduct {-points}")


# ---------------------------------------------------------------- balances
@dataclass(frozen=True)
class Balance:
    """My points (P-1): `total` took effect (earned on paid orders, adjusted by staff);
    `remaining` is what can still be used; `can_redeem` once the cumulative effective
    points reach the rule's threshold (P-2)."""

    pending: int
    total: int
    redeemed: int
    reserved: int = 0
    threshold: int = REDEMPTION_THRESHOLD

    @property
    def remaining(self) -> int:
        return self.total - self.redeemed - self.reserved

    @property
    def can_redeem(self) -> bool:
        return self.total >= self.threshold


def balance(sums: dict[str, int], threshold: int = REDEMPTION_THRESHOLD) -> Balance:
    return Balance(pending=sums.get("pending", 0), total=sums.get("effective", 0),
                   redeemed=sums.get("redeemed", 0), reserved=sums.get("reserved", 0),
                   threshold=threshold)


def check_description(content: str) -> str:
    if len(content) > DESCRIPTION_MAX:
        raise Unprocessable(f"content must be at most {DESCRIPTION_MAX} characters")
    return content


# ---------------------------------------------------------------- redemption (P-2)
class RedemptionStatus(StrEnum):
    RESERVED = "reserved"   # set aside, waiting for the order's confirmation
    HELD = "held"           # confirmed by the order, until it is approved or ends
    REDEEMED = "redeemed"   # the approved order used them
    RELEASED = "released"   # given back
    REFUSED = "refused"     # never set aside


class Refusal(StrEnum):
    INSUFFICIENT = "insufficient"
    THRESHOLD = "threshold"
    REDEEMABLE = "redeemable"


class ReleaseCause(StrEnum):
    CANCELLED = "cancelled"
    REJECTED = "rejected"
    TIMEOUT = "timeout"              # the order never confirmed the reservation
    NOT_CONFIRMED = "not_confirmed"  # the order was approved without counting on them


def redeemable_value(lines: Iterable[Line]) -> Decimal:
    """What points may pay for in an order: its consumable and accessory lines (an unknown
    product counts as a consumable, as for earning)."""
    return sum((ln.amount for ln in lines
                if ln.category is None or ln.category in REDEEMABLE_CATEGORIES), Decimal("0"))


def max_redeemable(value: Decimal) -> int:
    """1 point = 1 yuan, whole points only: 120.50 yuan of consumables take 120 points."""
    return points_for(value, Decimal("1"))


@dataclass(frozen=True)
class Decision:
    refusal: Refusal | None
    detail: str = ""


def decide_reservation(requested: int, balance: Balance, redeemable: Decimal) -> Decision:
    """Reserve `requested` points for an order, or say why not (P-2)."""
    if requested <= 0:
        raise Unprocessable("points to reserve must be more than 0")
    if not balance.can_redeem:
        return Decision(Refusal.THRESHOLD,
                        f"Points can be used once {balance.threshold} points have taken "
                        f"effect in total; you have {balance.total}")
    most = max_redeemable(redeemable)
    if requested > most:
        return Decision(Refusal.REDEEMABLE,
                        f"Points pay for consumables and accessories only: this order can "
                        f"take at most {most} points, not {requested}")
    if requested > balance.remaining:
        return Decision(Refusal.INSUFFICIENT,
                        f"You have {max(balance.remaining, 0)} points left, not {requested}")
    return Decision(None)


def confirm(status: RedemptionStatus) -> RedemptionStatus:
    """The order recorded the reservation: held until the order is decided. Confirming
    twice is a no-op; a released or refused one stays so (the order learns it from
    points.released / points.refused)."""
    if status in (RedemptionStatus.RESERVED, RedemptionStatus.HELD):
        return RedemptionStatus.HELD
    raise IllegalTransition(f"the redemption is {status.value}")


def redeem(status: RedemptionStatus) -> RedemptionStatus:
    """The order was approved counting on the points: they are spent."""
    if status in (RedemptionStatus.RESERVED, RedemptionStatus.HELD,
                  RedemptionStatus.REDEEMED):
        return RedemptionStatus.REDEEMED
    raise IllegalTransition(f"the redemption is {status.value}")


def release(status: RedemptionStatus, cause: ReleaseCause) -> RedemptionStatus:
    """Give the points back. A timeout releases only what the order never confirmed; a
    cancelled order gives back even redeemed points (never cash, P-2)."""
    if cause is ReleaseCause.TIMEOUT and status is not RedemptionStatus.RESERVED:
        raise IllegalTransition(f"the redemption is {status.value}; only an unconfirmed "
                                "reservation times out")
    if status is RedemptionStatus.REDEEMED and cause is not ReleaseCause.CANCELLED:
        raise IllegalTransition("redeemed points come back only when the order is cancelled")
    if status in (RedemptionStatus.RESERVED, RedemptionStatus.HELD,
                  RedemptionStatus.REDEEMED):
        return RedemptionStatus.RELEASED
    raise IllegalTransition(f"the redemption is {status.value}")


def release_repair(status: RedemptionStatus) -> RedemptionStatus:
    """Staff give back the points a repair charge was paid with (S-3): only spent ones."""
    if status is RedemptionStatus.REDEEMED:
        return RedemptionStatus.RELEASED
    raise IllegalTransition(f"the redemption is {status.value}")


def decide_repair(requested: int, balance: Balance, charge: Decimal) -> Decision:
    """Pay `requested` points of a repair charge (1 point = 1 yuan, whole points), or say
    why not: the same threshold and balance as for orders; the charge is the limit."""
    if requested <= 0:
        raise Unprocessable("points to use must be more than 0")
    if not balance.can_redeem:
        return decide_reservation(requested, balance, charge)
    most = max_redeemable(charge)
    if requested > most:
        return Decision(Refusal.REDEEMABLE,
                        f"The repair charge of {charge} yuan takes at most {most} points, "
                        f"not {requested}")
    return decide_reservation(requested, balance, charge)


def is_expired(status: RedemptionStatus, expires_at: datetime | None, now: datetime) -> bool:
    return (status is RedemptionStatus.RESERVED and expires_at is not None
            and expires_at <= now)


def available_delta(*, effective: int = 0, reserved: int = 0, redeemed: int = 0) -> int:
    """How a movement changes what the customer can still spend."""
    return effective - reserved - redeemed


def changes_redeemable(*, effective: int = 0, reserved: int = 0, redeemed: int = 0) -> bool:
    """Whether a movement changes any figure of the balance but the pending points (its
    total, reserved, redeemed, remaining points): only those are announced
    (points.balance_changed), for the order service's check of points asked for (P-2)."""
    return bool(effective or reserved or redeemed)
