"""ORM rows → API schemas."""

from __future__ import annotations

from ..models import OrderReturn
from .schemas import ReturnLineOut, ReturnOut


def detail(r: OrderReturn) -> ReturnOut:
    return ReturnOut(
        id=r.id, order_id=r.order_id, order_number=r.order.number, customer_id=r.customer_id,
        customer_name=r.order.customer_name, status=r.status, reason=r.reason,
        amount=r.amount, refund_amount=r.refund_amount, requested_by=r.requested_by,
        created_at=r.created_at, decided_by=r.decided_by, decided_at=r.decided_at,
        decision_reason=r.decision_reason,
        lines=[ReturnLineOut(product_id=ln.product_id, name=ln.name, model=ln.model,
                             quantity=ln.quantity, unit_price=ln.unit_price,
                             line_total=ln.line_total) for ln in r.lines])
