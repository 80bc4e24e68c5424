"""All SQL of customers and their paid consumption."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import date
from decimal import Decimal

from servicekit.search import contains
from servicekit.upsert import insert
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import CUSTOMER_NUMBER_SEQ, Customer, PaidOrder

SORT_COLUMNS = {"created_at": Customer.created_at, "name": Customer.name,
                "paid_total": Customer.paid_total}


class CustomerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def next_number(self) -> int:
        return (await self.session.execute(select(CUSTOMER_NUMBER_SEQ.next_value()))).scalar_one()

    async def exists(self, customer_id: uuid.UUID) -> bool:
        stmt = select(Customer.id).where(Customer.id == customer_id)
        return (await self.session.execute(stmt)).first() is not None

    def add(self, customer: Customer) -> None:
        self.session.add(customer)

    async def get(self, customer_id: uuid.UUID, *, for_update: bool = False) -> Customer | None:
        stmt = select(Customer).where(Customer.id == customer_id)
        if for_update:
            stmt = stmt.with_for_update()
        return (await self.session.scalars(stmt)).first()

    async def list(self, *, status: str | None = None, area: str | None = None,
                   grade: str | None = None, q: str | None = None,
                   areas: Collection[str] = (), sort: str = "-created_at",
                   limit: int = 50, offset: int = 0) -> tuple[list[Customer], int]:
        """`areas` non-empty limits the result to those areas (the staff's, C-7); `sort`
        is a column name, `-` first for descending."""
        stmt = select(Customer)
        if status is not None:
            stmt = stmt.where(Customer.status == status)
        if area:
            # What a person types: "深圳" finds "广东省/深圳市", "广东" the whole province.
            stmt = stmt.where(contains(area, Customer.area))
        if grade is not None:
            stmt = stmt.where(Customer.grade == grade)
        if areas:
            stmt = stmt.where(Customer.area.in_(sorted(areas)))
        if q:
            stmt = stmt.where(contains(q, Customer.name, Customer.number,
                                       Customer.contact_person, Customer.mobile))
        total = (await self.session.execute(
            select(func.count()).select_from(stmt.subquery()))).scalar_one()
        column = SORT_COLUMNS[sort.removeprefix("-")]
        rows = (await self.session.scalars(
            stmt.order_by(column.desc() if sort.startswith("-") else column.asc(),
                          Customer.number.desc())
            .limit(limit).offset(offset))).all()
        return list(rows), total

    async def record_paid_order(self, *, order_id: uuid.UUID, customer_id: uuid.UUID,
                                number: str, amount: Decimal, paid_on: date) -> bool:
        """Remember a paid order; False when it was already counted."""
        stmt = (insert(PaidOrder)
                .values(order_id=order_id, customer_id=customer_id, number=number,
                        amount=amount, paid_on=paid_on)
                .on_conflict_do_nothing(index_elements=["order_id"])
                .returning(PaidOrder.order_id))
        return (await self.session.execute(stmt)).first() is not None
