"""Integration: the points side of the redemption saga on the real database (P-2) —
reserve or refuse, confirm, redeem on approval, release on cancellation, the timeout that
releases a reservation whose reply was lost, and concurrent redemptions that can never
overdraw (a database constraint, not only a check)."""

import asyncio
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from dinghuo_contracts import (
    OrderApproved,
    OrderCancelled,
    OrderLine,
    OrderPointsConfirmed,
)
from points_service.points.redemptions import RedemptionService
from servicekit.testing import helpers as h
from servicekit.timeutil import utcnow
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from .test_ledger import MODIFY, approved
from .test_points_api import deliver, submitted


async def give(points_app, cid, points):
    async with h.client(points_app, MODIFY) as c:
        r = await c.post(f"/api/console/points/customers/{cid}/adjustments",
                         json={"points": points, "reason": "开户赠送"})
    assert r.status_code == 201, r.text


def order(cid, amount="2000.00", points=0, product=None):
    ev = submitted(cid, amount)
    return ev.model_copy(update={"points_requested": points, "lines": [OrderLine(
        product_id=product or uuid.uuid4(), name="墨水", model="INK", quantity=1,
        unit_price=Decimal(amount), line_total=Decimal(amount))]})


def confirmed(ev):
    return OrderPointsConfirmed(customer_id=ev.customer_id, order_id=ev.order_id,
                                points=ev.points_requested)


def approval(ev, used):
    return OrderApproved(order_id=ev.order_id, number=ev.number, customer_id=ev.customer_id,
                         reviewed_by="admin", reviewed_at=utcnow(), points_used=used)


def cancellation(ev):
    return OrderCancelled(order_id=ev.order_id, number=ev.number, customer_id=ev.customer_id,
                          total=ev.total, cancelled_by="buyer", cancelled_by_kind="customer",
                          cancelled_at=utcnow())


async def summary(app, cid):
    async with h.client(app, h.customer(cid)) as c:
        return (await c.get("/api/portal/points")).json()


async def redemptions(app, cid):
    async with h.client(app, h.customer(cid)) as c:
        r = await c.get("/api/portal/points/redemptions")
    assert r.status_code == 200, r.text
    return r.json()


async def outbox(points_db, event_type, order_id=None):
    async with points_db.engine.connect() as c:
        rows = await c.execute(text(
            "SELECT envelope->'data' FROM outbox WHERE event_type = :t ORDER BY seq"),
            {"t": event_type})
        return [r[0] for r in rows
                if order_id is None or r[0].get("order_id") == str(order_id)]


class TestSaga:
    async def test_reserve_confirm_redeem_P2(self, points_app, points_db):
        cid = uuid.uuid4()
        await give(points_app, cid, 150)
        ev = order(cid, points=50)
        await deliver(points_db, ev)
        s = await summary(points_app, cid)
        assert (s["total"], s["reserved"], s["remaining"], s["redeemed"]) == (150, 50, 100, 0)
        assert [d["points"] for d in await outbox(points_db, "points.reserved", ev.order_id)] \
            == [50]
        # points paid with are not spending: floor((2000 − 50) / 20) = 97 pending
        assert s["pending"] == 97
        assert [(r["status"], r["points"]) for r in await redemptions(points_app, cid)] == \
            [("reserved", 50)]
        await deliver(points_db, confirmed(ev))
        await deliver(points_db, approval(ev, 50))
        s = await summary(points_app, cid)
        assert (s["reserved"], s["redeemed"], s["remaining"]) == (0, 50, 100)
        assert [d["points"] for d in await outbox(points_db, "points.redeemed", ev.order_id)] \
            == [50]
        assert [(r["status"], r["points"]) for r in await redemptions(points_app, cid)] == \
            [("redeemed", 50)]
        # the balance is announced for the order service's read model
        last = (await outbox(points_db, "points.balance_changed"))[-1]
        assert (last["customer_id"], last["remaining"], last["can_redeem"]) == \
            (str(cid), 100, True)

    async def test_cancelled_order_releases_its_points_P2(self, points_app, points_db):
        cid = uuid.uuid4()
        await give(points_app, cid, 120)
        ev = order(cid, points=100)
        await deliver(points_db, ev)
        await deliver(points_db, confirmed(ev))
        assert (await summary(points_app, cid))["remaining"] == 20
        await deliver(points_db, cancellation(ev))
        await deliver(points_db, cancellation(ev))  # a redelivery changes nothing
        s = await summary(points_app, cid)
        assert (s["reserved"], s["remaining"], s["pending"]) == (0, 120, 0)
        released = await outbox(points_db, "points.released", ev.order_id)
        assert [(d["points"], d["cause"]) for d in released] == [(100, "cancelled")]
        r = (await redemptions(points_app, cid))[0]
        assert (r["status"], r["reason"]) == ("released", "cancelled")

    async def test_cancelled_after_approval_gives_redeemed_points_back(self, points_app,
                                                                       points_db):
        cid = uuid.uuid4()
        await give(points_app, cid, 100)
        ev = order(cid, points=100)
        for e in (ev, confirmed(ev), approval(ev, 100)):
            await deliver(points_db, e)
        assert (await summary(points_app, cid))["redeemed"] == 100
        await deliver(points_db, cancellation(ev))
        s = await summary(points_app, cid)
        assert (s["redeemed"], s["remaining"]) == (0, 100)

    async def test_approved_without_counting_on_them_releases(self, points_app, points_db):
        cid = uuid.uuid4()
        await give(points_app, cid, 100)
        ev = order(cid, points=30)
        await deliver(points_db, ev)
        await deliver(points_db, approval(ev, 0))  # approved before the reply arrived
        assert (await summary(points_app, cid))["remaining"] == 100
        assert [d["cause"] for d in await outbox(points_db, "points.released", ev.order_id)] \
            == ["not_confirmed"]

    @pytest.mark.parametrize(("given", "requested", "amount", "reason"), [
        (40, 10, "2000.00", "threshold"),        # 40 effective points < 100
        (150, 151, "2000.00", "insufficient"),   # more than remaining
        (150, 121, "120.50", "redeemable"),      # the order's lines take at most 120
    ])
    async def test_refusals_name_the_reason_P2(self, points_app, points_db, given, requested,
                                               amount, reason):
        cid = uuid.uuid4()
        await give(points_app, cid, given)
        ev = order(cid, amount=amount, points=requested)
        await deliver(points_db, ev)
        refused = await outbox(points_db, "points.refused", ev.order_id)
        assert [(d["points"], d["reason"]) for d in refused] == [(requested, reason)]
        assert refused[0]["detail"]
        s = await summary(points_app, cid)
        assert (s["reserved"], s["remaining"]) == (0, given)
        r = (await redemptions(points_app, cid))[0]
        assert (r["status"], r["reason"]) == ("refused", reason)

    async def test_machines_cannot_be_paid_with_points_P2(self, points_app, points_db):
        cid, machine = uuid.uuid4(), uuid.uuid4()
        await deliver(points_db, approved(cid, [(machine, "喷绘机", "machine")]))
        await give(points_app, cid, 500)
        ev = order(cid, amount="30000.00", points=100, product=machine)
        await deliver(points_db, ev)
        assert [d["reason"] for d in await outbox(points_db, "points.refused", ev.order_id)] \
            == ["redeemable"]


