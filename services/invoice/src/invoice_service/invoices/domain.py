"""Invoice rules, pure: which orders may be invoiced and for how much (I-1), what the
fapiao must show and where its details default from (I-1, C-1), the state machine
requested → issued → confirmed and requested → rejected → requested (I-1..I-3), and the
issue details with the split into several fapiao above the per-fapiao limit (I-2).
No I/O; unit-tested on their own."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum
from typing import Literal

from servicekit.errors import Conflict, Unprocessable
from servicekit.money import ZERO, quantize
from servicekit.timeutil import business_date

MAX_ORDERS = 100
MAX_INVOICE_NUMBER = 50
MAX_FAPIAO = 100


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
    REJECTED = "rejected"


class InvoiceType(StrEnum):
    """增值税普通发票 / 增值税专用发票."""

    ORDINARY_VAT = "ordinary_vat"
    SPECIAL_VAT = "special_vat"


class OrderState(StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


# ------------------------------------------------------------------ state machine
class Action(StrEnum):
    ISSUE = "issue"                       # finance staff (I-2)
    REJECT = "reject"                     # finance staff, with a reason
    CONFIRM_RECEIPT = "confirm_receipt"   # the customer (I-3)
    RESUBMIT = "resubmit"                 # the customer, after correcting a rejected one


S, A = InvoiceStatus, Action

# Which state allows which action and where it leads; also the `actions` the UI offers.
ALLOWED: dict[InvoiceStatus, dict[Action, InvoiceStatus]] = {
    S.REQUESTED: {A.ISSUE: S.ISSUED, A.REJECT: S.REJECTED},
    S.ISSUED: {A.CONFIRM_RECEIPT: S.CONFIRMED},
    S.REJECTED: {A.RESUBMIT: S.REQUESTED},
    S.CONFIRMED: {},
}

ACTIONS_OF: dict[Literal["staff", "customer"], frozenset[Action]] = {
    "staff": frozenset({A.ISSUE, A.REJECT}),
    "customer": frozenset({A.CONFIRM_RECEIPT, A.RESUBMIT}),
}


def _refusal(status: InvoiceStatus, action: Action) -> str:
    match action, status:
        case A.ISSUE, S.REJECTED:
            return ("the invoice request was rejected; it can be issued once the customer "
                    "has corrected and resubmitted it")
        case A.ISSUE, _:
            return f"the invoice is already {status.value} and cannot be issued again"
        case A.REJECT, S.REJECTED:
            return "the invoice request is already rejected"
        case A.REJECT, _:
            return f"the invoice is already {status.value} and can no longer be rejected"
        case A.CONFIRM_RECEIPT, S.REQUESTED:
            return ("the invoice has not been issued yet; receipt can be confirmed once it "
                    "is issued")
        case A.CONFIRM_RECEIPT, S.REJECTED:
            return "the invoice request was rejected; there is no invoice to receive"
        case A.CONFIRM_RECEIPT, _:
            return "receipt of this invoice has already been confirmed"
        case A.RESUBMIT, S.REQUESTED:
            return ("the invoice request is waiting to be issued; only a rejected request "
                    "can be resubmitted")
        case _:
            return (f"the invoice is already {status.value}; only a rejected request can be "
                    "resubmitted")


def transition(status: InvoiceStatus, action: Action) -> InvoiceStatus:
    """The state after `action`, or IllegalTransition (409) saying why not."""
    target = ALLOWED[status].get(action)
    if target is None:
        raise IllegalTransition(_refusal(status, action))
    return target


def issue(status: InvoiceStatus) -> InvoiceStatus:
    """Finance staff issue a requested invoice (I-2); only once."""
    return transition(status, A.ISSUE)


def reject(status: InvoiceStatus) -> InvoiceStatus:
    """Finance staff reject a requested invoice (not yet issued), with a reason."""
    return transition(status, A.REJECT)


def confirm(status: InvoiceStatus) -> InvoiceStatus:
    """The customer confirms receipt of an issued invoice (I-3); only once."""
    return transition(status, A.CONFIRM_RECEIPT)


def resubmit(status: InvoiceStatus) -> InvoiceStatus:
    """The customer resubmits its corrected, rejected request."""
    return transition(status, A.RESUBMIT)


def actions(status: InvoiceStatus, side: Literal["staff", "customer"]) -> list[str]:
    """The actions `side` may take on an invoice in `status` (for the UI's buttons)."""
    return [a.value for a in ALLOWED[status] if a in ACTIONS_OF[side]]


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
    refund_amount: Decimal = ZERO         # approved returns' refunds (O-9)
    in_invoice_status: str | None = None  # that invoice's status


def net_amount(total: Decimal, refund_amount: Decimal) -> Decimal:
    """What is invoiced for an order: its total less the refunds of approved returns."""
    return quantize(total - refund_amount)


def settled(order: OrderFacts) -> bool:
    """The read model knows all it will know about the order (its total from
    order.submitted and its review): a request waits a moment for an unsettled one."""
    return order.total is not None and order.status != OrderState.SUBMITTED


def check_invoiceable(orders: Iterable[OrderFacts]) -> Decimal:
    """Every order must be approved (reviewed), not rejected or cancelled, not on another
    open or issued invoice and not refunded in full; the invoice's amount is the sum of
    their totals less their refunds."""
    amount = ZERO
    for o in orders:
        if o.status in (OrderState.REJECTED, OrderState.CANCELLED):
            raise OrderNotInvoiceable(f"Order {o.number} was {o.status} and cannot be invoiced")
        if o.in_invoice is not None:
            if o.in_invoice_status in (S.ISSUED, S.CONFIRMED):
                raise OrderNotInvoiceable(
                    f"Order {o.number} is already invoiced (invoice {o.in_invoice})")
            raise OrderNotInvoiceable(
                f"Order {o.number} is already on invoice request {o.in_invoice}")
        if o.total is None:
            raise OrderNotInvoiceable(
                f"Order {o.number} is still being processed; try again in a moment")
        if o.status != OrderState.APPROVED:
            raise OrderNotInvoiceable(
                f"Order {o.number} has not been reviewed yet; it can be invoiced once it is "
                "approved")
        net = net_amount(o.total, o.refund_amount)
        if net <= 0:
            raise OrderNotInvoiceable(
                f"Order {o.number} was refunded in full; there is nothing to invoice")
        amount += net
    return quantize(amount)


# ------------------------------------------------------------------ what the fapiao shows
@dataclass(frozen=True)
class Details:
    """What the fapiao shows (and where it goes); None = not given."""

    title: str | None = None
    tax_number: str | None = None
    bank: str | None = None
    bank_account: str | None = None
    address_phone: str | None = None
    mail_to: str | None = None


@dataclass(frozen=True)
class Profile:
    """The customer's tax information from its profile (C-1; the read model)."""

    company_name: str | None = None
    invoice_title: str | None = None
    tax_number: str | None = None
    bank: str | None = None
    bank_account: str | None = None
    address: str | None = None
    area_code: str | None = None
    telephone: str | None = None
    mobile: str | None = None

    def phone(self) -> str | None:
        """The fixed line with its area code, else the mobile."""
        if self.telephone:
            return f"{self.area_code}-{self.telephone}" if self.area_code else self.telephone
        return self.mobile or None

    def defaults(self) -> Details:
        """The fapiao's details as the profile gives them: the invoice title, else the
        company name; the address with the telephone (only both together)."""
        phone = self.phone()
        address_phone = f"{self.address} {phone}" if self.address and phone else None
        return Details(title=self.invoice_title or self.company_name,
                       tax_number=self.tax_number, bank=self.bank,
                       bank_account=self.bank_account, address_phone=address_phone,
                       mail_to=None)


def with_defaults(given: Details, profile: Profile) -> Details:
    """What the customer gave, each field it left out taken from its profile."""
    defaults = profile.defaults()
    return replace(given, **{f.name: getattr(defaults, f.name) for f in fields(Details)
                             if getattr(given, f.name) is None})


# A special VAT fapiao (专票) shows the buyer's name, taxpayer number, address and
# telephone, bank and account; an ordinary one (普票) the name and, for an enterprise
# buyer, its taxpayer number (国家税务总局公告 2017 年第 16 号). Dinghuo's customers are
# companies, so an ordinary fapiao needs the tax number too.
REQUIRED: dict[InvoiceType, tuple[str, ...]] = {
    InvoiceType.ORDINARY_VAT: ("title", "tax_number"),
    InvoiceType.SPECIAL_VAT: ("title", "tax_number", "bank", "bank_account", "address_phone"),
}
TYPE_LABEL = {InvoiceType.ORDINARY_VAT: "An ordinary VAT fapiao",
              InvoiceType.SPECIAL_VAT: "A special VAT fapiao"}


def missing_details(invoice_type: InvoiceType, details: Details) -> list[str]:
    return [name for name in REQUIRED[invoice_type] if not getattr(details, name)]


def check_details(invoice_type: InvoiceType, details: Details) -> None:
    """Everything the fapiao type needs is there (after the defaults), else a 422 naming
    exactly what is missing."""
    missing = missing_details(invoice_type, details)
    if missing:
        names = ", ".join(missing)
        raise InvalidInvoice(
            f"{TYPE_LABEL[invoice_type]} needs {', '.join(REQUIRED[invoice_type])}"
            f"; missing: {names}. Give {'it' if len(missing) == 1 else 'them'} in the request "
            "or in your company profile")


def default_type(bill_types: Iterable[str | None]) -> InvoiceType:
    """The fapiao type when the request names none: special when every order asked for a
    special VAT fapiao at ordering, ordinary otherwise."""
    kinds = list(bill_types)
    if kinds and all(k == InvoiceType.SPECIAL_VAT for k in kinds):
        return InvoiceType.SPECIAL_VAT
    return InvoiceType.ORDINARY_VAT


_TAX_NUMBER = re.compile(r"[0-9A-Z]{15,20}")
_BANK_ACCOUNT = re.compile(r"[0-9]{8,30}")


def normalize_tax_number(value: str | None) -> str | None:
    """The taxpayer number (unified social credit code): 15-20 letters or digits, stored
    upper-case without spaces (as the customer service keeps it); blank means none."""
    if value is None:
        return None
    tax = re.sub(r"\s", "", value).upper()
    if not tax:
        return None
    if not _TAX_NUMBER.fullmatch(tax):
        raise ValueError("must be 15 to 20 letters (A-Z) or digits, e.g. 91310000MA1FL0XX1X")
    return tax


def normalize_bank_account(value: str | None) -> str | None:
    """A bank account number: 8-30 digits, stored without spaces or hyphens."""
    if value is None:
        return None
    account = re.sub(r"[\s\-]", "", value)
    if not account:
        return None
    if not _BANK_ACCOUNT.fullmatch(account):
        raise ValueError("must be a bank account number of 8 to 30 digits")
    return account


# ------------------------------------------------------------------ issuing (I-2)
def clean_invoice_number(value: str) -> str:
    number = (value or "").strip()
    if not number:
        raise InvalidInvoice("invoice_number must not be blank")
    if len(number) > MAX_INVOICE_NUMBER:
        raise InvalidInvoice(f"invoice_number must be at most {MAX_INVOICE_NUMBER} characters")
    return number


@dataclass(frozen=True)
class FapiaoPlan:
    """One fapiao to record: its number and amount."""

    invoice_number: str
    amount: Decimal


def plan_fapiao(amount: Decimal, limit: Decimal, *, invoice_number: str | None,
                fapiao: Sequence[tuple[str, Decimal]] | None) -> list[FapiaoPlan]:
    """The fapiao an invoice of `amount` is issued as: one `invoice_number` for the whole
    amount (at most `limit`), or several (`fapiao`: number and amount each), each at
    most `limit` and more than zero, their numbers distinct and their amounts adding up
    to exactly `amount`. A blank `invoice_number` beside `fapiao` is a form's empty
    field, not a second answer."""
    if fapiao is not None and invoice_number is not None and not invoice_number.strip():
        invoice_number = None
    if invoice_number is not None and fapiao is not None:
        raise InvalidInvoice("give either invoice_number (one fapiao) or fapiao (several), "
                             "not both")
    if invoice_number is None and fapiao is None:
        raise InvalidInvoice("invoice_number: give the fapiao's number (or fapiao: the "
                             "numbers and amounts of several fapiao)")
    if fapiao is None:
        number = clean_invoice_number(invoice_number or "")
        if amount > limit:
            raise InvalidInvoice(
                f"The amount {amount} is above the limit of {quantize(limit)} per fapiao: "
                f"issue it as at least {fapiao_needed(amount, limit)} fapiao (fapiao: "
                "[{invoice_number, amount}, …])")
        return [FapiaoPlan(number, amount)]
    if not fapiao:
        raise InvalidInvoice("fapiao: list at least one fapiao")
    if len(fapiao) > MAX_FAPIAO:
        raise InvalidInvoice(f"fapiao: at most {MAX_FAPIAO} fapiao per invoice")
    plans: list[FapiaoPlan] = []
    seen: set[str] = set()
    for i, (raw_number, part) in enumerate(fapiao, start=1):
        try:
            number = clean_invoice_number(raw_number)
        except InvalidInvoice as exc:
            raise InvalidInvoice(f"fapiao.{i}.{exc.message}") from exc
        if number in seen:
            raise InvalidInvoice(f"fapiao.{i}: invoice number {number} is listed twice")
        seen.add(number)
        if part <= 0:
            raise InvalidInvoice(f"fapiao.{i}: the amount of fapiao {number} must be more "
                                 "than zero")
        if part > limit:
            raise InvalidInvoice(
                f"fapiao.{i}: the amount {quantize(part)} of fapiao {number} is above the "
                f"limit of {quantize(limit)} per fapiao")
        plans.append(FapiaoPlan(number, quantize(part)))
    total = quantize(sum((p.amount for p in plans), ZERO))
    if total != quantize(amount):
        raise InvalidInvoice(
            f"fapiao: the amounts add up to {total}, but the invoice is for "
            f"{quantize(amount)}")
    return plans


def fapiao_needed(amount: Decimal, limit: Decimal) -> int:
    """The fewest fapiao an amount can be issued as."""
    whole = (amount / limit).to_integral_value(rounding=ROUND_DOWN)
    return max(1, int(whole) + (1 if whole * limit < amount else 0))


def suggest_split(amount: Decimal, limit: Decimal) -> list[Decimal]:
    """The fewest fapiao amounts: as many full ones as fit, then the rest
    (112210.00 with a limit of 100000.00 → 100000.00 + 12210.00)."""
    if amount <= 0:
        return []
    limit = quantize(limit)
    parts: list[Decimal] = []
    rest = quantize(amount)
    while rest > limit:
        parts.append(limit)
        rest -= limit
    parts.append(quantize(rest))
    return parts


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


def clean_reason(value: str) -> str:
    reason = (value or "").strip()
    if not reason:
        raise InvalidInvoice("reason: say why the request is rejected")
    return reason


# ------------------------------------------------------------------ lists (I-2, C-7)
@dataclass(frozen=True)
class InvoiceFilter:
    """Which invoices a list or export shows: by status, customer and a search text
    (title, customer, tax number, order or fapiao number); `areas` limits staff bound to
    areas to their customers (C-7)."""

    customer_id: uuid.UUID | None = None
    status: str | None = None
    q: str | None = None
    areas: frozenset[str] = frozenset()
