"""ORM rows → API schemas."""

from __future__ import annotations

from collections import Counter
from datetime import date

from servicekit.timeutil import business_date

from ..models import Order, OrderEvent, Shipment
from ..payments.domain import payment_status
from . import domain
from .schemas import (
    OrderLineOut,
    OrderOut,
    OrderReturnBrief,
    OrderSummary,
    PaymentOut,
    ShipmentLineOut,
    ShipmentOut,
    TimelineEntry,
)
from .service import hold_reason

ACTIVE_RETURN = (domain.ReturnStatus.REQUESTED.value, domain.ReturnStatus.APPROVED.value)


def summary(o: Order, today: date | None = None) -> OrderSummary:
    """`today` (Asia/Shanghai) decides `overdue`; by default the current business date."""
    outstanding = domain.amount_outstanding(o.payable, o.paid_total,
                                            domain.OrderStatus(o.status))
    return OrderSummary(
        id=o.id, number=o.number, customer_id=o.customer_id, customer_name=o.customer_name,
        source=o.source, status=o.status, order_date=o.order_date,
        delivery_date=o.delivery_date, bill_type=o.bill_type, total=o.total,
        list_total=o.list_total, paid_total=o.paid_total, outstanding=outstanding,
        points_requested=o.points_requested, points_used=o.points_used,
        points_status=o.points_status, points_reason=o.points_reason, payable=o.payable,
        payment_status=payment_status(o.payable, o.paid_total).value,
        due_date=o.due_date,
        overdue=domain.is_overdue(o.due_date, outstanding, today or business_date(),
                                  domain.OrderStatus(o.status)),
        invoiced=o.invoiced, credit_hold=o.credit_hold,
        credit_hold_reason=hold_reason(o) if o.credit_hold else None,
        credit_hold_reason_en=hold_reason(o, "en") if o.credit_hold else None,
        total_quantity=o.total_quantity, version=o.version,
        created_by=o.created_by, created_at=o.created_at, updated_at=o.updated_at,
    )


def shipment(s: Shipment) -> ShipmentOut:
    return ShipmentOut(
        id=s.id, number=s.number, courier=s.courier, tracking_number=s.tracking_number,
        shipped_on=s.shipped_on, shipped_by=s.shipped_by, created_at=s.created_at,
        status="received" if s.received_at else "shipped", received_at=s.received_at,
        received_by=s.received_by, receipt_note=s.receipt_note, shortage=s.shortage,
        lines=[ShipmentLineOut(product_id=ln.product_id, name=ln.name, model=ln.model,
                               quantity=ln.quantity, quantity_received=ln.quantity_received)
               for ln in s.lines])


def quantities(o: Order) -> tuple[Counter, Counter, Counter, Counter]:
    """Per product: shipped, received, returned (approved), held by returns (requested
    or approved)."""
    shipped: Counter = Counter()
    received: Counter = Counter()
    for s in o.shipments:
        for ln in s.lines:
            shipped[ln.product_id] += ln.quantity
            received[ln.product_id] += ln.quantity_received or 0
    returned: Counter = Counter()
    held: Counter = Counter()
    for r in o.returns:
        for ln in r.lines:
            if r.status == domain.ReturnStatus.APPROVED:
                returned[ln.product_id] += ln.quantity
            if r.status in ACTIVE_RETURN:
                held[ln.product_id] += ln.quantity
    return shipped, received, returned, held


def detail(o: Order) -> OrderOut:
    shipped, received, returned, held = quantities(o)
    returnable = {ln.product_id: max(received[ln.product_id] - held[ln.product_id], 0)
                  for ln in o.lines}
    return OrderOut(
        **summary(o).model_dump(), remark=o.remark,
        first_reviewed_by=o.first_reviewed_by, first_reviewed_at=o.first_reviewed_at,
        reviewed_by=o.reviewed_by, reviewed_at=o.reviewed_at, review_reason=o.review_reason,
        cancel_reason=o.cancel_reason, cancelled_at=o.cancelled_at,
        completed_at=o.completed_at, credit_released_by=o.credit_released_by,
        credit_released_at=o.credit_released_at, credit_release_note=o.credit_release_note,
        lines=[OrderLineOut(product_id=ln.product_id, name=ln.name, model=ln.model,
                            quantity=ln.quantity, unit_price=ln.unit_price,
                            list_price=ln.list_price, line_total=ln.line_total,
                            shipped_quantity=shipped[ln.product_id],
                            received_quantity=received[ln.product_id],
                            returned_quantity=returned[ln.product_id],
                            returnable_quantity=returnable[ln.product_id])
               for ln in o.lines],
        payments=[PaymentOut(id=p.id, amount=p.amount, paid_on=p.paid_on, method=p.method,
                             reference=p.reference, recorded_by=p.recorded_by,
                             created_at=p.created_at) for p in o.payments],
        shipments=[shipment(s) for s in o.shipments],
        returns=[OrderReturnBrief(id=r.id, status=r.status, amount=r.amount,
                                  refund_amount=r.refund_amount, created_at=r.created_at)
                 for r in o.returns],
        actions=domain.available_actions(
            domain.OrderStatus(o.status),
            unreceived_shipment=any(s.received_at is None for s in o.shipments),
            returnable=any(returnable.values()), credit_hold=o.credit_hold),
    )


# Steps of the staff's own review of a payment reversal (O-6): the customer sees the
# outcome (the reversed payment, in its ledger and as "payment_reversed"), not a request
# still under review or one that was turned down.
STAFF_ONLY_ACTIONS = frozenset({"payment_reversal_requested", "payment_reversal_rejected"})


def customer_timeline(events: list[OrderEvent]) -> list[TimelineEntry]:
    """The order's timeline as its customer sees it: without the staff-only steps."""
    return [timeline_entry(e) for e in events if e.action not in STAFF_ONLY_ACTIONS]


def timeline_entry(e: OrderEvent) -> TimelineEntry:
    return TimelineEntry(seq=e.seq, occurred_at=e.occurred_at, action=e.action,
                         status=e.status, actor=e.actor, actor_kind=e.actor_kind,
                         note=e.note, data=e.data or {})
