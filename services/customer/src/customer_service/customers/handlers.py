"""Customer-side reactions to other contexts' events."""

from __future__ import annotations

from dinghuo_contracts import EventEnvelope, OrderSubmitted, PaymentReceived
from servicekit.messaging import HandlerRegistry
from sqlalchemy.ext.asyncio import AsyncSession

from .service import CustomerService

registry = HandlerRegistry()


@registry.on(PaymentReceived)
async def on_payment_received(session: AsyncSession, event: PaymentReceived,
                              _env: EventEnvelope) -> None:
    """An order is fully paid: its amount counts towards the customer's paid consumption
    (C-4), once per order even if the event comes twice under different ids; a grade
    threshold reached upgrades the customer."""
    await CustomerService(session).record_payment(event)


@registry.on(OrderSubmitted)
async def on_order_submitted(session: AsyncSession, event: OrderSubmitted,
                             _env: EventEnvelope) -> None:
    """The customer ordered: its last order date moves on, and with it the next due date
    of its ordering cycle (C-6)."""
    await CustomerService(session).record_order(event)
