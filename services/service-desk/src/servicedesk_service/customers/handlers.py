"""Keep the customer read model in step with the customer service: who may report
faults (approved customers) and under which name (no synchronous calls). Customer events
apply by the time they happened: an older one arriving late changes nothing newer (X-2)."""

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
                        env: EventEnvelope) -> None:
    # Only a first sighting: a late registered event must not undo an approval.
    await CustomerViewRepository(session).insert_if_missing(
        event.customer_id, as_of=env.occurred_at, name=event.company_name, status="pending_review",
        number=event.customer_number, area=event.area)


@registry.on(CustomerApproved)
async def on_approved(session: AsyncSession, event: CustomerApproved,
                      env: EventEnvelope) -> None:
    await CustomerViewRepository(session).upsert(
        event.customer_id, as_of=env.occurred_at, name=event.company_name, status="approved",
        number=event.customer_number, area=event.area)


@registry.on(CustomerRejected)
async def on_rejected(session: AsyncSession, event: CustomerRejected,
                      env: EventEnvelope) -> None:
    await CustomerViewRepository(session).upsert(
        event.customer_id, as_of=env.occurred_at, name=event.company_name,
        status="rejected")


@registry.on(CustomerUpdated)
async def on_updated(session: AsyncSession, event: CustomerUpdated,
                     env: EventEnvelope) -> None:
    # The area moves with the customer: staff bound to areas see what is theirs (C-7).
    # Its status too (None: an event from before it travelled), so that an update that
    # overtook the approval does not leave the customer waiting for review.
    await CustomerViewRepository(session).upsert(
        event.customer_id, as_of=env.occurred_at, name=event.company_name,
        status=event.status, number=event.customer_number, area=event.area)
