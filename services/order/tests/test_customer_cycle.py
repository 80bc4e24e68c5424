"""Integration: the customer read model keeps each customer's ordering cycle from
customer.cycle_changed (C-6), for reminders and anomaly analysis (A-3)."""

import uuid

from dinghuo_contracts import CustomerCycleChanged, CustomerRegistered
from order_service.messaging import registry
from servicekit.testing import helpers as h
from sqlalchemy import text


async def cycle_of(db, customer_id):
    async with db.engine.connect() as c:
        row = (await c.execute(text(
            "SELECT cycle_kind, cycle_days, cycle_weekday FROM customer_view "
            "WHERE customer_id = :id"), {"id": customer_id})).first()
    return None if row is None else tuple(row)


class TestCustomerCycleC6:
    async def test_cycle_follows_the_events(self, order_db):
        cid = uuid.uuid4()
        await h.deliver(order_db.sessionmaker, "order", registry, CustomerRegistered(
            customer_id=cid, customer_number="KH900001", company_name="周期公司",
            contact_person="王", mobile="13900001111", area="华东"))
        assert await cycle_of(order_db, cid) == (None, None, None)
        await h.deliver(order_db.sessionmaker, "order", registry, CustomerCycleChanged(
            customer_id=cid, kind="days", days=30, changed_by="staff"))
        assert await cycle_of(order_db, cid) == ("days", 30, None)
        env = await h.deliver(order_db.sessionmaker, "order", registry, CustomerCycleChanged(
            customer_id=cid, kind="weekday", weekday=1, changed_by="staff"))
        await h.deliver(order_db.sessionmaker, "order", registry, env)  # redelivery
        assert await cycle_of(order_db, cid) == ("weekday", None, 1)
        await h.deliver(order_db.sessionmaker, "order", registry, CustomerCycleChanged(
            customer_id=cid, kind=None, changed_by="staff"))
        assert await cycle_of(order_db, cid) == (None, None, None)

    async def test_unknown_customer_is_skipped_without_failing(self, order_db):
        cid = uuid.uuid4()
        await h.deliver(order_db.sessionmaker, "order", registry, CustomerCycleChanged(
            customer_id=cid, kind="days", days=7, changed_by="staff"))
        assert await cycle_of(order_db, cid) is None
