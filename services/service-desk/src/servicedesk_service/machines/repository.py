"""All SQL of the installed base."""

from __future__ import annotations

import uuid
from datetime import date

from servicekit.search import like_pattern as like
from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..customers.repository import in_areas
from ..models import CustomerView, Machine


class MachineRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, machine: Machine) -> None:
        self.session.add(machine)

    async def get(self, machine_id: uuid.UUID, *, customer_id: uuid.UUID | None = None,
                  areas: frozenset[str] = frozenset(),
                  for_update: bool = False) -> tuple[Machine, CustomerView | None] | None:
        stmt = self._select().where(Machine.id == machine_id)
        if customer_id is not None:
            stmt = stmt.where(Machine.customer_id == customer_id)
        if areas:
            stmt = stmt.where(in_areas(Machine.customer_id, areas))
        if for_update:
            stmt = stmt.with_for_update(of=Machine)
        row = (await self.session.execute(stmt)).first()
        return (row[0], row[1]) if row else None

    async def installed_base(self, customer_id: uuid.UUID) -> tuple[int, list[str]]:
        """The customer's machines (the sum of the quantities) and their distinct models."""
        row = (await self.session.execute(
            select(func.coalesce(func.sum(Machine.quantity), 0),
                   func.array_remove(func.array_agg(func.distinct(Machine.model)), None))
            .where(Machine.customer_id == customer_id))).one()
        return int(row[0]), sorted(row[1] or [])

    async def number_taken(self, machine_number: str,
                           other_than: uuid.UUID | None = None) -> bool:
        stmt = select(Machine.id).where(Machine.machine_number == machine_number)
        if other_than is not None:
            stmt = stmt.where(Machine.id != other_than)
        return (await self.session.scalar(stmt.limit(1))) is not None

    async def list(self, *, customer_id: uuid.UUID | None = None,
                   areas: frozenset[str] = frozenset(), q: str | None = None,
                   warranty: str | None = None, today: date | None = None,
                   limit: int = 50, offset: int = 0,
                   ) -> tuple[list[tuple[Machine, CustomerView | None]], int]:
        stmt = self._select()
        if customer_id is not None:
            stmt = stmt.where(Machine.customer_id == customer_id)
        if areas:
            stmt = stmt.where(in_areas(Machine.customer_id, areas))
        if q:
            pattern = like(q)
            stmt = stmt.where(or_(*(c.ilike(pattern, escape="\\") for c in (
                Machine.name, Machine.model, Machine.machine_number, CustomerView.name,
                CustomerView.customer_number, Machine.salesperson,
                Machine.installation_engineer))))
        if warranty is not None and today is not None:
            covered = (Machine.warranty_until.is_not(None)
                       & (Machine.warranty_until >= today))
            stmt = stmt.where(covered if warranty == "in" else ~covered)
        total = (await self.session.execute(
            select(func.count()).select_from(stmt.subquery()))).scalar_one()
        rows = (await self.session.execute(
            stmt.order_by(Machine.purchase_date.desc(), Machine.created_at.desc(),
                          Machine.id).limit(limit).offset(offset))).all()
        return [(r[0], r[1]) for r in rows], total

    @staticmethod
    def _select() -> Select:
        return (select(Machine, CustomerView)
                .join(CustomerView, CustomerView.customer_id == Machine.customer_id,
                      isouter=True))
