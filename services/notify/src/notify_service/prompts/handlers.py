"""Events that prompt the staff (N-3). Customer events are handled in customers/,
which keeps the name read model and prompts in the same step."""

from __future__ import annotations

from dinghuo_contracts import EventEnvelope, InvoiceRequested, OrderSubmitted, ServiceRequestOpened
from servicekit.messaging import HandlerRegistry
from sqlalchemy.ext.asyncio import AsyncSession

from ..customers.repository import CustomerViewRepository
from ..orders import handlers as order_notices
from .service import PromptService

registry = HandlerRegistry()


@registry.on(OrderSubmitted)
async def on_order_submitted(session: AsyncSession, event: OrderSubmitted,
                             env: EventEnvelope) -> None:
    """A window prompt for every new order (O-4, N-3); an order staff entered for the
    customer also tells the customer (N-5)."""
    await PromptService(session).record(event, env)
    await order_notices.tell_customer(session, event, env)


@registry.on(InvoiceRequested)
async def on_invoice_requested(session: AsyncSession, event: InvoiceRequested,
                               env: EventEnvelope) -> None:
    name = await CustomerViewRepository(session).name_of(event.customer_id)
    await PromptService(session).record(event, env, customer_name=name)


@registry.on(ServiceRequestOpened)
async def on_service_request_opened(session: AsyncSession, event: ServiceRequestOpened,
                                    env: EventEnvelope) -> None:
    await PromptService(session).record(event, env)
