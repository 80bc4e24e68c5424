"""All SQL of staff batch messages and their recipients."""

from __future__ import annotations

import uuid
from datetime import date

from servicekit.search import contains
from sqlalchemy import exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import CustomerMessage, CustomerView, Delivery, MessageBatch, OverdueOrder
from . import domain


def _overdue():
    return exists().where(OverdueOrder.customer_id == CustomerView.customer_id)


class BatchRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def customers(self, ids: list[uuid.UUID]) -> dict[uuid.UUID, CustomerView]:
        rows = await self.session.scalars(
            select(CustomerView).where(CustomerView.customer_id.in_(ids)))
        return {c.customer_id: c for c in rows}

    async def matching(self, f: domain.Filter, areas: frozenset[str], today: date,
                       limit: int) -> list[CustomerView]:
        """Approved customers matching the filter within the staff member's areas."""
        stmt = select(CustomerView).where(CustomerView.status == "approved")
        if areas:
            stmt = stmt.where(CustomerView.area.in_(sorted(areas)))
        if f.grade is not None:
            stmt = stmt.where(CustomerView.grade == f.grade)
        if f.area:
            # part of the area, as typed: "广东" reaches the whole province (the preview
            # shows who before anything is sent)
            stmt = stmt.where(contains(f.area, CustomerView.area))
        if f.overdue is not None:
            stmt = stmt.where(_overdue() if f.overdue else ~_overdue())
        if f.cycle_due is not None:
            due = CustomerView.cycle_due_on.is_not(None) & (CustomerView.cycle_due_on <= today)
            stmt = stmt.where(due if f.cycle_due else ~due)
        stmt = stmt.order_by(CustomerView.customer_number, CustomerView.customer_id)
        return list((await self.session.scalars(stmt.limit(limit))).all())

    async def overdue_counts(self, ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
        if not ids:
            return {}
        rows = await self.session.execute(
            select(OverdueOrder.customer_id, func.count()).where(
                OverdueOrder.customer_id.in_(ids)).group_by(OverdueOrder.customer_id))
        return dict(rows.all())  # type: ignore[arg-type]

    def add(self, batch: MessageBatch) -> None:
        self.session.add(batch)

    def _visible(self, areas: frozenset[str]):
        """Batches with at least one recipient in the staff member's areas (C-7)."""
        return exists().where(
            CustomerMessage.batch_id == MessageBatch.id,
            CustomerMessage.customer_id.in_(select(CustomerView.customer_id).where(
                CustomerView.area.in_(sorted(areas)))))

    async def list(self, areas: frozenset[str], limit: int,
                   offset: int) -> tuple[list[MessageBatch], int]:
        stmt = select(MessageBatch)
        if areas:
            stmt = stmt.where(self._visible(areas))
        total = (await self.session.execute(
            select(func.count()).select_from(stmt.subquery()))).scalar_one()
        rows = await self.session.scalars(
            stmt.order_by(MessageBatch.created_at.desc(), MessageBatch.id.desc())
            .limit(limit).offset(offset))
        return list(rows.all()), total

    async def get(self, batch_id: uuid.UUID, areas: frozenset[str]) -> MessageBatch | None:
        stmt = select(MessageBatch).where(MessageBatch.id == batch_id)
        if areas:
            stmt = stmt.where(self._visible(areas))
        return (await self.session.scalars(stmt)).first()

    def _in_areas(self, areas: frozenset[str]):
        return CustomerMessage.customer_id.in_(
            select(CustomerView.customer_id).where(CustomerView.area.in_(sorted(areas))))

    async def stats(self, batch_ids: list[uuid.UUID], areas: frozenset[str]
                    ) -> dict[uuid.UUID, tuple[int, int]]:
        """(recipients, read) per batch, within the areas."""
        if not batch_ids:
            return {}
        stmt = (select(CustomerMessage.batch_id, func.count(),
                       func.count(CustomerMessage.read_at))
                .where(CustomerMessage.batch_id.in_(batch_ids))
                .group_by(CustomerMessage.batch_id))
        if areas:
            stmt = stmt.where(self._in_areas(areas))
        return {b: (n, r) for b, n, r in (await self.session.execute(stmt)).all()}

    async def recipients(self, batch_id: uuid.UUID, areas: frozenset[str]
                         ) -> list[tuple[CustomerMessage, CustomerView | None]]:
        stmt = (select(CustomerMessage, CustomerView)
                .outerjoin(CustomerView,
                           CustomerView.customer_id == CustomerMessage.customer_id)
                .where(CustomerMessage.batch_id == batch_id)
                .order_by(CustomerView.customer_number, CustomerMessage.customer_id))
        if areas:
            stmt = stmt.where(self._in_areas(areas))
        return [(m, c) for m, c in (await self.session.execute(stmt)).all()]

    async def deliveries(self, batch_id: uuid.UUID) -> list[Delivery]:
        return list((await self.session.scalars(
            select(Delivery).where(Delivery.batch_id == batch_id))).all())
