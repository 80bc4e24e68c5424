"""Order rules, pure: pricing from the customer's own prices (O-3), the review state
machine (O-5), numbering (O-2) and payments (O-6). No I/O; unit-tested on their own."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from servicekit.errors import Conflict, Unprocessable
from servicekit.money import quantize

MAX_QUANTITY = 1_000_000


class InvalidOrder(Unprocessable):
    """The order breaks a rule of its own content (422)."""


class IllegalTransition(Conflict):
    """The order's current state does not allow this (409)."""


class OrderStatus(StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"


class PaymentStatus(StrEnum):
    UNPAID = "unpaid"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"


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
            list_line_total=quantize(list_price * req.quantity),
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


def review(status: OrderStatus, decision: Decision) -> OrderStatus:
    """Only a submitted order can be reviewed; a reviewed one is frozen (O-5)."""
    if status is not OrderStatus.SUBMITTED:
        raise IllegalTransition(f"the order is already {status.value} and cannot be reviewed again")
    return OrderStatus.APPROVED if decision is Decision.APPROVE else OrderStatus.REJECTED


def order_number(day: date, seq: int) -> str:
    """Readable and sortable: DH20261123-0007 (O-2). Four digits, more after 9999."""
    return f"DH{day:%Y%m%d}-{seq:04d}"


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
    if status is OrderStatus.REJECTED:
        raise IllegalTransition("the order was rejected; payments cannot be recorded against it")
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
