"""All SQL of the audit log (X-3)."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import AuditEntry


class AuditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, entry: AuditEntry) -> None:
        self.session.add(entry)

    async def for_customer(self, customer_id: uuid.UUID, *, entity: str | None = None,
                           limit: int = 50, offset: int = 0) -> tuple[list[AuditEntry], int]:
        stmt = select(AuditEntry).where(AuditEntry.customer_id == customer_id)
        if entity is not None:
            stmt = stmt.where(AuditEntry.entity == entity)
        total = (await self.session.execute(
            select(func.count()).select_from(stmt.subquery()))).scalar_one()
        rows = (await self.session.scalars(
            stmt.order_by(AuditEntry.at.desc(), AuditEntry.id).limit(limit).offset(offset)
        )).all()
        return list(rows), total

    async def for_entity(self, entity: str, entity_id: str, *, limit: int = 50,
                         offset: int = 0) -> tuple[list[AuditEntry], int]:
        stmt = select(AuditEntry).where(AuditEntry.entity == entity,
                                        AuditEntry.entity_id == entity_id)
        total = (await self.session.execute(
            select(func.count()).select_from(stmt.subquery()))).scalar_one()
        rows = (await self.session.scalars(
            stmt.order_by(AuditEntry.at.desc(), AuditEntry.id).limit(limit).offset(offset)
        )).all()
        return list(rows), total
