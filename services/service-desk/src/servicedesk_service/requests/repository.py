"""All SQL of service requests."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from ..customers.repository import in_areas
from ..models import ServiceRequest


class ServiceRequestRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, request: ServiceRequest) -> None:
        self.session.add(request)

    async def get(self, request_id: uuid.UUID, *, customer_id: uuid.UUID | None = None,
                  areas: frozenset[str] = frozenset(),
                  for_update: bool = False) -> ServiceRequest | None:
        stmt = (select(ServiceRequest).where(ServiceRequest.id == request_id)
                .options(selectinload(ServiceRequest.replies)))
        if customer_id is not None:
            stmt = stmt.where(ServiceRequest.customer_id == customer_id)
        if areas:
            stmt = stmt.where(in_areas(ServiceRequest.customer_id, areas))
        if for_update:
            stmt = stmt.with_for_update(of=ServiceRequest)
        return (await self.session.scalars(stmt)).first()

    async def list(self, *, customer_id: uuid.UUID | None = None, status: str | None = None,
                   areas: frozenset[str] = frozenset(), machine_id: uuid.UUID | None = None,
                   limit: int = 50, offset: int = 0) -> tuple[list[ServiceRequest], int]:
        stmt = select(ServiceRequest)
        if customer_id is not None:
            stmt = stmt.where(ServiceRequest.customer_id == customer_id)
        if areas:
            stmt = stmt.where(in_areas(ServiceRequest.customer_id, areas))
        if machine_id is not None:
            stmt = stmt.where(ServiceRequest.machine_id == machine_id)
        if status is not None:
            stmt = stmt.where(ServiceRequest.status == status)
        total = (await self.session.execute(
            select(func.count()).select_from(stmt.subquery()))).scalar_one()
        rows = (await self.session.scalars(
            stmt.order_by(ServiceRequest.created_at.desc(), ServiceRequest.id.desc())
            .limit(limit).offset(offset))).all()
        return list(rows), total
