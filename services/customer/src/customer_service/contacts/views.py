"""ORM rows → API schemas."""

from __future__ import annotations

from ..models import SupplierContact
from .schemas import ContactOut, PortalContact


def contact(c: SupplierContact) -> ContactOut:
    return ContactOut(id=c.id, area=c.area, name=c.name, phone=c.phone, qq=c.qq, role=c.role,
                      updated_by=c.updated_by, updated_at=c.updated_at)


def portal(c: SupplierContact) -> PortalContact:
    return PortalContact(name=c.name, phone=c.phone, qq=c.qq, role=c.role)
