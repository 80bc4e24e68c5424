"""Staff prompts about an order's lifecycle, pure (N-3; O-4, O-5, O-6, O-8, O-9): what
the customer does with its order (modify, cancel, ask to cancel, confirm receipt, ask to
return), a second review (O-5), an order that is overdue (order.payment_due, N-2) and a
reversed payment that leaves a paid order unpaid (order.payment_reversed, O-6) prompt the
staff. A new order's prompt is in `domain.py`. The texts are the templates in
`templates.py`; the customer's side of an order is in `messages/orders.py`. No I/O;
reached through `domain.staff_prompt`."""

from __future__ import annotations

from typing import Any

from dinghuo_contracts import (
    Event,
    OrderCancellationRequested,
    OrderCancelled,
    OrderCreditHeld,
    OrderModified,
    OrderPaymentDue,
    OrderReceived,
    OrderSecondReviewRequired,
    PaymentReversed,
    ReturnRequested,
)
from servicekit.money import fmt

from .notice import Notice, Value, join, labels, render, snippet
from .templates import FRAGMENTS, ORDER_FIELD_LABELS, PROMPTS, PromptKind


def order_ids(event: Any) -> dict[str, Any]:
    """The ids every order notice carries in its data (staff prompts and customer
    messages alike)."""
    return {"order_id": str(event.order_id), "number": event.number,
            "customer_id": str(event.customer_id)}


def payment_due_data(event: OrderPaymentDue) -> dict[str, Any]:
    """The data of a payment reminder: the customer's message and the overdue prompt (O-6)."""
    return {**order_ids(event), "customer_name": event.customer_name or None,
            "amount_outstanding": fmt(event.amount_outstanding),
            "due_date": event.due_date.isoformat(), "stage": event.stage,
            "days_overdue": event.days_overdue}


def _reason(reason: str | None) -> Value:
    """The reason part of a prompt, shortened; nothing without a reason."""
    reason = (reason or "").strip()
    return render(FRAGMENTS["reason"], reason=snippet(reason)) if reason else ""


def _outcome(event: OrderReceived) -> Value:
    """What arrived (O-8): the lines that came short and the customer's note, or that
    the quantities are complete."""
    short = [ln for ln in event.lines if ln.quantity_received < ln.quantity_shipped]
    if not short:
        return FRAGMENTS["quantities_complete"]
    lines = join(render(FRAGMENTS["short_line"], model=ln.model,
                        missing=ln.quantity_shipped - ln.quantity_received) for ln in short)
    note = render(FRAGMENTS["note"], note=snippet(event.note)) if event.note else ""
    return render(FRAGMENTS["shortage"], lines=lines, note=note)


