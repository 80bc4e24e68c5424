"""All SQL of maintenance records and their categories."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from servicekit.search import contains
from sqlalchemy import Select, and_, column, distinct, exists, extract, func, or_, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, selectinload

from ..customers.repository import in_areas
from ..models import (
    CustomerView,
    Machine,
    MaintenanceCategory,
    MaintenanceEntry,
    MaintenanceRecord,
    ServiceRequest,
)
from .domain import Menu

R = MaintenanceRecord


@dataclass
class Filters:
    """The 查询 menu's conditions (S-9) and the menus (S-3..S-8); `areas` is the staff
    member's (C-7), `area` one the user picked."""

    areas: frozenset[str] = frozenset()
    menu: Menu | None = None
    customer_id: uuid.UUID | None = None
    machine_id: uuid.UUID | None = None
    kind: str | None = None
    category_id: uuid.UUID | None = None
    engineer: str | None = None
    area: str | None = None
    accessory: str | None = None
    payment_status: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    q: str | None = None


@dataclass
class RecordRow:
    record: MaintenanceRecord
    customer: CustomerView | None
    machine: Machine | None
    category: MaintenanceCategory | None
    entry_count: int


def menu_condition(menu: Menu):
    match menu:
        case Menu.CONTENT:
            return None
        case Menu.FACTORY:
            return R.return_to_factory.is_(True)
        case Menu.KEY:
            return R.key_matter.is_(True)
        case Menu.UNPROCESSED:
            return and_(R.processed.is_(False), R.suspended.is_(False))
        case Menu.SUSPENDED:
            return R.suspended.is_(True)


class MaintenanceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # ------------------------------------------------------------ categories
    async def categories(self, kind: str | None = None) -> list[MaintenanceCategory]:
        stmt = select(MaintenanceCategory)
        if kind:
            stmt = stmt.where(MaintenanceCategory.kind == kind)
        return list((await self.session.scalars(
            stmt.order_by(MaintenanceCategory.kind, MaintenanceCategory.name))).all())

    async def category(self, category_id: uuid.UUID) -> MaintenanceCategory | None:
        return await self.session.get(MaintenanceCategory, category_id)

    async def category_named(self, kind: str, name: str) -> MaintenanceCategory | None:
        return (await self.session.scalars(select(MaintenanceCategory).where(
            MaintenanceCategory.kind == kind, MaintenanceCategory.name == name))).first()

    # ------------------------------------------------------------ records
    def add(self, row: object) -> None:
        self.session.add(row)

    async def machine(self, machine_id: uuid.UUID) -> Machine | None:
        return await self.session.get(Machine, machine_id)

    async def service_request(self, request_id: uuid.UUID) -> ServiceRequest | None:
        return await self.session.get(ServiceRequest, request_id)

    async def get(self, record_id: uuid.UUID, *, areas: frozenset[str] = frozenset(),
                  for_update: bool = False) -> MaintenanceRecord | None:
        stmt = (select(R).where(R.id == record_id)
                .options(selectinload(R.entries)))
        if areas:
            stmt = stmt.where(in_areas(R.customer_id, areas))
        if for_update:
            stmt = stmt.with_for_update(of=R)
        return (await self.session.scalars(stmt)).first()

    async def row(self, record_id: uuid.UUID) -> RecordRow | None:
        rows, _ = await self.list(Filters(), ids=[record_id], limit=1, offset=0)
        return rows[0] if rows else None

    async def return_visit_of(self, record_id: uuid.UUID) -> uuid.UUID | None:
        return await self.session.scalar(select(R.id).where(R.follows_record_id == record_id))

    async def list(self, f: Filters, *, limit: int, offset: int,
                   ids: list[uuid.UUID] | None = None) -> tuple[list[RecordRow], int]:
        entries = (select(func.count()).where(MaintenanceEntry.record_id == R.id)
                   .correlate(R).scalar_subquery())
        stmt = self._filtered(
            select(R, CustomerView, Machine, MaintenanceCategory, entries)
            .join(CustomerView, CustomerView.customer_id == R.customer_id, isouter=True)
            .join(Machine, Machine.id == R.machine_id, isouter=True)
            .join(MaintenanceCategory, MaintenanceCategory.id == R.category_id, isouter=True),
            f)
        if ids is not None:
            stmt = stmt.where(R.id.in_(ids))
        total = (await self.session.execute(
            select(func.count()).select_from(stmt.subquery()))).scalar_one()
        rows = (await self.session.execute(stmt.order_by(
            R.service_date.desc(), R.created_at.desc(), R.id).limit(limit).offset(offset))).all()
        return [RecordRow(*r) for r in rows], total

    def _filtered(self, stmt: Select, f: Filters) -> Select:
        if f.areas:
            stmt = stmt.where(in_areas(R.customer_id, f.areas))
        if f.menu is not None and (cond := menu_condition(f.menu)) is not None:
            stmt = stmt.where(cond)
        for col, value in ((R.customer_id, f.customer_id), (R.machine_id, f.machine_id),
                           (R.kind, f.kind), (R.category_id, f.category_id),
                           (R.payment_status, f.payment_status)):
            if value is not None:
                stmt = stmt.where(col == value)
        if f.engineer:
            stmt = stmt.where(contains(f.engineer, R.engineer))
        if f.area:
            stmt = stmt.where(R.customer_id.in_(
                select(CustomerView.customer_id).where(contains(f.area, CustomerView.area))))
        if f.accessory:
            acc = func.jsonb_array_elements(R.accessories).table_valued(
                column("value", JSONB)).alias("acc")
            stmt = stmt.where(exists(select(1).select_from(acc).where(
                contains(f.accessory, acc.c.value["name"].astext))))
        if f.date_from:
            stmt = stmt.where(R.service_date >= f.date_from)
        if f.date_to:
            stmt = stmt.where(R.service_date <= f.date_to)
        if f.q:
            names = select(CustomerView.customer_id).where(
                contains(f.q, CustomerView.name, CustomerView.customer_number))
            stmt = stmt.where(or_(contains(f.q, R.content), R.customer_id.in_(names)))
        return stmt

    async def unprocessed_by_customer(self, areas: frozenset[str]) -> list[tuple]:
        """未处理事项 grouped by customer (S-7), the longest waiting first."""
        stmt = (select(
            R.customer_id, CustomerView.name, CustomerView.customer_number, CustomerView.area,
            func.count().filter(R.kind == "repair"),
            func.count().filter(R.kind == "return_visit"),
            func.count().filter(R.key_matter.is_(True)),
            func.min(R.service_date), func.min(R.due_on))
            .join(CustomerView, CustomerView.customer_id == R.customer_id, isouter=True)
            .where(R.processed.is_(False), R.suspended.is_(False))
            .group_by(R.customer_id, CustomerView.name, CustomerView.customer_number,
                      CustomerView.area)
            .order_by(func.min(R.service_date), R.customer_id))
        if areas:
            stmt = stmt.where(in_areas(R.customer_id, areas))
        return list((await self.session.execute(stmt)).all())

    # ------------------------------------------------------------ statistics (S-9)
    async def stats(self, *, year: int, customer_id: uuid.UUID | None,
                    areas: frozenset[str]) -> dict:
        def scoped(stmt: Select) -> Select:
            stmt = stmt.where(extract("year", R.service_date) == year)
            if customer_id is not None:
                stmt = stmt.where(R.customer_id == customer_id)
            if areas:
                stmt = stmt.where(in_areas(R.customer_id, areas))
            return stmt

        month = func.to_char(R.service_date, "YYYY-MM")
        cat = aliased(MaintenanceCategory)
        by_category = (await self.session.execute(scoped(
            select(R.category_id, cat.name, R.kind, func.count())
            .join(cat, cat.id == R.category_id, isouter=True)
            .group_by(R.category_id, cat.name, R.kind)
            .order_by(func.count().desc(), cat.name)))).all()
        by_month = (await self.session.execute(scoped(
            select(month, func.count(distinct(R.customer_id)),
                   func.count().filter(R.kind == "repair"),
                   func.count().filter(R.kind == "return_visit"))
            .group_by(month).order_by(month)))).all()
        by_engineer = (await self.session.execute(scoped(
            select(R.engineer, month, func.count(distinct(R.customer_id)), func.count())
            .group_by(R.engineer, month).order_by(R.engineer, month)))).all()
        return {"by_category": by_category, "by_month": by_month,
                "by_engineer": by_engineer}
