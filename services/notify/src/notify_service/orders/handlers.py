"""Order lifecycle events → a staff prompt or a customer message (N-3, N-5), or both
(an overdue payment reminder, O-6, N-2); the order service's ordering-cycle reminder
(customer.ordering_cycle_due, C-6, N-2) → a customer message. At most once per event (the
notice's unique source event id), in the consumer's transaction."""

from __future__ import annotations

from dinghuo_contracts import (
    CustomerOrderingCycleDue,
    Event,
    EventEnvelope,
    OrderCancellationRejected,
    OrderCancellationRequested,
    OrderCancelled,
    OrderCompleted,
    OrderModified,
    OrderPaymentDue,
    OrderReceived,
    OrderSecondReviewRequired,
    OrderShipped,
    ReturnApproved,
    ReturnRejected,
    ReturnRequested,
)
from servicekit.messaging import HandlerRegistry
from servicekit.timeutil import utcnow
from sqlalchemy.ext.asyncio import AsyncSession

from ..messages.repository import MessageRepository
from ..prompts.repository import PromptRepository
from . import domain

registry = HandlerRegistry()


async def notify(session: AsyncSession, event: Event, env: EventEnvelope) -> None:
    """Prompt the staff and/or message the customer, whichever side the event is for."""
    prompt = domain.staff_prompt(event)
    if prompt is not None:
        await PromptRepository(session).add_once(env.id, prompt, utcnow())
    await tell_customer(session, event, env)


async def tell_customer(session: AsyncSession, event: Event, env: EventEnvelope) -> None:
    """The customer's message for an event whose staff prompt is recorded elsewhere
    (order.submitted by staff: prompts/handlers.py)."""
    message = domain.customer_message(event)
    if message is not None:
        customer_id = event.customer_id  # every event handled here names its customer
        await MessageRepository(session).add_once(env.id, customer_id, message, utcnow())


for _event in (OrderModified, OrderSecondReviewRequired, OrderCancelled,
               OrderCancellationRequested, OrderCancellationRejected, OrderShipped,
               OrderReceived, OrderCompleted, ReturnRequested, ReturnApproved, ReturnRejected,
               OrderPaymentDue, CustomerOrderingCycleDue):
    registry.on(_event)(notify)
