"""The read model of customers and their prices, fed by customer events."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable
from datetime import date, datetime
from decimal import Decimal

from servicekit.readmodel import kept_not_newer, upsert_newer_wins
from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import CatalogItemView, CustomerView
from ..orders.domain import CatalogPrice

# Built once (issue 16: every order): the customer locked, and its prices as plain rows
# (no ORM objects to build for a catalogue that is only read).
_LOCK = (select(CustomerView).where(CustomerView.customer_id == bindparam("p_customer_id"))
         .with_for_update().execution_options(populate_existing=True))
_CATALOG = select(CatalogItemView.product_id, CatalogItemView.name, CatalogItemView.model,
                  CatalogItemView.unit_price, CatalogItemView.list_price,
                  CatalogItemView.active, CatalogItemView.category).where(
    CatalogItemView.customer_id == bindparam("p_customer_id"))


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

    async def upsert(self, customer_id: uuid.UUID, *, as_of: datetime, name: str,
                     status: str | None, number: str | None = None, area: str | None = None,
                     grade: str | None = None) -> None:
        """What a customer event that happened at `as_of` says of the customer; None: not
        carried (kept; a new row without a status waits for review). An event older
        than the one last applied (arriving late) changes nothing known (X-2)."""
        await self.session.execute(upsert_newer_wins(
            CustomerView, key={"customer_id": customer_id}, as_of_column="profile_as_of",
            as_of=as_of, defaults={"status": "pending_review"},
            carried={"name": name, "status": status, "customer_number": number,
                     "area": area, "grade": grade}))

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
                   kept_not_newer(CustomerView.payment_terms_as_of, as_of))
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
                   kept_not_newer(CustomerView.credit_limit_as_of, as_of))
            .values(credit_limit=limit, credit_limit_as_of=as_of)
            .execution_options(synchronize_session=False))
        return await self.exists(customer_id)

    async def set_grade(self, customer_id: uuid.UUID, grade: str, as_of: datetime, *,
                        name: str, number: str, area: str | None = None) -> bool:
        """The customer's grade (C-4) for the order query and dashboards (A-1, X-4) and
        what else customer.grade_changed at `as_of` says of it; an older event arriving
        late changes nothing. False when the customer is not known (no row is made: the
        event does not say whether it may order)."""
        values = {"grade": grade, "name": name, "customer_number": number,
                  "profile_as_of": as_of} | ({"area": area} if area is not None else {})
        await self.session.execute(
            update(CustomerView)
            .where(CustomerView.customer_id == customer_id,
                   kept_not_newer(CustomerView.profile_as_of, as_of))
            .values(**values).execution_options(synchronize_session=False))
        return await self.exists(customer_id)

    async def set_machines(self, customer_id: uuid.UUID, machines: int,
                           as_of: datetime) -> bool:
        """The customer's installed machines (S-2) as the service desk counted them at
        `as_of`; an older count arriving late changes nothing. False when the customer
        is not known."""
        await self.session.execute(
            update(CustomerView)
            .where(CustomerView.customer_id == customer_id,
                   kept_not_newer(CustomerView.machines_as_of, as_of))
            .values(machine_count=machines, machines_as_of=as_of)
            .execution_options(synchronize_session=False))
        return await self.exists(customer_id)

    async def lock(self, customer_id: uuid.UUID) -> CustomerView | None:
        """The customer's row, locked until the transaction ends and read afresh: orders
        of one customer are judged against its credit limit one at a time (B-3)."""
        return (await self.session.scalars(_LOCK, {"p_customer_id": customer_id})).first()

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

    async def replace_catalog(self, customer_id: uuid.UUID, items: Iterable[CatalogPrice],
                              as_of: datetime) -> None:
        """The customer's catalog as its approval at `as_of` gives it: a price set later
        (a price change that overtook a late approval) stays, and so does a product
        added later."""
        items = list(items)
        await self.session.execute(
            delete(CatalogItemView).where(
                CatalogItemView.customer_id == customer_id,
                CatalogItemView.product_id.not_in([it.product_id for it in items]),
                kept_not_newer(CatalogItemView.as_of, as_of)))
        for it in items:
            await self.upsert_item(customer_id, it, as_of)

    async def upsert_item(self, customer_id: uuid.UUID, it: CatalogPrice,
                          as_of: datetime) -> None:
        """One price as set at `as_of`; an older one arriving late changes nothing (X-2)."""
        await self.session.execute(upsert_newer_wins(
            CatalogItemView, key={"customer_id": customer_id, "product_id": it.product_id},
            as_of_column="as_of", as_of=as_of, nullable=("list_price", "category"),
            carried={"name": it.name, "model": it.model, "unit_price": it.unit_price,
                     "list_price": it.list_price, "active": it.active,
                     "category": it.category}))

    async def catalog(self, customer_id: uuid.UUID) -> dict[uuid.UUID, CatalogPrice]:
        rows = await self.session.execute(_CATALOG, {"p_customer_id": customer_id})
        return {r.product_id: CatalogPrice(*r) for r in rows}
