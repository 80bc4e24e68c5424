"""Invoice rules, pure: which orders may be invoiced and for how much (I-1), the state
machine requested → issued → confirmed (I-2, I-3) and the issue details (I-2).
No I/O; unit-tested on their own."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from servicekit.errors import Conflict, Unprocessable
from servicekit.money import quantize
from servicekit.timeutil import business_date

MAX_ORDERS = 100
MAX_INVOICE_NUMBER = 50


class InvalidInvoice(Unprocessable):
    """The request breaks a rule of its own content (422)."""


class IllegalTransition(Conflict):
    """The invoice's current state does not allow this (409)."""


class OrderNotInvoiceable(Conflict):
    """An order cannot go on this invoice (409)."""


class InvoiceStatus(StrEnum):
    REQUESTED = "requested"
    ISSUED = "issued"
    CONFIRMED = "confirmed"


class OrderState(StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


# ------------------------------------------------------------------ state machine
def issue(status: InvoiceStatus) -> InvoiceStatus:
    """Finance staff issue a requested invoice (I-2); only once."""
    if status is InvoiceStatus.REQUESTED:
        return InvoiceStatus.ISSUED
    raise IllegalTransition(f"the invoice is already {status.value} and cannot be issued again")


def confirm(status: InvoiceStatus) -> InvoiceStatus:
    """The customer confirms receipt of an issued invoice (I-3); only once."""
    if status is InvoiceStatus.ISSUED:
        return InvoiceStatus.CONFIRMED
    if status is InvoiceStatus.REQUESTED:
        raise IllegalTransition(
            "the invoice has not been issued yet; receipt can be confirmed once it is issued")
    raise IllegalTransition("receipt of this invoice has already been confirmed")


# ------------------------------------------------------------------ the request (I-1)
@dataclass(frozen=True)
class OrderRef:
    """What the customer typed: an order id or an order number such as DH20261123-0007."""

    raw: str
    order_id: uuid.UUID | None
    number: str | None


def parse_order_refs(values: Sequence[str]) -> list[OrderRef]:
    """Normalise the customer's order references; repeated ones count once."""
    if not values:
        raise InvalidInvoice("order_ids: name at least one order to invoice")
    if len(values) > MAX_ORDERS:
        raise InvalidInvoice(f"order_ids: at most {MAX_ORDERS} orders fit on one invoice")
    refs: dict[str, OrderRef] = {}
    for i, value in enumerate(values, start=1):
        raw = (value or "").strip()
        if not raw:
            raise InvalidInvoice(f"order_ids.{i}: an order number must not be blank")
        try:
            ref = OrderRef(raw, uuid.UUID(raw), None)
            key = str(ref.order_id)
        except ValueError:
            ref = OrderRef(raw, None, raw.upper())
            key = ref.number
        refs.setdefault(key, ref)
    return list(refs.values())


@dataclass(frozen=True)
class OrderFacts:
    """What the invoice service knows of an order (its read model)."""

    order_id: uuid.UUID
    number: str
    status: str
    total: Decimal | None
    in_invoice: uuid.UUID | None = None  # the active invoice already covering it


def check_invoiceable(orders: Iterable[OrderFacts]) -> Decimal:
    """Every order must be known, not rejected or cancelled and not on another invoice;
    the invoice's amount is the sum of their totals."""
    amount = Decimal("0")
    for o in orders:
        if o.status in (OrderState.REJECTED, OrderState.CANCELLED):
            raise OrderNotInvoiceable(f"Order {o.number} was {o.status} and cannot be invoiced")
        if o.in_invoice is not None:
            raise OrderNotInvoiceable(
                f"Order {o.number} is already on invoice request {o.in_invoice}")
        if o.total is None:
            raise OrderNotInvoiceable(
                f"Order {o.number} is still being processed; try again in a moment")
        amount += o.total
    return quantize(amount)


# ------------------------------------------------------------------ issuing (I-2)
def clean_invoice_number(value: str) -> str:
    number = (value or "").strip()
    if not number:
        raise InvalidInvoice("invoice_number must not be blank")
    if len(number) > MAX_INVOICE_NUMBER:
        raise InvalidInvoice(f"invoice_number must be at most {MAX_INVOICE_NUMBER} characters")
    return number


def check_issue_dates(invoice_date: date, sent_at: datetime | None,
                      today: date | None = None) -> None:
    """The invoice date is not in the future (Asia/Shanghai business date); the invoice
    is not sent before it is dated, nor in the future."""
    today = today or business_date()
    if invoice_date > today:
        raise InvalidInvoice(
            f"invoice_date {invoice_date.isoformat()} is in the future (today is "
            f"{today.isoformat()})")
    if sent_at is not None:
        sent_day = business_date(sent_at)
        if sent_day > today:
            raise InvalidInvoice("sent_at must not be in the future")
        if sent_day < invoice_date:
            raise InvalidInvoice(
                f"sent_at {sent_day.isoformat()} is before the invoice_date "
                f"{invoice_date.isoformat()}")
