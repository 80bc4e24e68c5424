"""Order rules, pure: pricing from the customer's own prices (O-3), the order's state
machine (O-4, O-5, O-8), modification diffs and optimistic locking (O-4), numbering (O-2),
due dates and overdue orders (O-6), credit limits and holds (B-3) and returns (O-9). No
I/O; unit-tested on their own. Shipments and receipts have their rules in
`shipments.domain`, payments theirs in `payments.domain`; both move the order through
this state machine."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from servicekit.errors import Conflict, Unprocessable
from servicekit.money import quantize

MAX_QUANTITY = 1_000_000


class InvalidOrder(Unprocessable):
    """The order breaks a rule of its own content (422)."""


class IllegalTransition(Conflict):
    """The order's current state does not allow this (409)."""


class StaleVersion(Conflict):
    """The client changed an order from an out-of-date copy (optimistic locking, 409)."""


class CreditHeld(Conflict):
    """The order is on credit hold (B-3): finance must release it before approval (409)."""


# ------------------------------------------------------------------ the state machine
class OrderStatus(StrEnum):
    """Where an order is in its life (O-4, O-5, O-8). `approved` and `received` are
    passed through on the way to `processing` and `completed` (they are on the timeline)
    but an order only rests in `received` while a shortage waits for staff."""

    SUBMITTED = "submitted"                      # waits for review ("to be processed")
    PENDING_SECOND_REVIEW = "pending_second_review"  # approved once, above the threshold
    APPROVED = "approved"                        # reviewed; moves on to processing at once
    REJECTED = "rejected"
    CANCELLATION_REQUESTED = "cancellation_requested"
    CANCELLED = "cancelled"
    PROCESSING = "processing"                    # the "processed" group, nothing shipped yet
    PARTIALLY_SHIPPED = "partially_shipped"
    SHIPPED = "shipped"                          # all shipped, receipts outstanding
    RECEIVED = "received"                        # all receipts in, with a shortage
    COMPLETED = "completed"


S = OrderStatus
# An order is "reviewed" (frozen: its content and lines can no longer change) from its
# first approval or its rejection on. The database refuses such changes too (trigger).
EDITABLE = frozenset({S.SUBMITTED})
TERMINAL = frozenset({S.REJECTED, S.CANCELLED, S.COMPLETED})


class Action(StrEnum):
    MODIFY = "modify"                            # customer, O-4
    CANCEL = "cancel"                            # customer, before review
    APPROVE = "approve"                          # staff, O-5 (first or only approval)
    SECOND_APPROVE = "second_approve"            # staff, a different reviewer
    REJECT = "reject"                            # staff, O-5
    START_PROCESSING = "start_processing"        # automatic after approval
    REQUEST_CANCELLATION = "request_cancellation"  # customer, after review
    APPROVE_CANCELLATION = "approve_cancellation"  # staff
    REJECT_CANCELLATION = "reject_cancellation"    # staff
    SHIP = "ship"                                # staff, O-8
    CONFIRM_RECEIPT = "confirm_receipt"          # customer, O-8
    COMPLETE = "complete"                        # staff, settles a shortage
    REQUEST_RETURN = "request_return"            # customer, O-9
    RELEASE_CREDIT_HOLD = "release_credit_hold"  # finance, B-3 (a held order only)


# Which states allow which action; everything else is an illegal transition (409).
ALLOWED: dict[Action, frozenset[OrderStatus]] = {
    Action.MODIFY: frozenset({S.SUBMITTED}),
    Action.CANCEL: frozenset({S.SUBMITTED}),
    Action.APPROVE: frozenset({S.SUBMITTED}),
    Action.SECOND_APPROVE: frozenset({S.PENDING_SECOND_REVIEW}),
    Action.REJECT: frozenset({S.SUBMITTED, S.PENDING_SECOND_REVIEW}),
    Action.START_PROCESSING: frozenset({S.APPROVED}),
    Action.REQUEST_CANCELLATION: frozenset({S.PENDING_SECOND_REVIEW, S.PROCESSING}),
    Action.APPROVE_CANCELLATION: frozenset({S.CANCELLATION_REQUESTED}),
    Action.REJECT_CANCELLATION: frozenset({S.CANCELLATION_REQUESTED}),
    Action.SHIP: frozenset({S.PROCESSING, S.PARTIALLY_SHIPPED}),
    Action.CONFIRM_RECEIPT: frozenset({S.PARTIALLY_SHIPPED, S.SHIPPED}),
    Action.COMPLETE: frozenset({S.RECEIVED}),
    Action.REQUEST_RETURN: frozenset({S.PARTIALLY_SHIPPED, S.SHIPPED, S.RECEIVED,
                                      S.COMPLETED}),
    Action.RELEASE_CREDIT_HOLD: frozenset({S.SUBMITTED}),
}

