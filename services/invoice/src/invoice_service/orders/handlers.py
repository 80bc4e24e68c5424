"""Keep the read model of invoiceable orders in step with the order service, so that an
invoice request needs no synchronous call (I-1)."""

from __future__ import annotations

from dinghuo_contracts import (
    EventEnvelope,
    OrderApproved,
    OrderCancelled,
    OrderModified,
    OrderRejected,
    OrderSubmitted,
    ReturnApproved,
)
from servicekit.messaging import HandlerRegistry
from sqlalchemy.ext.asyncio import AsyncSession

from .repository import InvoiceableOrderRepository

registry = HandlerRegistry()


@registry.on(OrderSubmitted)
async def on_submitted(session: AsyncSession, event: OrderSubmitted,
                       _env: EventEnvelope) -> None:
    await InvoiceableOrderRepository(session).upsert_submitted(
        order_id=event.order_id, customer_id=event.customer_id,
        customer_name=event.customer_name, number=event.number, total=event.total,
        bill_type=event.bill_type)


@registry.on(OrderApproved)
async def on_approved(session: AsyncSession, event: OrderApproved,
                      _env: EventEnvelope) -> None:
    await InvoiceableOrderRepository(session).set_status(
        order_id=event.order_id, customer_id=event.customer_id, number=event.number,
        status="approved")


@registry.on(OrderRejected)
async def on_rejected(session: AsyncSession, event: OrderRejected,
                      _env: EventEnvelope) -> None:
    """A rejected order cannot be invoiced any more. An invoice already requested for it
    stays as it is; finance staff see it before issuing."""
    await InvoiceableOrderRepository(session).set_status(
        order_id=event.order_id, customer_id=event.customer_id, number=event.number,
        status="rejected")


@registry.on(OrderModified)
async def on_modified(session: AsyncSession, event: OrderModified,
                      _env: EventEnvelope) -> None:
    """The customer changed its unreviewed order (O-4): invoice its new total."""
    await InvoiceableOrderRepository(session).update_content(
        order_id=event.order_id, customer_id=event.customer_id,
        customer_name=event.customer_name, number=event.number, total=event.total,
        bill_type=event.bill_type)


@registry.on(OrderCancelled)
async def on_cancelled(session: AsyncSession, event: OrderCancelled,
                       _env: EventEnvelope) -> None:
    """A cancelled order cannot be invoiced any more (like a rejected one)."""
    await InvoiceableOrderRepository(session).set_status(
        order_id=event.order_id, customer_id=event.customer_id, number=event.number,
        status="cancelled")


@registry.on(ReturnApproved)
async def on_return_approved(session: AsyncSession, event: ReturnApproved,
                             _env: EventEnvelope) -> None:
    """Staff approved a return (O-9): its refund is not invoiced."""
    await InvoiceableOrderRepository(session).add_refund(
        return_id=event.return_id, order_id=event.order_id, customer_id=event.customer_id,
        number=event.number, refund_amount=event.refund_amount, decided_at=event.decided_at)
