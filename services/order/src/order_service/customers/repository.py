"""The read model of customers and their prices, fed by customer events."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import CatalogItemView, CustomerView
from ..orders.domain import CatalogPrice


class CustomerViewRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, customer_id: uuid.UUID) -> CustomerView | None:
        return await self.session.get(CustomerView, customer_id)

    async def fresh(self, customer_id: uuid.UUID) -> CustomerView | None:
        """Read again from the database (what other transactions committed since)."""
        return (await self.session.scalars(
            select(CustomerView).where(CustomerView.customer_id == customer_id)
            .execution_options(populate_existing=True))).first()

    async def upsert(self, customer_id: uuid.UUID, *, name: str, status: str,
                     number: str | None = None, area: str | None = None) -> None:
        values = {"customer_id": customer_id, "name": name, "status": status,
                  "customer_number": number, "area": area}
        update = {k: v for k, v in values.items() if k != "customer_id" and v is not None}
        await self.session.execute(
            insert(CustomerView).values(**values)
            .on_conflict_do_update(index_elements=["customer_id"], set_=update))

    async def set_cycle(self, customer_id: uuid.UUID, *, kind: str | None, days: int | None,
                        weekday: int | None, since: date | None = None) -> bool:
        """The customer's ordering cycle (C-6) and the business date it was set (`since`:
        a customer that never ordered is measured from it, A-3); False when the customer
        is not known (its registration always comes first from the same outbox)."""
        result = await self.session.execute(
            update(CustomerView).where(CustomerView.customer_id == customer_id)
            .values(cycle_kind=kind, cycle_days=days, cycle_weekday=weekday,
                    cycle_since=since if kind is not None else None)
            .execution_options(synchronize_session=False))
        return bool(result.rowcount)

    async def set_payment_terms(self, customer_id: uuid.UUID, days: int,
                                as_of: datetime) -> bool:
        """The customer's payment terms in days (O-6) as the customer service set them at
        `as_of`; terms set earlier than those already kept (an event arriving late)
        change nothing. False when the customer is not known."""
        await self.session.execute(
            update(CustomerView)
            .where(CustomerView.customer_id == customer_id,
                   or_(CustomerView.payment_terms_as_of.is_(None),
                       CustomerView.payment_terms_as_of <= as_of))
            .values(payment_terms_days=days, payment_terms_as_of=as_of)
            .execution_options(synchronize_session=False))
        return await self.exists(customer_id)

    async def set_credit_limit(self, customer_id: uuid.UUID, limit: Decimal | None,
                               as_of: datetime) -> bool:
        """The customer's credit limit (B-3; None = no limit) as the customer service set
        it at `as_of`; a limit set earlier than the one kept (an event arriving late)
        changes nothing. False when the customer is not known."""
        await self.session.execute(
            update(CustomerView)
            .where(CustomerView.customer_id == customer_id,
                   or_(CustomerView.credit_limit_as_of.is_(None),
                       CustomerView.credit_limit_as_of <= as_of))
            .values(credit_limit=limit, credit_limit_as_of=as_of)
            .execution_options(synchronize_session=False))
        return await self.exists(customer_id)

    async def set_grade(self, customer_id: uuid.UUID, grade: str) -> bool:
        """The customer's grade (C-4) for the order query and dashboards (A-1, X-4).
        False when the customer is not known."""
        await self.session.execute(
            update(CustomerView).where(CustomerView.customer_id == customer_id)
            .values(grade=grade).execution_options(synchronize_session=False))
        return await self.exists(customer_id)

    async def set_machines(self, customer_id: uuid.UUID, machines: int,
                           as_of: datetime) -> bool:
        """The customer's installed machines (S-2) as the service desk counted them at
        `as_of`; an older count arriving late changes nothing. False when the customer
        is not known."""
        await self.session.execute(
            update(CustomerView)
            .where(CustomerView.customer_id == customer_id,
                   or_(CustomerView.machines_as_of.is_(None),
                       CustomerView.machines_as_of <= as_of))
            .values(machine_count=machines, machines_as_of=as_of)
            .execution_options(synchronize_session=False))
        return await self.exists(customer_id)

    async def lock(self, customer_id: uuid.UUID) -> CustomerView | None:
        """The customer's row, locked until the transaction ends and read afresh: orders
        of one customer are judged against its credit limit one at a time (B-3)."""
        return (await self.session.scalars(
            select(CustomerView).where(CustomerView.customer_id == customer_id)
            .with_for_update().execution_options(populate_existing=True))).first()

    async def exists(self, customer_id: uuid.UUID) -> bool:
        stmt = select(CustomerView.customer_id).where(CustomerView.customer_id == customer_id)
        return (await self.session.execute(stmt)).first() is not None

    async def payment_terms(self, customer_ids: Collection[uuid.UUID]
                            ) -> dict[uuid.UUID, int | None]:
        """The known payment terms of these customers (None: not known yet)."""
        rows = await self.session.execute(
            select(CustomerView.customer_id, CustomerView.payment_terms_days)
            .where(CustomerView.customer_id.in_(list(customer_ids))))
        return {cid: days for cid, days in rows.all()}

    async def replace_catalog(self, customer_id: uuid.UUID, items: Iterable[CatalogPrice]) -> None:
        await self.session.execute(
            delete(CatalogItemView).where(CatalogItemView.customer_id == customer_id))
        for it in items:
            await self.upsert_item(customer_id, it)

    async def upsert_item(self, customer_id: uuid.UUID, it: CatalogPrice) -> None:
        values = {"customer_id": customer_id, "product_id": it.product_id, "name": it.name,
                  "model": it.model, "unit_price": it.unit_price, "list_price": it.list_price,
                  "active": it.active, "category": it.category}
        await self.session.execute(
            insert(CatalogItemView).values(**values).on_conflict_do_update(
                index_elements=["customer_id", "product_id"],
                set_={k: v for k, v in values.items()
                      if k not in ("customer_id", "product_id")}))

    async def catalog(self, customer_id: uuid.UUID) -> dict[uuid.UUID, CatalogPrice]:
        rows = (await self.session.scalars(
            select(CatalogItemView).where(CatalogItemView.customer_id == customer_id))).all()
        return {r.product_id: CatalogPrice(r.product_id, r.name, r.model, r.unit_price,
                                           r.list_price, r.active, r.category) for r in rows}