class TestNeverOverdrawn:
    async def test_two_orders_redeeming_the_same_points_at_once_P2(self, points_app,
                                                                   points_db):
        cid = uuid.uuid4()
        await give(points_app, cid, 150)
        a, b = order(cid, points=100), order(cid, points=100)
        await asyncio.gather(deliver(points_db, a), deliver(points_db, b))
        reserved = [*await outbox(points_db, "points.reserved", a.order_id),
                    *await outbox(points_db, "points.reserved", b.order_id)]
        refused = [*await outbox(points_db, "points.refused", a.order_id),
                   *await outbox(points_db, "points.refused", b.order_id)]
        assert (len(reserved), len(refused)) == (1, 1)
        assert refused[0]["reason"] == "insufficient"
        s = await summary(points_app, cid)
        assert (s["reserved"], s["remaining"]) == (100, 50)

    async def test_the_database_refuses_an_overdraw(self, points_app, points_db):
        cid = uuid.uuid4()
        await give(points_app, cid, 100)
        with pytest.raises(IntegrityError, match="available_non_negative"):
            async with points_db.engine.begin() as c:
                await c.execute(text("UPDATE points_accounts SET available = available - 101 "
                                     "WHERE customer_id = :c"), {"c": cid})

    async def test_a_deduction_beyond_the_balance_is_refused(self, points_app, points_db):
        cid = uuid.uuid4()
        await give(points_app, cid, 100)
        ev = order(cid, points=80)
        await deliver(points_db, ev)
        async with h.client(points_app, MODIFY) as c:
            r = await c.post(f"/api/console/points/customers/{cid}/adjustments",
                             json={"points": -30, "reason": "纠错"})
        assert r.status_code == 422, r.text
        assert "20" in r.json()["detail"]


class TestTimeout:
    async def test_a_reservation_whose_reply_is_lost_is_released_P2(self, points_app,
                                                                      points_db):
        cid = uuid.uuid4()
        await give(points_app, cid, 200)
        lost, kept = order(cid, points=60), order(cid, points=40)
        await deliver(points_db, lost)
        await deliver(points_db, kept)
        await deliver(points_db, confirmed(kept))  # only this one's reply arrived
        async with points_db.sessionmaker() as session, session.begin():
            await RedemptionService(session, timeout_seconds=600).expire(utcnow())
        assert [d for d in await outbox(points_db, "points.released", lost.order_id)] == []
        later = utcnow() + timedelta(seconds=601)
        async with points_db.sessionmaker() as session, session.begin():
            released = await RedemptionService(session, timeout_seconds=600).expire(later)
        assert released >= 1  # other tests' unconfirmed reservations expire too
        s = await summary(points_app, cid)
        assert (s["reserved"], s["remaining"]) == (40, 160)
        assert [d["cause"] for d in await outbox(points_db, "points.released", lost.order_id)] \
            == ["timeout"]
        # the late confirmation changes nothing; the order learns from points.released
        await deliver(points_db, confirmed(lost))
        await deliver(points_db, approval(lost, 60))
        assert (await summary(points_app, cid))["redeemed"] == 0


