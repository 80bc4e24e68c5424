"""All SQL of the customer read model."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from servicekit.timeutil import utcnow
from servicekit.upsert import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ..invoices.domain import Profile
from ..models import InvoiceCustomer

# Event field = column.
CARRIED = ("customer_number", "company_name", "area", "mobile", "invoice_title", "tax_number",
           "bank", "bank_account", "address", "area_code", "telephone")


class CustomerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def apply(self, customer_id: uuid.UUID, as_of: datetime,
                    values: dict[str, Any]) -> None:
        """Take the values of an event that happened at `as_of`; an event older than the
        one last applied changes nothing (events may arrive out of order)."""
        stmt = insert(InvoiceCustomer).values(customer_id=customer_id, as_of=as_of, **values)
        await self.session.execute(stmt.on_conflict_do_update(
            index_elements=["customer_id"],
            set_={**{k: stmt.excluded[k] for k in values}, "as_of": stmt.excluded.as_of,
                  "updated_at": utcnow()},
            where=InvoiceCustomer.as_of <= stmt.excluded.as_of))

    async def get(self, customer_id: uuid.UUID) -> InvoiceCustomer | None:
        return await self.session.get(InvoiceCustomer, customer_id)

    async def profile(self, customer_id: uuid.UUID) -> Profile:
        """The customer's tax information; empty while no customer event has arrived."""
        c = await self.get(customer_id)
        if c is None:
            return Profile()
        return Profile(company_name=c.company_name, invoice_title=c.invoice_title,
                       tax_number=c.tax_number, bank=c.bank, bank_account=c.bank_account,
                       address=c.address, area_code=c.area_code, telephone=c.telephone,
                       mobile=c.mobile)
