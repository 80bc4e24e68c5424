"""Staff prompts, pure (N-3, C-5): which events prompt the staff, with what text. The one
entry point for every event is `staff_prompt`: a new order (a window prompt, O-1),
customers (C-2, C-4, C-5), invoices (I-1) and the service desk (S-1) here, the rest of an
order's lifecycle in `orders.py`.

Each prompt has a Chinese default text (`message`), an English one (`message_en`), both
rendered from the templates in `templates.py`, and structured `data` (ids, numbers,
amounts as "801.50") so a UI can render its own text. No I/O; unit-tested on their own.
"""

from __future__ import annotations

import uuid

from dinghuo_contracts import (
    CustomerGradeChanged,
    CustomerRegistered,
    CustomerUpdated,
    Event,
    InvoiceRequested,
    OrderSubmitted,
    ServiceRequestOpened,
    ServiceRequestReplied,
)
from servicekit.money import fmt

from .notice import SNIPPET, Notice, Template, join, labels, render, snippet
from .orders import order_prompt
from .statements import statement_prompt
from .templates import (
    CHANNEL_LABELS,
    DELIVERY_TEMPLATE_LABELS,
    FIELD_LABELS,
    FRAGMENTS,
    GRADE_LABELS,
    PROMPTS,
    PromptKind,
)

__all__ = ["GRADE_LABELS", "SNIPPET", "Notice", "PromptKind", "about", "delivery_failed",
           "field_labels", "grade_label", "snippet", "staff_prompt"]


def delivery_failed(*, delivery_id: str, customer_id: str | None, customer_name: str | None,
                    channel: str, template: str, attempts: int, reason: str) -> Notice:
    """The prompt when the notifier could not deliver a message for good (N-2): staff
    call the customer, fix its number or retry from the delivery log."""
    zh, en = render(
        PROMPTS[PromptKind.DELIVERY_FAILED],
        channel=CHANNEL_LABELS.get(channel, (channel, channel)),
        customer=(customer_name, customer_name) if customer_name else ("客户", "a customer"),
        template=DELIVERY_TEMPLATE_LABELS.get(template, (template, template)),
        attempts=attempts, reason=snippet(reason))
    return Notice(kind=PromptKind.DELIVERY_FAILED, message=zh, message_en=en, data={
        "delivery_id": delivery_id, "customer_id": customer_id,
        "customer_name": customer_name, "channel": channel, "template": template,
        "attempts": attempts, "reason": reason})


def grade_label(grade: str) -> Template:
    """A grade's name in Chinese and English (C-4); an unknown grade shows as it is."""
    return GRADE_LABELS.get(grade, (grade, grade))


def field_labels(fields: list[str]) -> Template:
    """The changed fields as Chinese and English lists, in the order given (C-5)."""
    return labels(fields, FIELD_LABELS)


