"""Payment rules (O-6, B-2), pure. The ledger: an order's payment status, a payment at
most the outstanding amount and its effect on the paid total, a reversal's review (four
eyes) and its effect on the paid total, what may be refunded.
Online payment: which order may be paid online and how much,
when an open intent can be shown again instead of asking the provider anew, whether a
provider's notification matches the intent it names, and what a paid notification does
to the order. No I/O; unit-tested on their own (tests/test_online_payment_domain.py)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from servicekit.errors import Conflict, Unprocessable
from servicekit.money import quantize

from ..orders.domain import NOT_OWED, IllegalTransition, InvalidOrder, OrderStatus
from .providers.base import CURRENCY

# The Payment.method an online payment is recorded with, per provider.
METHODS = {"wechat": "wechat_pay", "alipay": "alipay", "sandbox": "sandbox"}
# The line on the customer's statement / in the provider's app.
DESCRIPTION = "订货平台订单 {number}"
# An open intent is shown again only while it has at least this long to run: a QR code
# about to expire is not worth scanning.
REUSE_MARGIN = timedelta(minutes=2)
# The providers' words for a trade that ended without payment (WeChat CLOSED, PAYERROR,
# REVOKED; Alipay TRADE_CLOSED): the intent is then `failed`.
FAILED_TRADE_STATES = frozenset({"CLOSED", "PAYERROR", "REVOKED", "TRADE_CLOSED"})


class IntentStatus(StrEnum):
    CREATED = "created"   # offered to the customer, not paid (yet)
    PAID = "paid"         # the provider's verified notification said it was paid
    EXPIRED = "expired"   # ran out unpaid (shown so; stored once replaced)
    FAILED = "failed"     # the provider reported the trade closed or failed


class NothingOutstanding(Conflict):
    """The order cannot be paid online now (409)."""


class ProviderNotEnabled(Unprocessable):
    """The provider asked for is not one this platform offers (422)."""


def check_provider(asked: str, enabled: list[str]) -> str:
    if asked in enabled:
        return asked
    if not enabled:
        raise ProviderNotEnabled("Online payment is not enabled on this platform")
    raise ProviderNotEnabled(
        f"provider: {asked!r} is not enabled; choose {' or '.join(repr(p) for p in enabled)}")


def payable_amount(status: OrderStatus, due_date: date | None, total: Decimal,
                   paid_total: Decimal) -> Decimal:
    """What an online payment of this order is for: everything outstanding, on an
    approved order (its due date is set on approval, O-6) that still owes it. Otherwise a
    409 saying why."""
    if status in NOT_OWED:
        raise NothingOutstanding(
            f"the order is {status.value} and owes nothing; it cannot be paid online")
    if due_date is None:
        raise NothingOutstanding(
            "the order has not been approved yet; it can be paid online once it is")
    outstanding = quantize(total - paid_total)
    if outstanding <= 0:
        raise NothingOutstanding("the order is already fully paid")
    return outstanding


def reusable(status: str, provider: str, amount: Decimal, expires_at: datetime, *,
             want_provider: str, want_amount: Decimal, now: datetime) -> bool:
    """An open intent for the same provider and amount that has a while left to run is
    shown again: no second QR code (and no second trade at the provider) for one debt."""
    return (status == IntentStatus.CREATED and provider == want_provider
            and quantize(amount) == quantize(want_amount)
            and expires_at - now >= REUSE_MARGIN)


def shown_status(status: str, expires_at: datetime, now: datetime) -> IntentStatus:
    """An unpaid intent past its expiry shows as expired (a late notification of a real
    payment still counts: the money was taken)."""
    if status == IntentStatus.CREATED and expires_at <= now:
        return IntentStatus.EXPIRED
    return IntentStatus(status)


def out_trade_no(order_number: str) -> str:
    """Our number for the provider: the order number's letters and digits and 12 random
    hex digits, e.g. DH202612010007A1B2C3D4E5F6 — at most 32 characters of letters and
    digits, which WeChat Pay (6..32 of [A-Za-z0-9_-|*]) and Alipay (letters, digits,
    underscore, ≤ 64) both accept, and unique."""
    base = "".join(ch for ch in order_number if ch.isascii() and ch.isalnum())[:20]
    return f"{base}{secrets.token_hex(6).upper()}"


@dataclass(frozen=True)
class Mismatch:
    """Why a verified notification does not fit the intent it names."""

    reason: str


def mismatch(intent_provider: str, intent_amount: Decimal, intent_currency: str, *,
             provider: str, amount: Decimal, currency: str) -> Mismatch | None:
    """The notification must come from the intent's provider and be for exactly the
    intent's amount and currency; anything else is refused and records nothing."""
    if provider != intent_provider:
        return Mismatch(f"the intent was made with {intent_provider}, the notification "
                        f"came from {provider}")
    if currency != intent_currency or currency != CURRENCY:
        return Mismatch(f"currency {currency} differs from the intent's {intent_currency}")
    if quantize(amount) != quantize(intent_amount):
        return Mismatch(f"amount {quantize(amount)} differs from the intent's "
                        f"{quantize(intent_amount)}")
    return None


