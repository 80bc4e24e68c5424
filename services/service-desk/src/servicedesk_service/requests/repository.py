"""All SQL of service requests (fault reports) and their photos."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from ..customers.repository import in_areas
from ..models import ServicePhoto, ServiceRequest


class ServiceRequestRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, request: ServiceRequest) -> None:
        self.session.add(request)

    async def get(self, request_id: uuid.UUID, *, customer_id: uuid.UUID | None = None,
                  areas: frozenset[str] = frozenset(),
                  for_update: bool = False) -> ServiceRequest | None:
        stmt = (select(ServiceRequest).where(ServiceRequest.id == request_id)
                .options(selectinload(ServiceRequest.replies),
                         selectinload(ServiceRequest.photos)))
        if customer_id is not None:
            stmt = stmt.where(ServiceRequest.customer_id == customer_id)
        if areas:
            stmt = stmt.where(in_areas(ServiceRequest.customer_id, areas))
        if for_update:
            stmt = stmt.with_for_update(of=ServiceRequest)
        return (await self.session.scalars(stmt)).first()

    async def get_photo(self, request_id: uuid.UUID, photo_id: uuid.UUID, *,
                        customer_id: uuid.UUID | None = None,
                        areas: frozenset[str] = frozenset()) -> ServicePhoto | None:
        """A photo of the report, only when the caller may see the report."""
        stmt = (select(ServicePhoto)
                .join(ServiceRequest, ServiceRequest.id == ServicePhoto.request_id)
                .where(ServicePhoto.id == photo_id, ServicePhoto.request_id == request_id))
        if customer_id is not None:
            stmt = stmt.where(ServiceRequest.customer_id == customer_id)
        if areas:
            stmt = stmt.where(in_areas(ServiceRequest.customer_id, areas))
        return (await self.session.scalars(stmt)).first()

    async def list(self, *, customer_id: uuid.UUID | None = None,
                   statuses: Sequence[str] = (), areas: frozenset[str] = frozenset(),
                   machine_id: uuid.UUID | None = None, limit: int = 50,
                   offset: int = 0) -> tuple[list[tuple[ServiceRequest, int]], int]:
        """The matching reports, newest first, each with its number of photos."""
        stmt = select(ServiceRequest)
        if customer_id is not None:
            stmt = stmt.where(ServiceRequest.customer_id == customer_id)
        if areas:
            stmt = stmt.where(in_areas(ServiceRequest.customer_id, areas))
        if machine_id is not None:
            stmt = stmt.where(ServiceRequest.machine_id == machine_id)
        if statuses:
            stmt = stmt.where(ServiceRequest.status.in_(list(statuses)))
        total = (await self.session.execute(
            select(func.count()).select_from(stmt.subquery()))).scalar_one()
        photos = (select(func.count(ServicePhoto.id))
                  .where(ServicePhoto.request_id == ServiceRequest.id)
                  .correlate(ServiceRequest).scalar_subquery())
        rows = (await self.session.execute(
            stmt.add_columns(photos)
            .order_by(ServiceRequest.created_at.desc(), ServiceRequest.id.desc())
            .limit(limit).offset(offset))).all()
        return [(r[0], r[1]) for r in rows], total
