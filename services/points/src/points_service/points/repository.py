"""All SQL of the points service."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import (
    CustomerView,
    EventMonth,
    PointsDescription,
    PointsEntry,
    PointsMovement,
    ProductCategory,
    RuleVersion,
)
from . import domain


class PointsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # ------------------------------------------------------------ order entries
    async def get_by_order(self, order_id: uuid.UUID, *,
                           for_update: bool = False) -> PointsEntry | None:
        stmt = select(PointsEntry).where(PointsEntry.order_id == order_id)
        if for_update:
            stmt = stmt.with_for_update()
        return (await self.session.scalars(stmt)).first()

    async def create_if_absent(self, *, customer_id: uuid.UUID, order_id: uuid.UUID,
                               order_number: str | None, order_total: Decimal | None,
                               earning_amount: Decimal | None, points: int, status: str,
                               rule_version: int, placed_on: date | None,
                               effective_at: datetime | None = None,
                               cancelled_at: datetime | None = None) -> bool:
        """Insert the order's entry unless it has one; True when inserted."""
        stmt = (insert(PointsEntry).values(
            id=uuid.uuid4(), customer_id=customer_id, order_id=order_id,
            order_number=order_number, order_total=order_total,
            earning_amount=earning_amount, returned_amount=Decimal("0"), points=points,
            status=status, rule_version=rule_version, placed_on=placed_on,
            effective_at=effective_at, cancelled_at=cancelled_at)
            .on_conflict_do_nothing(index_elements=["order_id"])
            .returning(PointsEntry.id))
        return (await self.session.execute(stmt)).first() is not None

    # ------------------------------------------------------------ ledger
    def add_movement(self, movement: PointsMovement) -> None:
        self.session.add(movement)

    async def sums(self, customer_id: uuid.UUID) -> dict[str, int]:
        row = (await self.session.execute(select(
            func.coalesce(func.sum(PointsMovement.pending_delta), 0),
            func.coalesce(func.sum(PointsMovement.effective_delta), 0),
            func.coalesce(func.sum(PointsMovement.reserved_delta), 0),
            func.coalesce(func.sum(PointsMovement.redeemed_delta), 0),
        ).where(PointsMovement.customer_id == customer_id))).one()
        return {"pending": int(row[0]), "effective": int(row[1]), "reserved": int(row[2]),
                "redeemed": int(row[3])}

    async def movements(self, customer_id: uuid.UUID, *, limit: int = 50,
                        offset: int = 0) -> tuple[list[PointsMovement], int]:
        """The customer's movements, newest first."""
        stmt = select(PointsMovement).where(PointsMovement.customer_id == customer_id)
        total = (await self.session.execute(
            select(func.count()).select_from(stmt.subquery()))).scalar_one()
        rows = (await self.session.scalars(
            stmt.order_by(PointsMovement.created_at.desc(), PointsMovement.id.desc())
            .limit(limit).offset(offset))).all()
        return list(rows), total

    # ------------------------------------------------------------ programme
    async def rules(self) -> list[RuleVersion]:
        return list((await self.session.scalars(
            select(RuleVersion).order_by(RuleVersion.version))).all())

    async def lock_rules(self) -> list[RuleVersion]:
        """Rules for a new version; announcing ones wait for each other."""
        return list((await self.session.scalars(
            select(RuleVersion).order_by(RuleVersion.version).with_for_update())).all())

    def add(self, row: object) -> None:
        self.session.add(row)

    async def event_months(self) -> list[EventMonth]:
        return list((await self.session.scalars(
            select(EventMonth).order_by(EventMonth.month))).all())

    async def description(self) -> PointsDescription | None:
        return await self.session.get(PointsDescription, 1)

    async def set_description(self, content: str, by: str, at: datetime) -> None:
        stmt = insert(PointsDescription).values(id=1, content=content, updated_by=by,
                                                updated_at=at)
        await self.session.execute(stmt.on_conflict_do_update(
            index_elements=["id"], set_={"content": content, "updated_by": by,
                                         "updated_at": at}))

    # ------------------------------------------------------------ read models
    async def upsert_customer(self, *, customer_id: uuid.UUID, customer_number: str | None,
                              company_name: str, area: str | None) -> None:
        values = {"company_name": company_name, "area": area}
        if customer_number is not None:
            values["customer_number"] = customer_number
        stmt = insert(CustomerView).values(customer_id=customer_id,
                                           customer_number=customer_number,
                                           company_name=company_name, area=area)
        await self.session.execute(stmt.on_conflict_do_update(
            index_elements=["customer_id"], set_=values))

    async def customer(self, customer_id: uuid.UUID) -> CustomerView | None:
        return await self.session.get(CustomerView, customer_id)

    async def customers(self, *, areas: frozenset[str], q: str | None, limit: int,
                        offset: int) -> tuple[list[CustomerView], int]:
        stmt = select(CustomerView)
        if areas:
            stmt = stmt.where(CustomerView.area.in_(areas))
        if q:
            like = f"%{q}%"
            stmt = stmt.where(or_(CustomerView.company_name.ilike(like),
                                  CustomerView.customer_number.ilike(like)))
        total = (await self.session.execute(
            select(func.count()).select_from(stmt.subquery()))).scalar_one()
        rows = (await self.session.scalars(
            stmt.order_by(CustomerView.customer_number, CustomerView.company_name)
            .limit(limit).offset(offset))).all()
        return list(rows), total

    async def set_categories(self, categories: Iterable[tuple[uuid.UUID, str]]) -> None:
        for product_id, category in categories:
            stmt = insert(ProductCategory).values(product_id=product_id, category=category)
            await self.session.execute(stmt.on_conflict_do_update(
                index_elements=["product_id"], set_={"category": category}))

    async def categories(self, product_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
        ids = list(set(product_ids))
        if not ids:
            return {}
        rows = await self.session.execute(select(
            ProductCategory.product_id, ProductCategory.category)
            .where(ProductCategory.product_id.in_(ids)))
        return {pid: cat for pid, cat in rows}

    async def event_month_names(self) -> list[str]:
        return [m.month for m in await self.event_months()]

    async def rule_list(self) -> list[domain.Rule]:
        return [domain.Rule(r.version, r.yuan_per_point, r.redeem_threshold, r.effective_from)
                for r in await self.rules()]
