"""The read model of customers, fed by customer events."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import CustomerView


class CustomerViewRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, customer_id: uuid.UUID) -> CustomerView | None:
        return await self.session.get(CustomerView, customer_id)

    async def insert_if_missing(self, customer_id: uuid.UUID, *, name: str, status: str,
                                number: str | None = None, area: str | None = None) -> None:
        await self.session.execute(
            insert(CustomerView).values(customer_id=customer_id, name=name, status=status,
                                        customer_number=number, area=area)
            .on_conflict_do_nothing(index_elements=["customer_id"]))

    async def upsert(self, customer_id: uuid.UUID, *, name: str, status: str | None = None,
                     number: str | None = None, area: str | None = None) -> None:
        """Insert or update; a None value leaves the stored one alone (a new row without a
        status waits for review)."""
        values = {"customer_id": customer_id, "name": name,
                  "status": status or "pending_review", "customer_number": number,
                  "area": area}
        changes = {"name": name, "status": status, "customer_number": number, "area": area}
        await self.session.execute(
            insert(CustomerView).values(**values).on_conflict_do_update(
                index_elements=["customer_id"],
                set_={k: v for k, v in changes.items() if v is not None}))


def in_areas(customer_id_column, areas: frozenset[str]):
    """Rows of customers in the given areas (staff bound to areas, C-7); a customer whose
    area is not known here is in none."""
    return customer_id_column.in_(
        select(CustomerView.customer_id).where(CustomerView.area.in_(sorted(areas))))


