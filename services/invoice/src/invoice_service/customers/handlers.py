"""Keep the customer read model in step with the customer service: the area (C-7) and
the tax information (C-1) an invoice request defaults from (I-1)."""

from __future__ import annotations

from dinghuo_contracts import (
    CustomerApproved,
    CustomerRegistered,
    CustomerUpdated,
    EventEnvelope,
)
from servicekit.messaging import HandlerRegistry
from sqlalchemy.ext.asyncio import AsyncSession

from .repository import CARRIED, CustomerRepository

registry = HandlerRegistry()


def carried(event: CustomerRegistered | CustomerApproved | CustomerUpdated) -> dict:
    """The fields of the read model this event carries. An event written before a field
    existed lacks it (it is not among the fields set when the event was parsed): the
    read model keeps what it knows. A customer number never goes away."""
    values = {name: getattr(event, name) for name in CARRIED
              if name in type(event).model_fields and name in event.model_fields_set}
    if values.get("customer_number") is None:
        values.pop("customer_number", None)
    return values


@registry.on(CustomerRegistered)
@registry.on(CustomerApproved)
@registry.on(CustomerUpdated)
async def on_customer(session: AsyncSession,
                      event: CustomerRegistered | CustomerApproved | CustomerUpdated,
                      env: EventEnvelope) -> None:
    await CustomerRepository(session).apply(event.customer_id, env.occurred_at,
                                            carried(event))