def staff_prompt(event: Event, *, customer_name: str | None = None) -> Notice | None:
    """The prompt for an event, or None when the event does not prompt the staff.
    `customer_name` (from the read model) names the customer where the event does not."""
    match event:
        case OrderSubmitted():
            zh, en = render(PROMPTS[PromptKind.NEW_ORDER], number=event.number,
                            customer_name=event.customer_name, total=fmt(event.total),
                            by_staff=(FRAGMENTS["entered_by_staff"]
                                      if event.source == "staff" else ""))
            return Notice(
                kind=PromptKind.NEW_ORDER, message=zh, message_en=en,
                data={"order_id": str(event.order_id), "number": event.number,
                      "customer_id": str(event.customer_id),
                      "customer_name": event.customer_name, "total": fmt(event.total),
                      "source": event.source, "delivery_date": event.delivery_date.isoformat(),
                      "lines": len(event.lines)},
                window=True,
            )
        case CustomerRegistered():
            zh, en = render(PROMPTS[PromptKind.CUSTOMER_REGISTERED],
                            customer_number=event.customer_number,
                            company_name=event.company_name,
                            contact_person=event.contact_person, mobile=event.mobile)
            return Notice(
                kind=PromptKind.CUSTOMER_REGISTERED, message=zh, message_en=en,
                data={"customer_id": str(event.customer_id),
                      "customer_number": event.customer_number,
                      "company_name": event.company_name,
                      "contact_person": event.contact_person, "mobile": event.mobile,
                      "area": event.area},
            )
        case CustomerUpdated():
            # C-5 asks for a prompt when the *customer* changes its information; a change
            # made by staff is already known to the staff.
            if event.changed_by_kind != "customer":
                return None
            fields = field_labels(list(event.changed_fields))
            zh, en = render(PROMPTS[PromptKind.CUSTOMER_UPDATED],
                            company_name=event.company_name,
                            fields=(render(FRAGMENTS["changed_fields"], fields=fields)
                                    if any(fields) else ""))
            return Notice(
                kind=PromptKind.CUSTOMER_UPDATED, message=zh, message_en=en,
                data={"customer_id": str(event.customer_id),
                      "company_name": event.company_name,
                      "changed_fields": list(event.changed_fields)},
            )
        case CustomerGradeChanged():
            zh, en = render(PROMPTS[PromptKind.CUSTOMER_GRADE_CHANGED],
                            customer_number=event.customer_number,
                            company_name=event.company_name,
                            previous_grade=grade_label(event.previous_grade),
                            grade=grade_label(event.grade),
                            changed_by=(FRAGMENTS["changed_automatically"]
                                        if event.changed_by_kind == "system" else
                                        render(FRAGMENTS["changed_by"],
                                               changed_by=event.changed_by)),
                            paid_total=fmt(event.paid_total))
            return Notice(
                kind=PromptKind.CUSTOMER_GRADE_CHANGED, message=zh, message_en=en,
                data={"customer_id": str(event.customer_id),
                      "customer_number": event.customer_number,
                      "company_name": event.company_name,
                      "previous_grade": event.previous_grade, "grade": event.grade,
                      "paid_total": fmt(event.paid_total), "reason": event.reason,
                      "changed_by": event.changed_by},
            )
        case InvoiceRequested():
            numbers = list(event.order_numbers)
            zh, en = render(PROMPTS[PromptKind.INVOICE_REQUESTED],
                            customer=customer_name or FRAGMENTS["a_customer"],
                            orders=FRAGMENTS["order" if len(numbers) == 1 else "orders"],
                            numbers=join((n, n) for n in numbers),
                            amount=fmt(event.amount))
            return Notice(
                kind=PromptKind.INVOICE_REQUESTED, message=zh, message_en=en,
                data={"invoice_id": str(event.invoice_id),
                      "customer_id": str(event.customer_id), "customer_name": customer_name,
                      "order_ids": [str(i) for i in event.order_ids],
                      "order_numbers": numbers, "amount": fmt(event.amount)},
            )
        case ServiceRequestOpened():
            zh, en = render(PROMPTS[PromptKind.SERVICE_REQUEST],
                            customer_name=event.customer_name, machine=event.machine,
                            description=snippet(event.description))
            return Notice(
                kind=PromptKind.SERVICE_REQUEST, message=zh, message_en=en,
                data={"request_id": str(event.request_id),
                      "customer_id": str(event.customer_id),
                      "customer_name": event.customer_name, "machine": event.machine},
            )
        case ServiceRequestReplied(author_kind="customer"):
            # a staff reply is known to the staff; the customer's answer is news (S-1)
            zh, en = render(PROMPTS[PromptKind.SERVICE_REQUEST_REPLIED],
                            customer_name=event.customer_name, machine=event.machine,
                            reopened=(FRAGMENTS["reopened"]
                                      if event.previous_status == "resolved" else ""),
                            snippet=snippet(event.snippet))
            return Notice(
                kind=PromptKind.SERVICE_REQUEST_REPLIED, message=zh, message_en=en,
                data={"request_id": str(event.request_id),
                      "customer_id": str(event.customer_id),
                      "customer_name": event.customer_name, "machine": event.machine,
                      "reply_id": str(event.reply_id), "status": event.status},
            )
    return order_prompt(event) or statement_prompt(event)


def about(notice: Notice) -> tuple[uuid.UUID | None, str | None]:
    """The customer a prompt is about and its area as the event tells it (C-7): from the
    prompt's data (`customer_id`; `area` where the event has one, e.g. a registration or
    a statement). The repository takes an area the event does not tell from the customer
    read model."""
    customer_id = area = None
    raw = notice.data.get("customer_id")
    if raw:
        try:
            customer_id = uuid.UUID(str(raw))
        except ValueError:
            customer_id = None
    given = notice.data.get("area")
    if isinstance(given, str) and given.strip():
        area = given
    return customer_id, area