class Settlement(StrEnum):
    RECORD = "record"              # record a Payment of the intent's amount
    UNAPPLIED = "unapplied"        # paid, but the order no longer owes it: note only


@dataclass(frozen=True)
class PaidOutcome:
    settlement: Settlement
    note: str | None = None


def settle(status: OrderStatus, total: Decimal, paid_total: Decimal,
           amount: Decimal) -> PaidOutcome:
    """A provider confirmed a payment of `amount` for the order. It is recorded as a
    payment when the order still owes at least that much; when the order was meanwhile
    paid by other means (a staff-recorded transfer) or cancelled, the money is not
    recorded against it (the order's total caps its payments) and the intent keeps a note
    for staff to refund or reconcile."""
    outstanding = quantize(total - paid_total)
    if status in NOT_OWED:
        return PaidOutcome(Settlement.UNAPPLIED, (
            f"paid online after the order was {status.value}: {quantize(amount)} not "
            "recorded against it; refund the customer"))
    if amount > outstanding:
        return PaidOutcome(Settlement.UNAPPLIED, (
            f"paid online while only {outstanding} was outstanding (paid meanwhile by other "
            f"means): {quantize(amount)} not recorded against the order; refund or "
            "reconcile"))
    return PaidOutcome(Settlement.RECORD)


# ==================================================================== the ledger (O-6)
# Several payments per order, each at most what is still outstanding; a wrongly recorded
# payment is reversed by a reviewed counter-entry (never edited); refunds pay back what an
# approved return or a cancellation leaves owed to the customer.
class Overpayment(Conflict):
    """The amount is more than the order still owes (409)."""


class ReversalNotAllowed(Conflict):
    """The payment or its reversal is not in a state that allows this (409)."""


class SameReviewer(Conflict):
    """A reversal is reviewed by someone other than who asked for it (409)."""


class NotRefundable(Conflict):
    """The refund is more than may be refunded (409)."""


class PaymentStatus(StrEnum):
    UNPAID = "unpaid"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"


def payment_status(total: Decimal, paid: Decimal) -> PaymentStatus:
    if paid <= 0:
        return PaymentStatus.UNPAID
    return PaymentStatus.PAID if paid >= total else PaymentStatus.PARTIALLY_PAID


@dataclass(frozen=True)
class PaymentOutcome:
    paid_total: Decimal
    outstanding: Decimal
    fully_paid_now: bool


def apply_payment(
    status: OrderStatus, total: Decimal, paid_total: Decimal, amount: Decimal
) -> PaymentOutcome:
    """Record an amount against an order (O-6): never on a rejected order, never more
    than what is outstanding. `fully_paid_now` is true once, on the payment that
    completes it."""
    if status in (OrderStatus.REJECTED, OrderStatus.CANCELLED):
        raise IllegalTransition(
            f"the order was {status.value}; payments cannot be recorded against it")
    if amount <= 0:
        raise InvalidOrder("amount must be greater than zero")
    outstanding = total - paid_total
    if outstanding <= 0:
        raise IllegalTransition("the order is already fully paid")
    if amount > outstanding:
        raise InvalidOrder(
            f"amount {quantize(amount)} exceeds the outstanding balance {quantize(outstanding)}")
    new_paid = quantize(paid_total + amount)
    return PaymentOutcome(
        paid_total=new_paid, outstanding=quantize(total - new_paid),
        fully_paid_now=new_paid >= total,
    )


