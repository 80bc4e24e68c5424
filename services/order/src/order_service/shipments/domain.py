"""Shipment and receipt rules (O-8), pure: what a shipment may hold, what a receipt
may say, and where each leaves the order in its state machine (`orders.domain`). No I/O;
unit-tested on their own (tests/test_shipments_domain.py)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..orders.domain import (
    Action,
    InvalidOrder,
    OrderStatus,
    Quantity,
    check,
    check_positive_quantity,
)

S = OrderStatus


def plan_shipment(ordered: Mapping[uuid.UUID, int], shipped: Mapping[uuid.UUID, int],
                  lines: Iterable[Quantity]) -> tuple[dict[uuid.UUID, int], bool]:
    """Check a shipment against what is left to ship: only the order's products, each at
    most once, never more than ordered minus already shipped. Returns the quantities and
    whether the order is then fully shipped."""
    plan: dict[uuid.UUID, int] = {}
    for i, ln in enumerate(lines, start=1):
        if ln.product_id not in ordered:
            raise InvalidOrder(
                f"lines.{i}.product_id: product {ln.product_id} is not on this order")
        if ln.product_id in plan:
            raise InvalidOrder(f"lines.{i}.product_id: the product appears more than once")
        check_positive_quantity(i, ln.quantity)
        left = ordered[ln.product_id] - shipped.get(ln.product_id, 0)
        if ln.quantity > left:
            raise InvalidOrder(
                f"lines.{i}.quantity: {ln.quantity} is more than is left to ship ({left})")
        plan[ln.product_id] = ln.quantity
    if not plan:
        raise InvalidOrder("lines: a shipment needs at least one line")
    all_shipped = all(shipped.get(p, 0) + plan.get(p, 0) >= q for p, q in ordered.items())
    return plan, all_shipped


def after_shipment(status: OrderStatus, *, all_shipped: bool) -> OrderStatus:
    """A shipment moves the order to `shipped` once everything is, else
    `partially_shipped`."""
    check(status, Action.SHIP)
    return S.SHIPPED if all_shipped else S.PARTIALLY_SHIPPED


@dataclass(frozen=True)
class ReceiptOutcome:
    received: dict[uuid.UUID, int]
    shortage: bool


def check_receipt(shipped: Mapping[uuid.UUID, int], lines: Iterable[Quantity],
                  note: str | None) -> ReceiptOutcome:
    """The customer's quantities received for one shipment. A line left out was received
    in full; more than shipped is refused; a shortage needs a note saying what is missing."""
    received = dict(shipped)
    seen: set[uuid.UUID] = set()
    for i, ln in enumerate(lines, start=1):
        if ln.product_id not in shipped:
            raise InvalidOrder(
                f"lines.{i}.product_id: product {ln.product_id} is not in this shipment")
        if ln.product_id in seen:
            raise InvalidOrder(f"lines.{i}.product_id: the product appears more than once")
        seen.add(ln.product_id)
        q = ln.quantity
        if isinstance(q, bool) or not isinstance(q, int) or q < 0:
            raise InvalidOrder(f"lines.{i}.quantity_received: must be a whole number, 0 or more")
        if q > shipped[ln.product_id]:
            raise InvalidOrder(
                f"lines.{i}.quantity_received: {q} is more than was shipped "
                f"({shipped[ln.product_id]})")
        received[ln.product_id] = q
    shortage = any(received[p] < q for p, q in shipped.items())
    if shortage and not (note or "").strip():
        raise InvalidOrder("note: say what is missing when fewer items arrived than were shipped")
    return ReceiptOutcome(received, shortage)


def after_receipt(status: OrderStatus, *, all_shipped: bool, all_receipted: bool,
                  shortage: bool) -> OrderStatus:
    """A shipment's receipt is confirmed. When everything was shipped and every receipt is
    in the order is completed, unless something arrived short: then it rests in
    `received` until staff settle the shortage. Payment is tracked separately and does
    not hold completion back."""
    check(status, Action.CONFIRM_RECEIPT)
    if all_shipped and all_receipted:
        return S.RECEIVED if shortage else S.COMPLETED
    return status