_WHAT = {
    Action.MODIFY: "modified", Action.CANCEL: "cancelled directly",
    Action.APPROVE: "approved", Action.SECOND_APPROVE: "given a second approval",
    Action.REJECT: "rejected", Action.START_PROCESSING: "moved to processing",
    Action.REQUEST_CANCELLATION: "the subject of a cancellation request",
    Action.APPROVE_CANCELLATION: "cancelled on request",
    Action.REJECT_CANCELLATION: "kept after a cancellation request",
    Action.SHIP: "shipped", Action.CONFIRM_RECEIPT: "confirmed as received",
    Action.COMPLETE: "completed", Action.REQUEST_RETURN: "returned",
    Action.RELEASE_CREDIT_HOLD: "released from a credit hold",
}
_HINT = {
    Action.MODIFY: "only a submitted order that has not been reviewed can be modified",
    Action.CANCEL: ("only an order that has not been reviewed can be cancelled directly; "
                    "after review ask for a cancellation instead"),
    Action.REQUEST_CANCELLATION: ("a cancellation can be requested for a reviewed order "
                                  "until it ships"),
    Action.SHIP: "only an approved order with a quantity left to ship can be shipped",
    Action.REQUEST_RETURN: "goods can be returned once they have been received",
}


def check(status: OrderStatus, action: Action) -> None:
    """Refuse an action the order's state does not allow (409, with a reason)."""
    if status not in ALLOWED[action]:
        message = f"the order is {status.value.replace('_', ' ')} and cannot be {_WHAT[action]}"
        if action in _HINT:
            message += f" ({_HINT[action]})"
        raise IllegalTransition(message)


def modify(status: OrderStatus) -> OrderStatus:
    """The customer changes its unreviewed order: it waits for review again (O-4)."""
    check(status, Action.MODIFY)
    return S.SUBMITTED


def cancel(status: OrderStatus) -> OrderStatus:
    """The customer cancels its order before review (O-5)."""
    check(status, Action.CANCEL)
    return S.CANCELLED


def needs_second_review(total: Decimal, threshold: Decimal | None) -> bool:
    """Two-level review (seed 003): orders above the threshold need a second reviewer."""
    return threshold is not None and total > threshold


def approve(status: OrderStatus, *, reviewer: str, total: Decimal,
            threshold: Decimal | None = None,
            first_reviewer: str | None = None,
            credit_hold: str | None = None) -> OrderStatus:
    """A reviewer approves. Above the threshold the first approval only moves the order
    to `pending_second_review`; the second must come from someone else. An order on
    credit hold (`credit_hold` is its reason, B-3) cannot be approved until finance
    releases it; it can still be rejected."""
    if credit_hold is not None and status in ALLOWED[Action.RELEASE_CREDIT_HOLD]:
        raise CreditHeld(
            f"the order is on credit hold ({credit_hold}); finance must release the hold "
            "before it can be approved, or reject it")
    if status is S.PENDING_SECOND_REVIEW:
        check(status, Action.SECOND_APPROVE)
        if first_reviewer is not None and first_reviewer == reviewer:
            raise IllegalTransition(
                f"{reviewer} already gave the first approval; the second approval must come "
                "from a different reviewer")
        return S.APPROVED
    check(status, Action.APPROVE)
    return S.PENDING_SECOND_REVIEW if needs_second_review(total, threshold) else S.APPROVED