def check_payment_amount(status: OrderStatus, total: Decimal, paid_total: Decimal,
                         amount: Decimal) -> None:
    """A payment of an order that still owes something may be at most the outstanding
    amount: more is a 409 naming it. (A rejected, cancelled or fully paid order is refused
    by `apply_payment` with its own reason.)"""
    outstanding = quantize(total - paid_total)
    if status not in NOT_OWED and outstanding > 0 and amount > outstanding:
        raise Overpayment(f"amount {quantize(amount)} exceeds the outstanding balance "
                          f"{outstanding}; at most {outstanding} can be recorded")


class PaymentState(StrEnum):
    """A payment as the ledger shows it."""

    RECORDED = "recorded"                  # counts towards the paid total
    REVERSAL_PENDING = "reversal_pending"  # a reversal waits for review; still counts
    REVERSED = "reversed"                  # an approved reversal took it back


class ReversalStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


def payment_state(reversed_by: object | None, pending_reversal: bool) -> PaymentState:
    if reversed_by is not None:
        return PaymentState.REVERSED
    return PaymentState.REVERSAL_PENDING if pending_reversal else PaymentState.RECORDED


def check_reversal_request(state: PaymentState) -> None:
    """A reversal may be asked for a payment that counts and has none pending."""
    if state is PaymentState.REVERSED:
        raise ReversalNotAllowed("the payment has already been reversed")
    if state is PaymentState.REVERSAL_PENDING:
        raise ReversalNotAllowed("a reversal of this payment is already waiting for review")


def decide_reversal(status: ReversalStatus, requested_by: str, reviewer: str, *,
                    approve: bool) -> ReversalStatus:
    """A pending reversal is approved or rejected by another staff member than who asked
    for it (user ids compared); anything else is a 409."""
    if status is not ReversalStatus.PENDING:
        raise ReversalNotAllowed(f"the reversal was already {status.value}")
    if requested_by == reviewer:
        raise SameReviewer("a reversal must be reviewed by another staff member than the "
                           "one who asked for it")
    return ReversalStatus.APPROVED if approve else ReversalStatus.REJECTED


@dataclass(frozen=True)
class ReversalOutcome:
    paid_total: Decimal
    outstanding: Decimal
    # The order was fully paid (order.payment_received went out) and no longer is.
    no_longer_paid: bool


def apply_reversal(total: Decimal, paid_total: Decimal, refunded_total: Decimal,
                   amount: Decimal) -> ReversalOutcome:
    """Take a reversed payment's `amount` off the paid total. The paid total never falls
    below what was already refunded (refunds are of money received): 409 then."""
    new_paid = quantize(paid_total - amount)
    if new_paid < 0:
        raise ReversalNotAllowed(f"reversing {quantize(amount)} would take the paid total "
                                 f"{quantize(paid_total)} below zero")
    if new_paid < refunded_total:
        raise ReversalNotAllowed(
            f"{quantize(refunded_total)} has been refunded on this order; reversing "
            f"{quantize(amount)} would leave only {new_paid} paid")
    return ReversalOutcome(paid_total=new_paid, outstanding=quantize(total - new_paid),
                           no_longer_paid=paid_total >= total > new_paid)


def refundable(status: OrderStatus, paid_total: Decimal, refunded_total: Decimal,
               approved_return_refunds: Decimal) -> Decimal:
    """What may still be refunded: the approved returns' refund amounts (O-9) — for a
    cancelled order everything paid — less the refunds already recorded, and never more
    than was paid and not yet refunded."""
    owed = paid_total if status is OrderStatus.CANCELLED else approved_return_refunds
    return max(Decimal("0.00"), quantize(min(owed, paid_total) - refunded_total))


def check_refund(amount: Decimal, can_refund: Decimal) -> None:
    if amount > can_refund:
        if can_refund <= 0:
            raise NotRefundable(
                "nothing can be refunded on this order: refunds are for approved returns "
                "and cancelled orders, up to what was paid and not yet refunded")
        raise NotRefundable(f"amount {quantize(amount)} exceeds the refundable amount "
                            f"{quantize(can_refund)}")
