"""Monthly account statements (对账单, B-1), pure: which month is asked for, its bounds in
Asia/Shanghai, what each kind of entry does to what the customer owes, the statement's
arithmetic (opening balance, entries by business date with a running balance, closing
balance) and the customer's acknowledgement (open → confirmed | disputed; staff answer
a dispute and it is open again). No I/O; unit-tested on their own
(tests/test_statements_domain.py).

The balance is what the customer owes the supplier (negative: a credit in its favour).
Every entry counts on its business date and is never taken back retroactively: a later
change is a counter-entry on its own date, so a month that has ended keeps its figures
unless an entry is recorded late with an earlier date (a payment dated back), which the
acknowledgement notices (`changed_since`)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from enum import StrEnum

from servicekit.errors import Conflict, Unprocessable
from servicekit.money import ZERO, quantize
from servicekit.timeutil import BUSINESS_TZ

# The first month a statement can be asked for (dates before 2000 are refused
# everywhere, servicekit.dates).
FIRST_YEAR = 2000


class InvalidMonth(Unprocessable):
    """The month asked for is malformed, before 2000 or has not begun (422)."""


class MonthNotEnded(Unprocessable):
    """Only a month that has ended can be confirmed or disputed (422)."""


class StatementConflict(Conflict):
    """The statement's acknowledgement does not allow this now (409)."""


class StatementChanged(Conflict):
    """The statement changed since the customer loaded it (409)."""


# ==================================================================== the month
@dataclass(frozen=True, order=True)
class Month:
    """A calendar month of business dates (Asia/Shanghai)."""

    year: int
    month: int

    @property
    def label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date.fromordinal(self.next().first_day.toordinal() - 1)

    def next(self) -> Month:
        return Month(self.year + 1, 1) if self.month == 12 else Month(self.year, self.month + 1)

    def previous(self) -> Month:
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)

    @property
    def start(self) -> datetime:
        """The first instant of the month in Asia/Shanghai (as UTC)."""
        return _instant(self.first_day)

    @property
    def end(self) -> datetime:
        """The first instant after the month in Asia/Shanghai (as UTC): exclusive."""
        return _instant(self.next().first_day)

    def ended(self, today: date) -> bool:
        """The month is over once its last business date has passed."""
        return self.last_day < today

    def __str__(self) -> str:
        return self.label


def _instant(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=BUSINESS_TZ).astimezone(UTC)


def month_of(day: date) -> Month:
    return Month(day.year, day.month)


def default_month(today: date) -> Month:
    """Without a month the statement is last month's: the latest one that has ended."""
    return month_of(today).previous()


_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


def parse_month(text: str | None, today: date) -> Month:
    """`2026-11` → that month; None → last month. A malformed month, one before 2000-01
    or one that has not begun yet (after today's month, Asia/Shanghai) is a 422 that
    says which."""
    if text is None:
        return default_month(today)
    raw = text.strip()
    m = _MONTH.fullmatch(raw)
    if m is None:
        raise InvalidMonth(f"month: {_show(raw)} is not a month; write it as YYYY-MM, "
                           "e.g. 2026-11")
    year, number = int(m.group(1)), int(m.group(2))
    if not 1 <= number <= 12:
        raise InvalidMonth(f"month: {raw} is not a month; months are 01 to 12")
    month = Month(year, number)
    if year < FIRST_YEAR:
        raise InvalidMonth(f"month: {raw} is before {FIRST_YEAR}-01; statements start "
                           f"in {FIRST_YEAR}-01")
    if month > month_of(today):
        raise InvalidMonth(f"month: {raw} has not begun yet; the latest statement is "
                           f"{month_of(today).label} (so far)")
    return month


def _show(text: str, limit: int = 20) -> str:
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    return repr(shown)