def reject(status: OrderStatus) -> OrderStatus:
    check(status, Action.REJECT)
    return S.REJECTED


def start_processing(status: OrderStatus) -> OrderStatus:
    """A reviewed order moves to the "processed" group automatically (O-5)."""
    check(status, Action.START_PROCESSING)
    return S.PROCESSING


def request_cancellation(status: OrderStatus) -> OrderStatus:
    """After review only staff can cancel, on the customer's request (O-5)."""
    check(status, Action.REQUEST_CANCELLATION)
    return S.CANCELLATION_REQUESTED


def decide_cancellation(status: OrderStatus, *, approve: bool,
                        previous: OrderStatus | None) -> OrderStatus:
    """Staff approve (→ cancelled) or reject (→ back where it was) a cancellation request."""
    if approve:
        check(status, Action.APPROVE_CANCELLATION)
        return S.CANCELLED
    check(status, Action.REJECT_CANCELLATION)
    if previous not in ALLOWED[Action.REQUEST_CANCELLATION]:
        raise IllegalTransition("the order's state before the cancellation request is unknown")
    return previous


def complete(status: OrderStatus) -> OrderStatus:
    """Staff settle a shortage (resent, refunded or written off) and close the order."""
    check(status, Action.COMPLETE)
    return S.COMPLETED


def check_return_allowed(status: OrderStatus) -> None:
    check(status, Action.REQUEST_RETURN)


# ------------------------------------------------------------------ modification (O-4)
@dataclass(frozen=True)
class Snapshot:
    """What a customer can change on an order, for comparing before and after."""

    delivery_date: date
    bill_type: str
    remark: str | None
    total: Decimal
    lines: tuple[tuple[uuid.UUID, str, str, int], ...]  # product, name, model, quantity


@dataclass(frozen=True)
class Change:
    field: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class LineDiff:
    product_id: uuid.UUID
    name: str
    model: str
    quantity_before: int
    quantity_after: int


def diff(before: Snapshot, after: Snapshot) -> tuple[list[Change], list[LineDiff]]:
    """What a modification changed: fields (as display strings) and lines."""
    changes: list[Change] = []
    for name in ("delivery_date", "bill_type", "remark", "total"):
        b, a = getattr(before, name), getattr(after, name)
        if b != a:
            changes.append(Change(name, _show(b), _show(a)))
    old = {p: (n, m, q) for p, n, m, q in before.lines}
    new = {p: (n, m, q) for p, n, m, q in after.lines}
    lines: list[LineDiff] = []
    for pid in dict.fromkeys([*old, *new]):
        q_before = old[pid][2] if pid in old else 0
        q_after = new[pid][2] if pid in new else 0
        name, model = (new.get(pid) or old[pid])[:2]
        if q_before != q_after:
            lines.append(LineDiff(pid, name, model, q_before, q_after))
    if lines:
        changes.append(Change("lines", None, None))
    return changes, lines


