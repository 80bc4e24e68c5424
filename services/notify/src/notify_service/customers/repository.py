"""The customer read model (names, reach, grade, overdue orders, ordering cycle due), fed
by customer and order events."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from servicekit.readmodel import upsert_newer_wins
from servicekit.upsert import insert
from sqlalchemy import bindparam, delete, update
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import CustomerView, OverdueOrder

# Every order clears the customer's ordering-cycle reminder; built once (issue 16).
_CLEAR_CYCLE_DUE = (update(CustomerView)
                    .where(CustomerView.customer_id == bindparam("p_customer_id"),
                           CustomerView.cycle_due_on.is_not(None))
                    .values(cycle_due_on=None))


class CustomerViewRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, customer_id: uuid.UUID) -> CustomerView | None:
        return await self.session.get(CustomerView, customer_id)

    async def upsert(self, customer_id: uuid.UUID, *, as_of: datetime, name: str,
                     number: str | None = None, area: str | None = None,
                     status: str | None = None, grade: str | None = None,
                     mobile: str | None = None) -> bool:
        """What a customer event that happened at `as_of` says; a None value leaves what
        is known (events before a field existed carry None). An event older than the one
        last applied (arriving late) only fills what is not known yet (X-2). True when
        the event is the newest applied."""
        kept_as_of = (await self.session.execute(upsert_newer_wins(
            CustomerView, key={"customer_id": customer_id}, as_of_column="profile_as_of",
            as_of=as_of, carried={"name": name, "customer_number": number, "area": area,
                                  "status": status, "grade": grade, "mobile": mobile})
            .returning(CustomerView.profile_as_of))).scalar_one()
        return bool(kept_as_of == as_of)

    async def name_of(self, customer_id: uuid.UUID) -> str | None:
        row = await self.get(customer_id)
        return row.name if row else None

    async def set_cycle_due(self, customer_id: uuid.UUID, due: date | None, *,
                            name: str = "") -> None:
        if due is None:
            # Every order clears it: only a row that has one is written (no new row
            # version, WAL and dead tuple per order for nothing, issue 16).
            await self.session.execute(_CLEAR_CYCLE_DUE, {"p_customer_id": customer_id})
            return
        await self.session.execute(
            insert(CustomerView).values(customer_id=customer_id, name=name, cycle_due_on=due)
            .on_conflict_do_update(index_elements=["customer_id"],
                                   set_={"cycle_due_on": due}))

    async def set_channels(self, customer_id: uuid.UUID, *, sms: bool, wechat: bool,
                           wechat_openid: str | None) -> None:
        await self.session.execute(
            update(CustomerView).where(CustomerView.customer_id == customer_id)
            .values(sms_enabled=sms, wechat_enabled=wechat, wechat_openid=wechat_openid))

    async def mark_overdue(self, order_id: uuid.UUID, customer_id: uuid.UUID, number: str,
                           due: date) -> None:
        await self.session.execute(
            insert(OverdueOrder).values(order_id=order_id, customer_id=customer_id,
                                        number=number, due_date=due)
            .on_conflict_do_nothing(index_elements=["order_id"]))

    async def settled(self, order_id: uuid.UUID) -> None:
        await self.session.execute(delete(OverdueOrder).where(OverdueOrder.order_id == order_id))
