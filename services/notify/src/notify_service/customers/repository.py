"""The read model of customer names, fed by customer events."""

from __future__ import annotations

import uuid

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import CustomerView


class CustomerViewRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, customer_id: uuid.UUID) -> CustomerView | None:
        return await self.session.get(CustomerView, customer_id)

    async def upsert(self, customer_id: uuid.UUID, *, name: str, number: str | None = None,
                     area: str | None = None) -> None:
        values = {"customer_id": customer_id, "name": name, "customer_number": number,
                  "area": area}
        update = {k: v for k, v in values.items() if k != "customer_id" and v is not None}
        await self.session.execute(
            insert(CustomerView).values(**values)
            .on_conflict_do_update(index_elements=["customer_id"], set_=update))

    async def name_of(self, customer_id: uuid.UUID) -> str | None:
        row = await self.get(customer_id)
        return row.name if row else None