# ==================================================================== entries
class EntryKind(StrEnum):
    """What moved the balance, each on its business date (Asia/Shanghai):

    - order: an approved order's total, on the date of its (last) approval — what the
      order's `outstanding` counts from; submitted, rejected and never-approved orders
      owe nothing;
    - cancellation: an approved order cancelled later takes its total back, on the
      cancellation date;
    - return: an approved return (O-9) credits its refund amount, on the decision date;
    - payment: money received (O-6), on its `paid_on` date;
    - reversal: an approved reversal of a wrongly recorded payment (its counter-entry,
      O-6), on the approval date;
    - refund: money paid back to the customer, on its `refunded_on` date.
    """

    ORDER = "order"
    CANCELLATION = "cancellation"
    RETURN = "return"
    PAYMENT = "payment"
    REVERSAL = "reversal"
    REFUND = "refund"


# What each kind does to what the customer owes: +1 owes more, -1 owes less.
SIGN: dict[EntryKind, int] = {
    EntryKind.ORDER: 1,
    EntryKind.CANCELLATION: -1,
    EntryKind.RETURN: -1,
    EntryKind.PAYMENT: -1,
    EntryKind.REVERSAL: 1,
    EntryKind.REFUND: 1,
}
# Within one day: what was owed first, then what reduced it.
_RANK = {kind: i for i, kind in enumerate(EntryKind)}


@dataclass(frozen=True)
class Entry:
    """One movement as recorded (`amount` as recorded, positive or zero)."""

    kind: EntryKind
    on: date
    amount: Decimal
    id: uuid.UUID
    order_id: uuid.UUID | None = None
    order_number: str | None = None
    # How it was paid or refunded, and its reference (payments and refunds).
    method: str | None = None
    reference: str | None = None
    # When it was recorded: the order among entries of the same day and kind.
    recorded_at: datetime | None = None

    @property
    def change(self) -> Decimal:
        """The entry's effect on the balance (signed)."""
        return quantize(self.amount * SIGN[self.kind])


@dataclass(frozen=True)
class Line:
    entry: Entry
    balance: Decimal  # the balance after this entry

    @property
    def debit(self) -> Decimal | None:
        """What it added to the balance (an order, a reversal, a refund)."""
        return self.entry.change if self.entry.change > 0 else None

    @property
    def credit(self) -> Decimal | None:
        """What it took off the balance (a cancellation, a return, a payment)."""
        return -self.entry.change if self.entry.change < 0 else None


@dataclass(frozen=True)
class Statement:
    month: Month
    opening: Decimal
    lines: tuple[Line, ...]
    closing: Decimal
    totals: Mapping[EntryKind, Decimal] = field(default_factory=dict)

    @property
    def debits(self) -> Decimal:
        return quantize(sum((ln.debit or ZERO for ln in self.lines), ZERO))

    @property
    def credits(self) -> Decimal:
        return quantize(sum((ln.credit or ZERO for ln in self.lines), ZERO))


def sort_key(e: Entry) -> tuple:
    """By business date; on one day what was owed before what reduced it; then in the
    order recorded (orders approved together by their numbers)."""
    return (e.on, _RANK[e.kind], e.recorded_at or datetime.min.replace(tzinfo=UTC),
            e.order_number or "", str(e.id))


def opening_balance(before: Mapping[EntryKind, Decimal]) -> Decimal:
    """The balance brought forward: every kind's total before the month, signed."""
    return quantize(sum((Decimal(amount) * SIGN[EntryKind(kind)]
                         for kind, amount in before.items()), ZERO))


def totals(entries: Iterable[Entry]) -> dict[EntryKind, Decimal]:
    """Each kind's total in the month (as recorded, unsigned; zero when none)."""
    out = {kind: ZERO for kind in EntryKind}
    for e in entries:
        out[e.kind] = quantize(out[e.kind] + e.amount)
    return out


def build(month: Month, opening: Decimal, entries: Iterable[Entry]) -> Statement:
    """The month's statement: its entries in `sort_key` order with the balance after each,
    and the closing balance = opening + orders − cancellations − returns − payments +
    reversals + refunds. An entry dated outside the month is a programming error."""
    items = sorted(entries, key=sort_key)
    for e in items:
        if not month.first_day <= e.on <= month.last_day:
            raise ValueError(f"entry {e.id} of {e.on} is not in {month}")
        if e.amount < 0:
            raise ValueError(f"entry {e.id} has a negative amount {e.amount}")
    balance = quantize(opening)
    lines = []
    for e in items:
        balance = quantize(balance + e.change)
        lines.append(Line(e, balance))
    return Statement(month=month, opening=quantize(opening), lines=tuple(lines),
                     closing=balance, totals=totals(items))


