"""All SQL of customers and their paid consumption."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import date
from decimal import Decimal

from servicekit.search import contains
from servicekit.upsert import insert
from sqlalchemy import bindparam, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import CUSTOMER_NUMBER_SEQ, Customer, PaidOrder

# An order's business date moves the customer's last order date forward, in one statement
# built once (issue 16: one order.submitted per order): the UPDATE writes only a later
# date (PostgreSQL re-checks the condition on a row another transaction changed), the
# SELECT tells whether the customer is known at all.
_ORDERED = update(Customer).where(
    Customer.id == bindparam("p_id"),
    or_(Customer.last_order_date.is_(None),
        Customer.last_order_date < bindparam("p_day", type_=Customer.last_order_date.type)),
).values(last_order_date=bindparam("p_day")).cte("ordered")
_RECORD_ORDER = select(exists().where(Customer.id == bindparam("p_id"))).add_cte(_ORDERED)

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

    async def record_order_day(self, customer_id: uuid.UUID, day: date) -> bool:
        """The customer's last order date becomes `day` if that is later (events may
        arrive out of order); False when there is no such customer."""
        return bool((await self.session.execute(
            _RECORD_ORDER, {"p_id": customer_id, "p_day": day})).scalar_one())

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
