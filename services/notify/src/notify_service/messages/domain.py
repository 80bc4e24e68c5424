"""Customer messages, pure (N-5): what a customer is told when its order, invoice,
points, grade or registration changes status. The one entry point for every event is
`customer_message`; order events are in `orders.py`.

Addressed to the event's customer; a Chinese default text and an English one, both
rendered from the templates in `templates.py`, and structured data. No I/O; unit-tested
on their own."""

from __future__ import annotations

from dinghuo_contracts import (
    CustomerApproved,
    CustomerGradeChanged,
    CustomerRejected,
    Event,
    InvoiceIssued,
    InvoiceRejected,
    OrderApproved,
    OrderRejected,
    PaymentReceived,
    PointsEarned,
)
from servicekit.money import fmt

from ..prompts.domain import Notice, grade_label
from ..prompts.notice import Value, join, render
from .orders import order_message
from .points import points_message
from .servicedesk import servicedesk_message
from .statements import statement_message
from .templates import FRAGMENTS, GRADE_UPGRADED, MESSAGES, MessageKind

__all__ = ["MessageKind", "customer_message"]


def _reason(reason: str | None) -> Value:
    """The reason part of a message, as given; nothing without a reason."""
    reason = (reason or "").strip()
    return render(FRAGMENTS["reason"], reason=reason) if reason else ""


def customer_message(event: Event) -> Notice | None:
    """The message for the event's customer, or None when the event tells it nothing."""
    match event:
        case OrderApproved():
            zh, en = render(MESSAGES[MessageKind.ORDER_APPROVED], number=event.number)
            return Notice(
                kind=MessageKind.ORDER_APPROVED, message=zh, message_en=en,
                data={"order_id": str(event.order_id), "number": event.number},
            )
        case OrderRejected():
            zh, en = render(MESSAGES[MessageKind.ORDER_REJECTED], number=event.number,
                            reason=_reason(event.reason))
            return Notice(
                kind=MessageKind.ORDER_REJECTED, message=zh, message_en=en,
                data={"order_id": str(event.order_id), "number": event.number,
                      "reason": (event.reason or "").strip() or None},
            )
        case PaymentReceived():
            zh, en = render(MESSAGES[MessageKind.PAYMENT_RECEIVED], number=event.number,
                            amount_paid=fmt(event.amount_paid))
            return Notice(
                kind=MessageKind.PAYMENT_RECEIVED, message=zh, message_en=en,
                data={"order_id": str(event.order_id), "number": event.number,
                      "total": fmt(event.total), "amount_paid": fmt(event.amount_paid),
                      "paid_on": event.paid_on.isoformat()},
            )
        case InvoiceIssued():
            # several fapiao above the per-fapiao limit (issue 10): every number
            numbers = [f.invoice_number for f in event.fapiao] or [event.invoice_number]
            zh, en = render(MESSAGES[MessageKind.INVOICE_ISSUED],
                            invoice_number=join((n, n) for n in numbers),
                            amount=fmt(event.amount),
                            invoice_date=event.invoice_date.isoformat())
            return Notice(
                kind=MessageKind.INVOICE_ISSUED, message=zh, message_en=en,
                data={"invoice_id": str(event.invoice_id),
                      "invoice_number": event.invoice_number, "invoice_numbers": numbers,
                      "amount": fmt(event.amount),
                      "invoice_date": event.invoice_date.isoformat(),
                      "order_ids": [str(i) for i in event.order_ids]},
            )
        case InvoiceRejected():
            zh, en = render(MESSAGES[MessageKind.INVOICE_REJECTED],
                            numbers=join((n, n) for n in event.order_numbers),
                            amount=fmt(event.amount), reason=_reason(event.reason))
            return Notice(
                kind=MessageKind.INVOICE_REJECTED, message=zh, message_en=en,
                data={"invoice_id": str(event.invoice_id),
                      "order_ids": [str(i) for i in event.order_ids],
                      "order_numbers": list(event.order_numbers),
                      "amount": fmt(event.amount), "reason": event.reason.strip() or None},
            )
        case PointsEarned(status="effective"):
            zh, en = render(MESSAGES[MessageKind.POINTS_EFFECTIVE], points=event.points,
                            order=(render(FRAGMENTS["for_order"], number=event.order_number)
                                   if event.order_number else ""))
            return Notice(
                kind=MessageKind.POINTS_EFFECTIVE, message=zh, message_en=en,
                data={"order_id": str(event.order_id), "number": event.order_number,
                      "points": event.points},
            )
        case CustomerApproved():
            zh, en = render(MESSAGES[MessageKind.REGISTRATION_APPROVED],
                            customer_number=event.customer_number)
            return Notice(
                kind=MessageKind.REGISTRATION_APPROVED, message=zh, message_en=en,
                data={"customer_number": event.customer_number,
                      "company_name": event.company_name},
            )
        case CustomerGradeChanged():
            if event.changed_by_kind == "system":
                zh, en = render(MESSAGES[GRADE_UPGRADED], grade=grade_label(event.grade),
                                paid_total=fmt(event.paid_total))
            else:
                zh, en = render(MESSAGES[MessageKind.GRADE_CHANGED],
                                grade=grade_label(event.grade), reason=_reason(event.reason))
            return Notice(
                kind=MessageKind.GRADE_CHANGED, message=zh, message_en=en,
                data={"customer_number": event.customer_number,
                      "previous_grade": event.previous_grade, "grade": event.grade,
                      "paid_total": fmt(event.paid_total)},
            )
        case CustomerRejected():
            zh, en = render(MESSAGES[MessageKind.REGISTRATION_REJECTED],
                            reason=_reason(event.reason))
            return Notice(
                kind=MessageKind.REGISTRATION_REJECTED, message=zh, message_en=en,
                data={"company_name": event.company_name,
                      "reason": event.reason.strip() or None},
            )
    return (order_message(event) or statement_message(event) or points_message(event)
            or servicedesk_message(event))