def order_prompt(event: Event) -> Notice | None:
    """The staff prompt for an order event, or None when it is not for the staff."""
    match event:
        case OrderModified():
            fields = [c.field for c in event.changes] + (["lines"] if event.line_changes else [])
            zh, en = render(PROMPTS[PromptKind.ORDER_MODIFIED], number=event.number,
                            customer_name=event.customer_name,
                            fields=labels(fields, ORDER_FIELD_LABELS),
                            previous_total=fmt(event.previous_total), total=fmt(event.total))
            return Notice(
                kind=PromptKind.ORDER_MODIFIED, message=zh, message_en=en,
                data={**order_ids(event), "customer_name": event.customer_name,
                      "changed_fields": fields, "previous_total": fmt(event.previous_total),
                      "total": fmt(event.total),
                      "changes": [c.model_dump(mode="json") for c in event.changes],
                      "line_changes": [lc.model_dump(mode="json")
                                       for lc in event.line_changes]},
            )
        case OrderCreditHeld():
            trigger = (FRAGMENTS["held_after_modification"] if event.trigger == "modified"
                       else "")
            zh, en = render(PROMPTS[PromptKind.CREDIT_HELD], number=event.number,
                            customer_name=event.customer_name, total=fmt(event.total),
                            reason=(event.reason, event.reason_en), trigger=trigger)
            return Notice(
                kind=PromptKind.CREDIT_HELD, message=zh, message_en=en,
                data={**order_ids(event), "customer_name": event.customer_name,
                      "total": fmt(event.total), "outstanding": fmt(event.outstanding),
                      "credit_limit": fmt(event.credit_limit), "reason": event.reason,
                      "reason_en": event.reason_en, "trigger": event.trigger},
            )
        case OrderSecondReviewRequired():
            zh, en = render(PROMPTS[PromptKind.SECOND_REVIEW], number=event.number,
                            customer_name=event.customer_name, total=fmt(event.total),
                            first_reviewed_by=event.first_reviewed_by)
            return Notice(
                kind=PromptKind.SECOND_REVIEW, message=zh, message_en=en,
                data={**order_ids(event), "customer_name": event.customer_name,
                      "total": fmt(event.total), "first_reviewed_by": event.first_reviewed_by},
            )
        case OrderCancelled(cancelled_by_kind="customer"):
            zh, en = render(PROMPTS[PromptKind.ORDER_CANCELLED], number=event.number,
                            customer_name=event.customer_name, reason=_reason(event.reason))
            return Notice(
                kind=PromptKind.ORDER_CANCELLED, message=zh, message_en=en,
                data={**order_ids(event), "customer_name": event.customer_name,
                      "total": fmt(event.total), "reason": event.reason},
            )
        case OrderCancellationRequested():
            zh, en = render(PROMPTS[PromptKind.CANCELLATION_REQUESTED], number=event.number,
                            customer_name=event.customer_name, reason=_reason(event.reason))
            return Notice(
                kind=PromptKind.CANCELLATION_REQUESTED, message=zh, message_en=en,
                data={**order_ids(event), "customer_name": event.customer_name,
                      "total": fmt(event.total), "reason": event.reason},
            )
        case OrderReceived():
            zh, en = render(PROMPTS[PromptKind.ORDER_RECEIVED], number=event.number,
                            customer_name=event.customer_name,
                            shipment_number=event.shipment_number, outcome=_outcome(event))
            return Notice(
                kind=PromptKind.ORDER_RECEIVED, message=zh, message_en=en,
                data={**order_ids(event), "customer_name": event.customer_name,
                      "shipment_id": str(event.shipment_id),
                      "shipment_number": event.shipment_number, "shortage": event.shortage,
                      "note": event.note,
                      "lines": [ln.model_dump(mode="json") for ln in event.lines]},
            )
        case ReturnRequested():
            zh, en = render(PROMPTS[PromptKind.RETURN_REQUESTED], number=event.number,
                            customer_name=event.customer_name, amount=fmt(event.amount),
                            reason=_reason(event.reason))
            return Notice(
                kind=PromptKind.RETURN_REQUESTED, message=zh, message_en=en,
                data={**order_ids(event), "return_id": str(event.return_id),
                      "customer_name": event.customer_name, "amount": fmt(event.amount),
                      "reason": event.reason},
            )
        case OrderPaymentDue(stage="overdue"):
            zh, en = render(PROMPTS[PromptKind.PAYMENT_OVERDUE], number=event.number,
                            customer=event.customer_name or FRAGMENTS["a_customer"],
                            amount=fmt(event.amount_outstanding),
                            due_date=event.due_date.isoformat(),
                            days_overdue=event.days_overdue)
            return Notice(
                kind=PromptKind.PAYMENT_OVERDUE, message=zh, message_en=en,
                data=payment_due_data(event),
            )
        case PaymentReversed():
            zh, en = render(PROMPTS[PromptKind.PAYMENT_REVERSED], number=event.number,
                            amount=fmt(event.amount), paid_total=fmt(event.paid_total),
                            reversed_by=event.reversed_by, reason=_reason(event.reason))
            return Notice(
                kind=PromptKind.PAYMENT_REVERSED, message=zh, message_en=en,
                data={**order_ids(event), "amount": fmt(event.amount),
                      "paid_total": fmt(event.paid_total), "reason": event.reason,
                      "reversed_by": event.reversed_by,
                      "reversed_on": event.reversed_on.isoformat()},
            )
    return None
