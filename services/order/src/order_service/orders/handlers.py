"""Order-side reactions to other contexts' events."""

from __future__ import annotations

from dinghuo_contracts import EventEnvelope, InvoiceConfirmed
from servicekit.messaging import HandlerRegistry
from sqlalchemy.ext.asyncio import AsyncSession

from .service import OrderService

registry = HandlerRegistry()


@registry.on(InvoiceConfirmed)
async def on_invoice_confirmed(session: AsyncSession, event: InvoiceConfirmed,
                               _env: EventEnvelope) -> None:
    """The customer confirmed the invoice: its orders are invoiced (I-3, O-7), which is on
    their timelines."""
    await OrderService(session).mark_invoiced(list(event.order_ids), event.customer_id,
                                              event.invoice_number)
