"""Customer messages about orders, pure (N-5, N-2; O-1, O-5, O-6, O-8, O-9, C-6): what
staff do (enter an order for the customer, ship, complete, decide a cancellation or a
return) messages the customer, and so do the reminders: a payment reminder
(order.payment_due, O-6) and an ordering-cycle reminder (customer.ordering_cycle_due,
from the order service's daily job, C-6). The texts are the templates in `templates.py`;
the staff's side of an order is in `prompts/orders.py`. No I/O; reached through
`domain.customer_message`."""

from __future__ import annotations

from dinghuo_contracts import (
    CustomerOrderingCycleDue,
    Event,
    OrderCancellationRejected,
    OrderCancelled,
    OrderCompleted,
    OrderCreditHoldReleased,
    OrderPaymentDue,
    OrderShipped,
    OrderSubmitted,
    ReturnApproved,
    ReturnRejected,
)
from servicekit.money import fmt

from ..prompts.notice import Notice, Value, render, snippet
from ..prompts.orders import order_ids, payment_due_data
from .templates import FRAGMENTS, MESSAGES, WEEKDAYS, MessageKind

# The part of a payment reminder that says how urgent it is, by stage (O-6).
URGENCY = {"before": "due_before", "due": "due_today", "overdue": "overdue"}


def _reason(reason: str | None) -> Value:
    """The reason part of a message, shortened; nothing without a reason."""
    reason = (reason or "").strip()
    return render(FRAGMENTS["reason"], reason=snippet(reason)) if reason else ""


def _cycle(event: CustomerOrderingCycleDue) -> Value:
    """The ordering cycle as the customer reads it: （每 30 天）/ (every 30 days),
    （每周五）/ (every Friday); nothing when the event does not describe one."""
    if event.kind == "days" and event.days:
        return render(FRAGMENTS["every_days"], days=event.days)
    if event.kind == "weekday" and event.weekday in WEEKDAYS:
        return render(FRAGMENTS["every_weekday"], weekday=WEEKDAYS[event.weekday])
    return ""


def _urgency(event: OrderPaymentDue) -> Value:
    if event.stage == "overdue":
        return render(FRAGMENTS["overdue"], days_overdue=event.days_overdue)
    return FRAGMENTS[URGENCY.get(event.stage, "due_before")]


def order_message(event: Event) -> Notice | None:
    """The message to the order's customer, or None when it is not for the customer."""
    match event:
        case OrderSubmitted(source="staff"):
            zh, en = render(MESSAGES[MessageKind.ORDER_ENTERED], number=event.number,
                            total=fmt(event.total))
            return Notice(
                kind=MessageKind.ORDER_ENTERED, message=zh, message_en=en,
                data={**order_ids(event), "total": fmt(event.total)},
            )
        case OrderShipped():
            zh, en = render(
                MESSAGES[MessageKind.ORDER_SHIPPED], number=event.number,
                progress=FRAGMENTS["shipped_in_full" if event.fully_shipped
                                   else "shipped_in_part"],
                shipment_number=event.shipment_number, courier=event.courier,
                tracking=(render(FRAGMENTS["tracking_number"],
                                 tracking_number=event.tracking_number)
                          if event.tracking_number else ""))
            return Notice(
                kind=MessageKind.ORDER_SHIPPED, message=zh, message_en=en,
                data={**order_ids(event), "shipment_id": str(event.shipment_id),
                      "shipment_number": event.shipment_number, "courier": event.courier,
                      "tracking_number": event.tracking_number,
                      "shipped_on": event.shipped_on.isoformat(),
                      "fully_shipped": event.fully_shipped},
            )
        case OrderCreditHoldReleased():
            zh, en = render(MESSAGES[MessageKind.CREDIT_HOLD_RELEASED], number=event.number,
                            total=fmt(event.total))
            return Notice(
                kind=MessageKind.CREDIT_HOLD_RELEASED, message=zh, message_en=en,
                data={**order_ids(event), "total": fmt(event.total)},
            )
        case OrderCompleted():
            zh, en = render(MESSAGES[MessageKind.ORDER_COMPLETED], number=event.number)
            return Notice(
                kind=MessageKind.ORDER_COMPLETED, message=zh, message_en=en,
                data={**order_ids(event), "note": event.note},
            )
        case OrderCancelled(cancelled_by_kind="staff"):
            zh, en = render(MESSAGES[MessageKind.ORDER_CANCELLED], number=event.number)
            return Notice(
                kind=MessageKind.ORDER_CANCELLED, message=zh, message_en=en,
                data={**order_ids(event), "reason": event.reason},
            )
        case OrderCancellationRejected():
            zh, en = render(MESSAGES[MessageKind.CANCELLATION_REJECTED], number=event.number,
                            reason=_reason(event.reason))
            return Notice(
                kind=MessageKind.CANCELLATION_REJECTED, message=zh, message_en=en,
                data={**order_ids(event), "status": event.status, "reason": event.reason},
            )
        case ReturnApproved():
            zh, en = render(MESSAGES[MessageKind.RETURN_APPROVED], number=event.number,
                            refund_amount=fmt(event.refund_amount))
            return Notice(
                kind=MessageKind.RETURN_APPROVED, message=zh, message_en=en,
                data={**order_ids(event), "return_id": str(event.return_id),
                      "refund_amount": fmt(event.refund_amount)},
            )
        case ReturnRejected():
            zh, en = render(MESSAGES[MessageKind.RETURN_REJECTED], number=event.number,
                            reason=_reason(event.reason))
            return Notice(
                kind=MessageKind.RETURN_REJECTED, message=zh, message_en=en,
                data={**order_ids(event), "return_id": str(event.return_id),
                      "reason": event.reason},
            )
        case OrderPaymentDue():
            zh, en = render(MESSAGES[MessageKind.PAYMENT_DUE], number=event.number,
                            amount=fmt(event.amount_outstanding),
                            due_date=event.due_date.isoformat(), urgency=_urgency(event))
            return Notice(
                kind=MessageKind.PAYMENT_DUE, message=zh, message_en=en,
                data=payment_due_data(event),
            )
        case CustomerOrderingCycleDue():
            due = event.due_date.isoformat()
            zh, en = render(MESSAGES[MessageKind.ORDERING_CYCLE_DUE], due_date=due,
                            cycle=_cycle(event))
            return Notice(
                kind=MessageKind.ORDERING_CYCLE_DUE, message=zh, message_en=en,
                data={"customer_id": str(event.customer_id),
                      "customer_name": event.customer_name or None, "due_date": due,
                      "last_order_date": (event.last_order_date.isoformat()
                                          if event.last_order_date else None),
                      "kind": event.kind, "days": event.days, "weekday": event.weekday},
            )
    return None
