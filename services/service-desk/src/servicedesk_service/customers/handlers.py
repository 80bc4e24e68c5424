"""Keep the customer read model in step with the customer service: who may report
faults (approved customers) and under which name (no synchronous calls)."""

from __future__ import annotations

from dinghuo_contracts import (
    CustomerApproved,
    CustomerRegistered,
    CustomerRejected,
    CustomerUpdated,
    EventEnvelope,
)
from servicekit.messaging import HandlerRegistry
from sqlalchemy.ext.asyncio import AsyncSession

from .repository import CustomerViewRepository

registry = HandlerRegistry()


@registry.on(CustomerRegistered)
async def on_registered(session: AsyncSession, event: CustomerRegistered,
                        _env: EventEnvelope) -> None:
    # Only a first sighting: a late registered event must not undo an approval.
    await CustomerViewRepository(session).insert_if_missing(
        event.customer_id, name=event.company_name, status="pending_review",
        number=event.customer_number, area=event.area)


@registry.on(CustomerApproved)
async def on_approved(session: AsyncSession, event: CustomerApproved,
                      _env: EventEnvelope) -> None:
    await CustomerViewRepository(session).upsert(
        event.customer_id, name=event.company_name, status="approved",
        number=event.customer_number, area=event.area)


@registry.on(CustomerRejected)
async def on_rejected(session: AsyncSession, event: CustomerRejected,
                      _env: EventEnvelope) -> None:
    await CustomerViewRepository(session).upsert(
        event.customer_id, name=event.company_name, status="rejected")


@registry.on(CustomerUpdated)
async def on_updated(session: AsyncSession, event: CustomerUpdated,
                     _env: EventEnvelope) -> None:
    # The area moves with the customer: staff bound to areas see what is theirs (C-7).
    await CustomerViewRepository(session).upsert(
        event.customer_id, name=event.company_name, number=event.customer_number,
        area=event.area)
