"""The supplier's contact people per area (N-4): staff keep them, customers see the ones
for their area (or the default ones). Every change is audited (X-3). Nothing here
commits."""

from __future__ import annotations

import uuid

from servicekit.auth import Principal
from servicekit.errors import NotFound
from sqlalchemy.ext.asyncio import AsyncSession

from ..audit.service import AuditLog, Entity
from ..customers.domain import diff
from ..models import Customer, SupplierContact
from .repository import ContactRepository
from .schemas import DEFAULT_AREA, ContactIn

FIELDS = ("area", "name", "phone", "qq", "role")


def _values(c: SupplierContact) -> dict[str, object]:
    return {f: getattr(c, f) for f in FIELDS}


class ContactService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.contacts = ContactRepository(session)
        self.audit = AuditLog(session)

    async def list(self, *, area: str | None, limit: int,
                   offset: int) -> tuple[list[SupplierContact], int]:
        return await self.contacts.list(area=area, limit=limit, offset=offset)

    async def for_customer(self, customer: Customer) -> list[SupplierContact]:
        return await self.contacts.for_area(customer.area, DEFAULT_AREA)

    async def create(self, principal: Principal, data: ContactIn) -> SupplierContact:
        contact = SupplierContact(id=uuid.uuid4(), updated_by=principal.display,
                                  **data.model_dump())
        self.contacts.add(contact)
        await self.session.flush()
        self.audit.record(principal, Entity.CONTACT, contact.id, "contact_created",
                          before=None, after=_values(contact))
        return contact

    async def update(self, principal: Principal, contact_id: uuid.UUID,
                     data: ContactIn) -> SupplierContact:
        contact = await self._get(contact_id)
        before = _values(contact)
        after = data.model_dump()
        if before != after:
            for field, value in after.items():
                setattr(contact, field, value)
            contact.updated_by = principal.display
            await self.session.flush()
            old, new = diff(before, after, FIELDS)
            self.audit.record(principal, Entity.CONTACT, contact.id, "contact_updated",
                              before=old, after=new)
        return contact

    async def delete(self, principal: Principal, contact_id: uuid.UUID) -> None:
        contact = await self._get(contact_id)
        before = _values(contact)
        await self.contacts.delete(contact)
        self.audit.record(principal, Entity.CONTACT, contact_id, "contact_deleted",
                          before=before, after=None)

    async def _get(self, contact_id: uuid.UUID) -> SupplierContact:
        contact = await self.contacts.get(contact_id, for_update=True)
        if contact is None:
            raise NotFound("Contact not found")
        return contact
