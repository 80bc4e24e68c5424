"""The read model of customers, fed by customer events."""

from __future__ import annotations

import uuid
from datetime import datetime

from servicekit.readmodel import upsert_newer_wins
from servicekit.upsert import insert
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import CustomerView


class CustomerViewRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, customer_id: uuid.UUID) -> CustomerView | None:
        return await self.session.get(CustomerView, customer_id)

    async def insert_if_missing(self, customer_id: uuid.UUID, *, as_of: datetime, name: str,
                                status: str, number: str | None = None,
                                area: str | None = None) -> None:
        await self.session.execute(
            insert(CustomerView).values(customer_id=customer_id, name=name, status=status,
                                        customer_number=number, area=area,
                                        profile_as_of=as_of)
            .on_conflict_do_nothing(index_elements=["customer_id"]))

    async def upsert(self, customer_id: uuid.UUID, *, as_of: datetime, name: str,
                     status: str | None = None, number: str | None = None,
                     area: str | None = None) -> None:
        """What a customer event that happened at `as_of` says; a None value leaves the
        stored one alone (a new row without a status waits for review). An event older
        than the one last applied (arriving late) changes nothing known (X-2)."""
        await self.session.execute(upsert_newer_wins(
            CustomerView, key={"customer_id": customer_id}, as_of_column="profile_as_of",
            as_of=as_of, defaults={"status": "pending_review"},
            carried={"name": name, "status": status, "customer_number": number,
                     "area": area}))


def in_areas(customer_id_column, areas: frozenset[str]):
    """Rows of customers in the given areas (staff bound to areas, C-7); a customer whose
    area is not known here is in none."""
    return customer_id_column.in_(
        select(CustomerView.customer_id).where(CustomerView.area.in_(sorted(areas))))


