"""Integration: points follow the order lifecycle — a cancelled order earns nothing like a
rejected one (O-5, P-2), and a modified unreviewed order's pending points follow its new
total (O-4, P-2)."""

import uuid
from decimal import Decimal

import pytest
from dinghuo_contracts import OrderCancelled, OrderModified
from points_service.points import domain
from servicekit.testing import helpers as h
from servicekit.timeutil import utcnow

from .test_points_api import deliver, paid, submitted


def cancelled(ev, by="customer") -> OrderCancelled:
    return OrderCancelled(order_id=ev.order_id, number=ev.number, customer_id=ev.customer_id,
                          total=ev.total, reason="下错了", cancelled_by="buyer",
                          cancelled_by_kind=by, cancelled_at=utcnow())


def modified(ev, total: str) -> OrderModified:
    return OrderModified(order_id=ev.order_id, number=ev.number, customer_id=ev.customer_id,
                         customer_name="上海印美", source=ev.source, total=Decimal(total),
                         previous_total=ev.total, bill_type="none",
                         delivery_date=ev.delivery_date, modified_by="buyer",
                         modified_at=utcnow())


async def balance(points_app, customer_id):
    async with h.client(points_app, h.customer(customer_id)) as c:
        return (await c.get("/api/portal/points")).json()


class TestCancelled:
    async def test_cancelled_order_loses_its_pending_points_P2(self, points_app, points_db):
        cid = uuid.uuid4()
        ev = submitted(cid, "801.50")
        await deliver(points_db, ev)
        assert (await balance(points_app, cid))["pending"] == 40
        await deliver(points_db, cancelled(ev, by="staff"))
        assert (await balance(points_app, cid))["pending"] == 0

    async def test_cancellation_before_submission_arrives_earns_nothing(
            self, points_app, points_db):
        cid = uuid.uuid4()
        ev = submitted(cid, "801.50")
        await deliver(points_db, cancelled(ev))
        await deliver(points_db, ev)
        assert (await balance(points_app, cid))["pending"] == 0


class TestModified:
    async def test_pending_points_follow_the_new_total_O4(self, points_app, points_db):
        cid = uuid.uuid4()
        ev = submitted(cid, "801.50")
        await deliver(points_db, ev)
        await deliver(points_db, modified(ev, "1213.10"))
        assert (await balance(points_app, cid))["pending"] == 60
        await deliver(points_db, paid(ev.model_copy(update={"total": Decimal("1213.10")})))
        assert (await balance(points_app, cid))["total"] == 60

    async def test_staff_entered_orders_still_earn_nothing(self, points_app, points_db):
        cid = uuid.uuid4()
        ev = submitted(cid, "801.50", source="staff")
        await deliver(points_db, ev)
        await deliver(points_db, modified(ev, "2000"))
        assert (await balance(points_app, cid))["pending"] == 0

    async def test_modification_overtaking_the_submission_keeps_the_newer_total(
            self, points_app, points_db):
        cid = uuid.uuid4()
        ev = submitted(cid, "801.50")
        await deliver(points_db, modified(ev, "100.00"))
        await deliver(points_db, ev)
        assert (await balance(points_app, cid))["pending"] == 5


class TestReviseRule:
    def test_only_pending_points_follow_the_order(self):
        assert domain.revise(domain.EntryStatus.PENDING) is domain.EntryStatus.PENDING
        for status in (domain.EntryStatus.EFFECTIVE, domain.EntryStatus.CANCELLED):
            with pytest.raises(domain.IllegalTransition):
                domain.revise(status)
