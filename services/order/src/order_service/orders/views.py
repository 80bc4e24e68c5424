"""ORM rows → API schemas."""

from __future__ import annotations

from ..models import Order
from . import domain
from .schemas import OrderLineOut, OrderOut, OrderSummary, PaymentOut


def summary(o: Order) -> OrderSummary:
    return OrderSummary(
        id=o.id, number=o.number, customer_id=o.customer_id, customer_name=o.customer_name,
        source=o.source, status=o.status, order_date=o.order_date,
        delivery_date=o.delivery_date, bill_type=o.bill_type, total=o.total,
        list_total=o.list_total, paid_total=o.paid_total, outstanding=o.total - o.paid_total,
        payment_status=domain.payment_status(o.total, o.paid_total).value,
        invoiced=o.invoiced, created_at=o.created_at,
    )


def detail(o: Order) -> OrderOut:
    return OrderOut(
        **summary(o).model_dump(), remark=o.remark, reviewed_by=o.reviewed_by,
        reviewed_at=o.reviewed_at, review_reason=o.review_reason,
        lines=[OrderLineOut(product_id=ln.product_id, name=ln.name, model=ln.model,
                            quantity=ln.quantity, unit_price=ln.unit_price,
                            list_price=ln.list_price, line_total=ln.line_total)
               for ln in o.lines],
        payments=[PaymentOut(id=p.id, amount=p.amount, paid_on=p.paid_on, method=p.method,
                             reference=p.reference, recorded_by=p.recorded_by,
                             created_at=p.created_at) for p in o.payments],
    )