# ==================================================================== acknowledgement
class StatementStatus(StrEnum):
    OPEN = "open"            # not (or no longer) acknowledged
    CONFIRMED = "confirmed"  # the customer agreed with the figures
    DISPUTED = "disputed"    # the customer disagreed, with a note; staff answer


class StatementAction(StrEnum):
    CONFIRM = "confirm"      # the customer, an ended month
    DISPUTE = "dispute"      # the customer, an ended month, with a note
    RESOLVE = "resolve"      # staff answer a dispute, with a note: open again


# Which acknowledgement allows which action. A confirmed statement whose figures changed
# since (a late entry) counts as open again: the customer confirms or disputes anew.
ALLOWED: dict[StatementAction, frozenset[StatementStatus]] = {
    StatementAction.CONFIRM: frozenset({StatementStatus.OPEN}),
    StatementAction.DISPUTE: frozenset({StatementStatus.OPEN}),
    StatementAction.RESOLVE: frozenset({StatementStatus.DISPUTED}),
}
CUSTOMER_ACTIONS = (StatementAction.CONFIRM, StatementAction.DISPUTE)
STAFF_ACTIONS = (StatementAction.RESOLVE,)


@dataclass(frozen=True)
class Acknowledged:
    """The figures the customer last confirmed or disputed."""

    opening: Decimal
    closing: Decimal


def changed_since(acknowledged: Acknowledged | None, statement: Statement) -> bool:
    """The statement's figures are no longer those the customer acknowledged."""
    return acknowledged is not None and (
        quantize(acknowledged.opening) != statement.opening
        or quantize(acknowledged.closing) != statement.closing)


def effective(status: StatementStatus, changed: bool) -> StatementStatus:
    return StatementStatus.OPEN if status is StatementStatus.CONFIRMED and changed else status


def check(action: StatementAction, status: StatementStatus, *, changed: bool, ended: bool,
          month: Month) -> StatementStatus:
    """The acknowledgement after `action`, or the 422/409 that says why not."""
    check_ended(action, ended=ended, month=month)
    now = effective(status, changed)
    if now not in ALLOWED[action]:
        raise StatementConflict(_refusal(action, now, month))
    return {StatementAction.CONFIRM: StatementStatus.CONFIRMED,
            StatementAction.DISPUTE: StatementStatus.DISPUTED,
            StatementAction.RESOLVE: StatementStatus.OPEN}[action]


def check_ended(action: StatementAction, *, ended: bool, month: Month) -> None:
    """The customer acknowledges a month once it is over (422 before)."""
    if action in CUSTOMER_ACTIONS and not ended:
        what = "confirmed" if action is StatementAction.CONFIRM else "disputed"
        raise MonthNotEnded(f"month: {month} has not ended yet; a statement can be {what} "
                            "once its month is over")


def _refusal(action: StatementAction, status: StatementStatus, month: Month) -> str:
    if action is StatementAction.RESOLVE:
        return f"the statement of {month} is not disputed; there is nothing to resolve"
    if status is StatementStatus.CONFIRMED:
        return f"the statement of {month} is already confirmed"
    return (f"the statement of {month} is disputed; staff will answer the dispute, then it "
            "can be confirmed")


def actions(status: StatementStatus, *, changed: bool, ended: bool,
            side: str) -> list[str]:
    """What the UI may offer now (each side its own): from the same table as `check`."""
    now = effective(status, changed)
    mine = CUSTOMER_ACTIONS if side == "customer" else STAFF_ACTIONS
    return [a.value for a in mine if now in ALLOWED[a]
            and (ended or a not in CUSTOMER_ACTIONS)]


def check_expected(expected: Decimal | None, statement: Statement) -> None:
    """A confirmation may name the closing balance the customer saw; a different one
    now means the statement changed meanwhile (409): reload and look again."""
    if expected is not None and quantize(expected) != statement.closing:
        raise StatementChanged(
            f"the statement of {statement.month} changed since you loaded it: the closing "
            f"balance is now {statement.closing}, not {quantize(expected)}; reload it")

