"""All SQL of the supplier's contact people."""

from __future__ import annotations

import uuid

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import SupplierContact


class ContactRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, contact: SupplierContact) -> None:
        self.session.add(contact)

    async def get(self, contact_id: uuid.UUID, *,
                  for_update: bool = False) -> SupplierContact | None:
        stmt = select(SupplierContact).where(SupplierContact.id == contact_id)
        if for_update:
            stmt = stmt.with_for_update()
        return (await self.session.scalars(stmt)).first()

    async def delete(self, contact: SupplierContact) -> None:
        await self.session.delete(contact)
        await self.session.flush()

    async def list(self, *, area: str | None = None, limit: int = 50,
                   offset: int = 0) -> tuple[list[SupplierContact], int]:
        stmt = select(SupplierContact)
        if area is not None:
            stmt = stmt.where(SupplierContact.area == area)
        total = (await self.session.execute(
            select(func.count()).select_from(stmt.subquery()))).scalar_one()
        rows = (await self.session.scalars(
            stmt.order_by(SupplierContact.area, SupplierContact.role, SupplierContact.name,
                          SupplierContact.id).limit(limit).offset(offset))).all()
        return list(rows), total

    async def for_area(self, area: str | None, default_area: str) -> list[SupplierContact]:
        """The area's own contacts; the default ones when it has none."""
        areas = [default_area] if area is None else [area, default_area]
        rows = (await self.session.scalars(
            select(SupplierContact).where(SupplierContact.area.in_(areas))
            .order_by(case((SupplierContact.area == default_area, 1), else_=0),
                      SupplierContact.role, SupplierContact.name, SupplierContact.id))).all()
        own = [r for r in rows if r.area != default_area]
        return own or [r for r in rows if r.area == default_area]