class TestRepairCharges:
    """Points paying a repair charge (P-2, S-3): spent at once or refused; given back on
    staff's request; never more than the charge or the balance."""

    async def test_repair_points_redeemed_refused_and_released(self, points_app, points_db):
        from dinghuo_contracts import RepairPointsReleaseRequested, RepairPointsRequested

        cid = uuid.uuid4()
        await deliver(points_db, approved(cid, []))
        record = uuid.uuid4()

        def ask(points, charge="350.00", rid=None):
            return RepairPointsRequested(record_id=rid or record, customer_id=cid,
                                         points=points, charge=Decimal(charge),
                                         requested_by="clerk")
        # below the threshold: refused
        await deliver(points_db, ask(50))
        [refused] = await outbox(points_db, "points.repair_refused")
        assert (refused["reason"], refused["points"]) == ("threshold", 50)
        await give(points_app, cid, 150)
        # more than the charge: refused, however many points there are
        await deliver(points_db, ask(120, charge="100.50"))
        refusals = await outbox(points_db, "points.repair_refused")
        assert refusals[-1]["reason"] == "redeemable" and "100" in refusals[-1]["detail"]
        # now it fits: spent at once, the same record may ask again after a refusal
        await deliver(points_db, ask(80))
        [redeemed] = await outbox(points_db, "points.repair_redeemed")
        assert (redeemed["record_id"], redeemed["points"]) == (str(record), 80)
        s = await summary(points_app, cid)
        assert (s["remaining"], s["redeemed"], s["reserved"]) == (70, 80, 0)
        [row] = [r for r in await redemptions(points_app, cid) if r["subject"] == "repair"]
        assert (row["order_id"], row["status"], row["points"]) == (str(record), "redeemed", 80)
        # another repair asking for more than is left
        await deliver(points_db, ask(100, rid=uuid.uuid4()))
        assert (await outbox(points_db, "points.repair_refused"))[-1]["reason"] \
            == "insufficient"
        # given back
        await deliver(points_db, RepairPointsReleaseRequested(
            record_id=record, customer_id=cid, points=80, requested_by="clerk"))
        [released] = await outbox(points_db, "points.repair_released")
        assert released["points"] == 80
        s = await summary(points_app, cid)
        assert (s["remaining"], s["redeemed"]) == (150, 0)
        async with points_db.engine.connect() as c:
            available = (await c.execute(text(
                "SELECT available FROM points_accounts WHERE customer_id = :c"),
                {"c": cid})).scalar_one()
        assert available == 150


class TestBalanceBackfill:
    async def test_accounts_never_announced_are_announced_once(self, points_app, points_db):
        """Accounts older than the order service's read model of balances get their
        points.balance_changed from the backfill job, once (P-2)."""
        from points_service.config import Settings
        from points_service.points.tasks import BACKFILL_JOB, jobs

        cid = uuid.uuid4()
        await deliver(points_db, approved(cid, []))
        await give(points_app, cid, 130)
        async with points_db.engine.begin() as c:
            await c.execute(text("UPDATE points_accounts SET announced_at = NULL "
                                 "WHERE customer_id = :c"), {"c": cid})
        before = [e for e in await outbox(points_db, "points.balance_changed")
                  if e["customer_id"] == str(cid)]
        [job] = [j for j in jobs(Settings()) if j.name == BACKFILL_JOB]
        for _ in range(2):
            async with points_db.sessionmaker() as session, session.begin():
                await job.run(session, utcnow())
        after = [e for e in await outbox(points_db, "points.balance_changed")
                 if e["customer_id"] == str(cid)]
        assert len(after) == len(before) + 1
        assert (after[-1]["remaining"], after[-1]["can_redeem"]) == (130, True)


class TestBalanceAnnouncements:
    async def test_only_changes_of_redeemable_points_are_announced_P2(self, points_app,
                                                                      points_db):
        """points.balance_changed carries what the order service checks an order's points
        against (total, reserved, redeemed, remaining): a new order's pending points change
        none of it and announce nothing; its payment (pending → effective) and a
        reservation do (issue 16)."""
        from .test_points_api import paid

        cid = uuid.uuid4()

        async def announced():
            return [e for e in await outbox(points_db, "points.balance_changed")
                    if e["customer_id"] == str(cid)]

        ev = order(cid, "2000.00")
        await deliver(points_db, ev)
        assert (await summary(points_app, cid))["pending"] == 100
        assert await announced() == []
        await deliver(points_db, paid(ev))
        [after_payment] = await announced()
        assert (after_payment["total"], after_payment["remaining"],
                after_payment["can_redeem"]) == (100, 100, True)
        await deliver(points_db, order(cid, "1000.00", points=40))
        last = (await announced())[-1]
        assert len(await announced()) == 2
        assert (last["reserved"], last["remaining"]) == (40, 60)