def _show(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return f"{quantize(value)}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def check_version(current: int, expected: int | None) -> None:
    """Optimistic locking: a change made from an out-of-date copy is refused (409)."""
    if expected is None:
        raise Unprocessable(
            "version: send the order's version (If-Match header or `version` in the body) "
            "so that a change made from an out-of-date copy can be detected")
    if expected != current:
        raise StaleVersion(
            f"the order was changed by someone else (you sent version {expected}, it is now "
            f"version {current}); reload it and try again")


class Decision(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"


@dataclass(frozen=True)
class CatalogPrice:
    product_id: uuid.UUID
    name: str
    model: str
    unit_price: Decimal
    list_price: Decimal | None = None
    active: bool = True
    category: str | None = None  # P-2: what points may pay for


@dataclass(frozen=True)
class RequestedLine:
    product_id: uuid.UUID
    quantity: int


@dataclass(frozen=True)
class PricedLine:
    product_id: uuid.UUID
    name: str
    model: str
    quantity: int
    unit_price: Decimal
    list_price: Decimal | None
    line_total: Decimal
    list_line_total: Decimal
    category: str | None = None


@dataclass(frozen=True)
class PricedOrder:
    lines: tuple[PricedLine, ...]
    total: Decimal
    list_total: Decimal


def price_order(
    catalog: Mapping[uuid.UUID, CatalogPrice], requested: Iterable[RequestedLine]
) -> PricedOrder:
    """Price each line at the customer's own unit price; refuse products outside the
    customer's catalogue, repeated products and quantities that are not positive."""
    lines: list[PricedLine] = []
    seen: set[uuid.UUID] = set()
    for i, req in enumerate(requested, start=1):
        if req.product_id in seen:
            raise InvalidOrder(f"line {i}: the product appears more than once in the order")
        seen.add(req.product_id)
        if req.quantity <= 0:
            raise InvalidOrder(f"line {i}: quantity must be a positive whole number")
        if req.quantity > MAX_QUANTITY:
            raise InvalidOrder(f"line {i}: quantity must not exceed {MAX_QUANTITY}")
        item = catalog.get(req.product_id)
        if item is None or not item.active:
            raise InvalidOrder(f"line {i}: product {req.product_id} is not in your catalogue")
        total = quantize(item.unit_price * req.quantity)
        list_price = item.list_price if item.list_price is not None else item.unit_price
        lines.append(PricedLine(
            product_id=item.product_id, name=item.name, model=item.model,
            quantity=req.quantity, unit_price=quantize(item.unit_price),
            list_price=item.list_price, line_total=total,
            list_line_total=quantize(list_price * req.quantity), category=item.category,
        ))
    if not lines:
        raise InvalidOrder("an order needs at least one line")
    return PricedOrder(
        lines=tuple(lines),
        total=quantize(sum((ln.line_total for ln in lines), Decimal("0"))),
        list_total=quantize(sum((ln.list_line_total for ln in lines), Decimal("0"))),
    )


def check_delivery_date(order_date: date, delivery_date: date) -> None:
    if delivery_date < order_date:
        raise InvalidOrder(
            f"delivery_date {delivery_date.isoformat()} is before the order date "
            f"{order_date.isoformat()}")


def order_number(day: date, seq: int) -> str:
    """Readable and sortable: DH20261123-0007 (O-2). Four digits, more after 9999."""
    return f"DH{day:%Y%m%d}-{seq:04d}"


# ------------------------------------------------------------------ due dates (O-6)
PAYMENT_TERMS_MAX = 365
# Orders that owe nothing whatever their balance: never approved, or cancelled after.
NOT_OWED = frozenset({S.REJECTED, S.CANCELLED})


def payment_terms(known: int | None, default: int) -> int:
    """The customer's payment terms in days as the customer service last announced them,
    or `default` when none has reached this service yet."""
    return default if known is None else known


def due_date(approved_on: date, terms_days: int) -> date:
    """An approved order is due `terms_days` calendar days after the business date of its
    approval (Asia/Shanghai); 0 days: due on the day of approval."""
    if isinstance(terms_days, bool) or not 0 <= terms_days <= PAYMENT_TERMS_MAX:
        raise ValueError(f"payment terms must be 0 to {PAYMENT_TERMS_MAX} days, "
                         f"not {terms_days!r}")
    return approved_on + timedelta(days=terms_days)


# ------------------------------------------------------------------ credit limits (B-3)
@dataclass(frozen=True)
class Hold:
    """Why an order is held: what the customer owes on its other open orders plus this
    order's amount is more than its credit limit."""

    limit: Decimal
    outstanding: Decimal
    amount: Decimal

    @property
    def reason(self) -> str:
        return credit_hold_reason(self.limit, self.outstanding, self.amount)[0]

    @property
    def reason_en(self) -> str:
        return credit_hold_reason(self.limit, self.outstanding, self.amount)[1]


def _yuan(amount: Decimal) -> str:
    return f"¥{quantize(amount):,.2f}"


def credit_hold_reason(limit: Decimal, outstanding: Decimal,
                       amount: Decimal) -> tuple[str, str]:
    """The hold's reason as both sides read it, in Chinese and English."""
    o, a, m = _yuan(outstanding), _yuan(amount), _yuan(limit)
    return (f"超出信用额度：未付 {o} + 本单 {a} > 额度 {m}",
            f"Over the credit limit: outstanding {o} + this order {a} > limit {m}")


def credit_check(limit: Decimal | None, outstanding: Decimal,
                 amount: Decimal) -> Hold | None:
    """B-3: an order of `amount` is held when what the customer already owes
    (`outstanding`: totals less payments of its other orders that are not rejected or
    cancelled) plus `amount` exceeds its credit `limit`; reaching the limit exactly is
    allowed. No limit (None), no hold. The order is held, never refused."""
    if limit is None:
        return None
    if outstanding + amount > limit:
        return Hold(quantize(limit), quantize(outstanding), quantize(amount))
    return None


def hold_after_modify(hold: Hold | None, *, released_total: Decimal | None,
                      total: Decimal) -> Hold | None:
    """On a modification the hold is judged again: a release stays good while the total
    is not larger than the one finance released; a larger total is held again."""
    if hold is None:
        return None
    if released_total is not None and total <= released_total:
        return None
    return hold


def release_credit_hold(status: OrderStatus, held: bool) -> None:
    """Finance releases a held, unreviewed order (B-3); anything else is a 409."""
    check(status, Action.RELEASE_CREDIT_HOLD)
    if not held:
        raise IllegalTransition("the order is not on credit hold")


def is_overdue(due: date | None, outstanding: Decimal, today: date,
               status: OrderStatus) -> bool:
    """Overdue: the due date lies before `today` (Asia/Shanghai) and something is still
    outstanding. An order without a due date (not approved) or that owes nothing
    (rejected, cancelled) is never overdue. `OrderRepository` filters by the same rule."""
    return (due is not None and due < today and outstanding > 0
            and status not in NOT_OWED)


def amount_outstanding(payable: Decimal, paid_total: Decimal, status: OrderStatus) -> Decimal:
    """What the customer still owes on an order: payable less paid, and nothing at all for
    an order that owes nothing (rejected, cancelled; issue 15) whatever it was paid: what
    was paid on a cancelled order is refunded (`refundable`), never asked for."""
    if OrderStatus(status) in NOT_OWED:
        return Decimal("0.00")
    return quantize(payable - paid_total)


# ------------------------------------------------------------------ quantities of lines
@dataclass(frozen=True)
class Quantity:
    """A quantity of one of the order's products: a line of a shipment (shipments.domain),
    a receipt or a return."""

    product_id: uuid.UUID
    quantity: int


def check_positive_quantity(i: int, q: int, field: str = "quantity") -> None:
    if isinstance(q, bool) or not isinstance(q, int) or q <= 0:
        raise InvalidOrder(f"lines.{i}.{field}: must be a positive whole number")


# ------------------------------------------------------------------ returns (O-9)
class ReturnStatus(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"


def plan_return(received: Mapping[uuid.UUID, int], returned: Mapping[uuid.UUID, int],
                lines: Iterable[Quantity]) -> dict[uuid.UUID, int]:
    """Only received goods can go back, at most what was received minus what is already
    returned or waiting to be (`returned` counts requested and approved returns)."""
    plan: dict[uuid.UUID, int] = {}
    for i, ln in enumerate(lines, start=1):
        if ln.product_id in plan:
            raise InvalidOrder(f"lines.{i}.product_id: the product appears more than once")
        check_positive_quantity(i, ln.quantity)
        got = received.get(ln.product_id, 0)
        if got == 0:
            raise InvalidOrder(
                f"lines.{i}.product_id: nothing of product {ln.product_id} was received "
                "on this order")
        left = got - returned.get(ln.product_id, 0)
        if ln.quantity > left:
            raise InvalidOrder(
                f"lines.{i}.quantity: {ln.quantity} is more than can still be returned "
                f"({left} of {got} received)")
        plan[ln.product_id] = ln.quantity
    if not plan:
        raise InvalidOrder("lines: a return needs at least one line")
    return plan


def decide_return(status: ReturnStatus, *, approve: bool) -> ReturnStatus:
    if status is not ReturnStatus.REQUESTED:
        raise IllegalTransition(
            f"the return is already {status.value} and cannot be decided again")
    return ReturnStatus.APPROVED if approve else ReturnStatus.REJECTED


def check_refund(refund: Decimal, returned_value: Decimal) -> Decimal:
    """The refund is at most the value of the returned goods at the customer's price."""
    if refund < 0:
        raise InvalidOrder("refund_amount: must not be negative")
    if refund > returned_value:
        raise InvalidOrder(
            f"refund_amount: {quantize(refund)} is more than the returned goods are worth "
            f"({quantize(returned_value)})")
    return quantize(refund)


def available_actions(status: OrderStatus, *, unreceived_shipment: bool = False,
                      returnable: bool = False, credit_hold: bool = False) -> list[str]:
    """The actions an order's state allows now, for the UI to offer (each side shows
    its own). Automatic steps are not listed. A held order (B-3) offers the release
    instead of the approval."""
    out = []
    for action, states in ALLOWED.items():
        if action is Action.START_PROCESSING or status not in states:
            continue
        if action is Action.RELEASE_CREDIT_HOLD and not credit_hold:
            continue
        if action is Action.APPROVE and credit_hold:
            continue
        if action is Action.CONFIRM_RECEIPT and not unreceived_shipment:
            continue
        if action is Action.REQUEST_RETURN and not returnable:
            continue
        out.append(action.value)
    return out


# ------------------------------------------------------------------ reorder (O-11)
@dataclass(frozen=True)
class Skipped:
    product_id: uuid.UUID
    name: str
    model: str
    quantity: int
    reason: str


def split_reorder(catalog: Mapping[uuid.UUID, CatalogPrice],
                  lines: Iterable[tuple[uuid.UUID, str, str, int]]
                  ) -> tuple[list[RequestedLine], list[Skipped]]:
    """Lines to order again and lines whose product left the customer's catalogue; the
    latter are reported, never dropped silently."""
    keep: list[RequestedLine] = []
    skipped: list[Skipped] = []
    for product_id, name, model, quantity in lines:
        item = catalog.get(product_id)
        if item is None or not item.active:
            skipped.append(Skipped(product_id, name, model, quantity,
                                   "no longer in your catalogue"))
        else:
            keep.append(RequestedLine(product_id, quantity))
    if not keep:
        names = ", ".join(f"{s.name} {s.model}".strip() for s in skipped) or "none"
        raise InvalidOrder(
            f"lines: none of the products can be ordered any more (not in your catalogue: "
            f"{names})")
    return keep, skipped


def reorder_delivery_date(today: date, old_order_date: date, old_delivery_date: date) -> date:
    """By default a reorder keeps the old order's lead time."""
    return today + max(old_delivery_date - old_order_date, timedelta(0))


# ------------------------------------------------------------------ list and export filters
@dataclass(frozen=True)
class OrderFilter:
    """Filters shared by the order lists and the Excel export (O-10, A-1)."""

    customer_id: uuid.UUID | None = None
    statuses: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    min_total: Decimal | None = None
    max_total: Decimal | None = None
    paid: bool | None = None
    invoiced: bool | None = None
    overdue: bool | None = None  # judged by is_overdue on `today`
    credit_hold: bool | None = None  # on credit hold (B-3) or not
    today: date | None = None  # the business date "overdue" is judged on
    q: str | None = None
    areas: frozenset[str] = frozenset()  # staff bound to areas see those only (C-7)

    def check(self) -> OrderFilter:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise Unprocessable("from: the period's start is after its end (to)")
        if (self.min_total is not None and self.max_total is not None
                and self.min_total > self.max_total):
            raise Unprocessable("min_total: must not be more than max_total")
        if self.overdue is not None and self.today is None:
            raise ValueError("an overdue filter needs the business date it is judged on")
        unknown = [s for s in self.statuses if s not in OrderStatus.__members__.values()]
        if unknown:
            raise Unprocessable(f"status: unknown status {', '.join(unknown)}; use one of "
                                + ", ".join(s.value for s in OrderStatus))
        return self
