"""Events that tell a customer about its orders and invoices (N-5). Registration
decisions are handled in customers/."""

from __future__ import annotations

from dinghuo_contracts import (
    EventEnvelope,
    InvoiceIssued,
    OrderApproved,
    OrderRejected,
    PaymentReceived,
    PointsEarned,
)
from servicekit.messaging import HandlerRegistry
from sqlalchemy.ext.asyncio import AsyncSession

from .service import MessageService

registry = HandlerRegistry()


async def _tell_customer(session: AsyncSession, event: OrderApproved | OrderRejected
                         | PaymentReceived | InvoiceIssued | PointsEarned,
                         env: EventEnvelope) -> None:
    await MessageService(session).record(event, env, event.customer_id)


registry.on(OrderApproved)(_tell_customer)
registry.on(OrderRejected)(_tell_customer)
registry.on(PaymentReceived)(_tell_customer)
registry.on(InvoiceIssued)(_tell_customer)
# Pending points tell nothing new (the order was just placed); effective ones do (P-2).
registry.on(PointsEarned)(_tell_customer)
