"""Every event notify consumes, translated in one place (N-2, N-3, N-5): the customer read
model takes what it needs, the staff get their prompt (texts in `prompts/`), the customer
its inbox message (texts in `messages/`), and a reminder also goes to the external
notifier as one delivery per channel (`deliveries/`). All in the consumer's one
transaction and at most once per event (the notices' and deliveries' unique source event
id; the inbox already drops a redelivered event)."""

from __future__ import annotations

import uuid

from dinghuo_contracts import (
    CustomerApproved,
    CustomerGradeChanged,
    CustomerOrderingCycleDue,
    CustomerRegistered,
    CustomerRejected,
    CustomerUpdated,
    Event,
    EventEnvelope,
    InvoiceIssued,
    InvoiceRejected,
    InvoiceRequested,
    OrderApproved,
    OrderCancellationRejected,
    OrderCancellationRequested,
    OrderCancelled,
    OrderCompleted,
    OrderCreditHeld,
    OrderCreditHoldReleased,
    OrderModified,
    OrderPaymentDue,
    OrderReceived,
    OrderRejected,
    OrderSecondReviewRequired,
    OrderShipped,
    OrderSubmitted,
    PaymentReceived,
    PaymentReversed,
    PointsEarned,
    PointsRefused,
    PointsReleased,
    ReturnApproved,
    ReturnRejected,
    ReturnRequested,
    ServiceRequestClosed,
    ServiceRequestOpened,
    ServiceRequestReplied,
    StatementConfirmed,
    StatementDisputed,
    StatementDisputeResolved,
)
from servicekit.messaging import HandlerRegistry
from servicekit.timeutil import utcnow
from sqlalchemy.ext.asyncio import AsyncSession

from .config import settings
from .customers import readmodel
from .customers.repository import CustomerViewRepository
from .deliveries.service import DeliveryService
from .messages import domain as messages
from .messages.repository import MessageRepository
from .prompts import domain as prompts
from .prompts.repository import PromptRepository

registry = HandlerRegistry()

# Customer messages that are also sent by SMS/WeChat (N-2): the reminders.
REMINDERS = frozenset({"payment_due", "ordering_cycle_due"})


def params_of(data: dict) -> dict[str, str]:
    """A message's data as the notifier's template variables: strings, no nulls."""
    return {k: str(v) for k, v in data.items()
            if v is not None and not isinstance(v, dict | list)}


async def on_event(session: AsyncSession, event: Event, env: EventEnvelope) -> None:
    newest = await readmodel.apply(session, event, env.occurred_at)
    if isinstance(event, CustomerRegistered | CustomerUpdated | CustomerApproved) \
            and event.area and newest:
        # Its prompts follow the customer's area, once known or changed (C-7); an older
        # event arriving late moves them not.
        await PromptRepository(session).move_customer(event.customer_id, event.area)
    now = utcnow()
    customer_name = None
    if isinstance(event, InvoiceRequested):  # the event names no customer
        customer_name = await CustomerViewRepository(session).name_of(event.customer_id)
    prompt = prompts.staff_prompt(event, customer_name=customer_name)
    if prompt is not None:
        await PromptRepository(session).add_once(env.id, prompt, now)
    message = messages.customer_message(event)
    if message is None:
        return
    customer_id: uuid.UUID = event.customer_id  # type: ignore[attr-defined]
    message_id = await MessageRepository(session).add_once(env.id, customer_id, message, now)
    if message_id is not None and str(message.kind) in REMINDERS:
        await DeliveryService(session).to_customer(
            source_event_id=env.id, customer_id=customer_id,
            channels=settings.reminder_channels, template=str(message.kind),
            params=params_of(message.data), text=message.message,
            text_en=message.message_en, message_id=message_id)


def says_something(event: Event) -> bool:
    """Whether a points event prompts staff or messages the customer — all the worker does
    with one (the read model keeps none). A new order's pending points say nothing: that
    message is acknowledged without a transaction (issue 16: it was one of an order's five
    consumed messages, and changed nothing)."""
    return (prompts.staff_prompt(event) is not None
            or messages.customer_message(event) is not None)


for _event in (PointsEarned, PointsRefused, PointsReleased):
    registry.on(_event, when=says_something)(on_event)

for _event in (
    # customers (C-2, C-4, C-5, C-6)
    CustomerRegistered, CustomerUpdated, CustomerApproved, CustomerRejected,
    CustomerGradeChanged, CustomerOrderingCycleDue,
    # orders (O-*, N-3, N-5)
    OrderSubmitted, OrderApproved, OrderRejected, OrderModified, OrderSecondReviewRequired,
    OrderCancelled, OrderCancellationRequested, OrderCancellationRejected, OrderShipped,
    OrderReceived, OrderCompleted, ReturnRequested, ReturnApproved, ReturnRejected,
    PaymentReceived, OrderPaymentDue, PaymentReversed, OrderCreditHeld, OrderCreditHoldReleased,
    # monthly statements (B-1)
    StatementConfirmed, StatementDisputed, StatementDisputeResolved,
    # invoices, the service desk (points: above)
    InvoiceRequested, InvoiceRejected, InvoiceIssued, ServiceRequestOpened,
    ServiceRequestReplied, ServiceRequestClosed,
):
    registry.on(_event)(on_event)
