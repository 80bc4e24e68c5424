"""Integration: the order's side of points redemption (P-2) on the real database — the
422s that place nothing, the hold on the balance read model, and the points service's
answers (reserved, refused, redeemed, released) moving `points_status`, `points_used`
and `payable`; the approval counting on the reserved points only; the reply timeout."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from dinghuo_contracts import (
    CatalogLine,
    CustomerApproved,
    PointsBalanceChanged,
    PointsRedeemed,
    PointsRefused,
    PointsReleased,
    PointsReserved,
)
from order_service.messaging import registry
from order_service.redemption.service import RedemptionService
from servicekit.testing import helpers as h
from servicekit.timeutil import business_date, utcnow
from sqlalchemy import text

from .test_credit_limits_api import outbox, review

DELIVERY = (business_date() + timedelta(days=3)).isoformat()


async def deliver(order_db, event):
    await h.deliver(order_db.sessionmaker, "order", registry, event, source="points")


async def customer(order_db, *, remaining=150, total=150, can_redeem=True):
    """An approved customer with ink (consumable, 100.00) and a printer (machine,
    30000.00), whose points were announced."""
    cid, ink, printer = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await deliver(order_db, CustomerApproved(
        customer_id=cid, customer_number=f"C{cid.hex[:6]}", company_name="上海印美",
        area="华东", approved_by="admin", payment_terms_days=30, catalog=[
            CatalogLine(product_id=ink, name="墨水", model="INK-1L",
                        unit_price=Decimal("100.00"), category="consumable"),
            CatalogLine(product_id=printer, name="喷绘机", model="P-1",
                        unit_price=Decimal("30000.00"), category="machine")]))
    if remaining is not None:
        await balance(order_db, cid, remaining=remaining, total=total, can_redeem=can_redeem)
    return cid, ink, printer


async def balance(order_db, cid, *, remaining, total, can_redeem=True, as_of=None):
    await deliver(order_db, PointsBalanceChanged(
        customer_id=cid, pending=0, total=total, redeemed=0, reserved=0,
        remaining=remaining, threshold=100, can_redeem=can_redeem,
        as_of=as_of or utcnow()))


async def place(app, cid, lines, points):
    async with h.client(app, h.customer(cid)) as c:
        return await c.post("/api/portal/orders", json={
            "delivery_date": DELIVERY, "bill_type": "none", "points_to_use": points,
            "lines": [{"product_id": str(p), "quantity": q} for p, q in lines]})


async def mine(app, cid, oid):
    async with h.client(app, h.customer(cid)) as c:
        return (await c.get(f"/api/portal/orders/{oid}")).json()


async def count_orders(order_db, cid):
    async with order_db.engine.connect() as c:
        return (await c.execute(text("SELECT count(*) FROM orders WHERE customer_id = :c"),
                                {"c": cid})).scalar_one()


def reserved(o, points):
    return PointsReserved(customer_id=uuid.UUID(o["customer_id"]), order_id=uuid.UUID(o["id"]),
                          order_number=o["number"], points=points, reserved_at=utcnow())


class TestPlacing:
    async def test_points_requested_travel_with_the_submission_P2(self, order_app, order_db):
        cid, ink, printer = await customer(order_db)
        r = await place(order_app, cid, [(ink, 20), (printer, 1)], 50)
        assert r.status_code == 201, r.text
        o = r.json()
        assert (o["points_requested"], o["points_used"], o["points_status"]) == \
            (50, 0, "requested")
        # nothing counts until the points service answers
        assert (o["total"], o["payable"], o["outstanding"]) == \
            ("32000.00", "32000.00", "32000.00")
        [sub] = await outbox(order_db, uuid.UUID(o["id"]), "order.submitted")
        assert sub["points_requested"] == 50

    @pytest.mark.parametrize(("setup", "lines", "points", "words"), [
        ({"remaining": None}, "ink", 10, "100 points have taken effect"),
        ({"remaining": 60, "total": 60, "can_redeem": False}, "ink", 10, "you have 60"),
        ({}, "printer", 10, "at most 0 points"),
        ({}, "ink", 201, "at most 200 points"),
        ({}, "ink", 151, "150 points left"),
    ])
    async def test_points_it_cannot_use_place_nothing_P2(self, order_app, order_db, setup,
                                                         lines, points, words):
        cid, ink, printer = await customer(order_db, **setup)
        product = {"ink": ink, "printer": printer}[lines]
        r = await place(order_app, cid, [(product, 2)], points)
        assert r.status_code == 422, r.text
        assert r.json()["error"] == "PointsNotUsable"
        assert words in r.json()["detail"]
        assert await count_orders(order_db, cid) == 0

    async def test_negative_points_are_refused(self, order_app, order_db):
        cid, ink, _ = await customer(order_db)
        r = await place(order_app, cid, [(ink, 1)], -5)
        assert r.status_code == 422 and "points_to_use" in r.text
        assert await count_orders(order_db, cid) == 0

    async def test_a_second_order_cannot_count_on_the_same_points_P2(self, order_app,
                                                                     order_db):
        cid, ink, _ = await customer(order_db, remaining=150)
        assert (await place(order_app, cid, [(ink, 2)], 100)).status_code == 201
        r = await place(order_app, cid, [(ink, 2)], 100)
        assert r.status_code == 422 and "50 points left" in r.json()["detail"]
        # an older announcement does not undo the hold; a newer one replaces it
        await balance(order_db, cid, remaining=150, total=150,
                      as_of=utcnow() - timedelta(hours=1))
        assert (await place(order_app, cid, [(ink, 2)], 100)).status_code == 422


class TestAnswers:
    async def test_reserved_then_approved_then_redeemed_P2(self, order_app, order_db):
        cid, ink, _ = await customer(order_db)
        o = (await place(order_app, cid, [(ink, 20)], 50)).json()
        await deliver(order_db, reserved(o, 50))
        await deliver(order_db, reserved(o, 50))  # a redelivery changes nothing
        got = await mine(order_app, cid, o["id"])
        assert (got["points_status"], got["points_used"], got["payable"],
                got["outstanding"]) == ("reserved", 50, "1950.00", "1950.00")
        assert len(await outbox(order_db, uuid.UUID(o["id"]), "order.points_confirmed")) == 1
        assert (await review(order_app, o["id"])).status_code == 200
        [approved] = await outbox(order_db, uuid.UUID(o["id"]), "order.approved")
        assert approved["points_used"] == 50
        await deliver(order_db, PointsRedeemed(
            customer_id=cid, order_id=uuid.UUID(o["id"]), order_number=o["number"], points=50,
            redeemed_at=utcnow()))
        got = await mine(order_app, cid, o["id"])
        assert (got["points_status"], got["payable"]) == ("redeemed", "1950.00")
        # paying the payable in full pays the order (O-6)
        async with h.client(order_app, h.staff(username="finance")) as s:
            r = await s.post(f"/api/console/orders/{o['id']}/payments", json={
                "amount": "1950.00", "paid_on": business_date().isoformat(),
                "method": "bank_transfer"})
            assert r.status_code == 201, r.text
            assert r.json()["payment_status"] == "paid"
            r = await s.post(f"/api/console/orders/{o['id']}/payments", json={
                "amount": "0.01", "paid_on": business_date().isoformat(),
                "method": "cash"})
            assert r.status_code == 409, r.text
        assert len(await outbox(order_db, uuid.UUID(o["id"]), "order.payment_received")) == 1

    async def test_refused_is_payable_in_full_P2(self, order_app, order_db):
        cid, ink, _ = await customer(order_db)
        o = (await place(order_app, cid, [(ink, 20)], 50)).json()
        await deliver(order_db, PointsRefused(
            customer_id=cid, order_id=uuid.UUID(o["id"]), order_number=o["number"], points=50,
            reason="insufficient", detail="You have 10 points left, not 50"))
        got = await mine(order_app, cid, o["id"])
        assert (got["points_status"], got["points_reason"], got["points_used"],
                got["payable"]) == ("refused", "insufficient", 0, "2000.00")
        # a late reservation is not counted (the points service's timeout gives it back)
        await deliver(order_db, reserved(o, 50))
        assert (await mine(order_app, cid, o["id"]))["points_status"] == "refused"

    async def test_released_by_the_points_service_P2(self, order_app, order_db):
        cid, ink, _ = await customer(order_db)
        o = (await place(order_app, cid, [(ink, 20)], 50)).json()
        await deliver(order_db, reserved(o, 50))
        await deliver(order_db, PointsReleased(
            customer_id=cid, order_id=uuid.UUID(o["id"]), order_number=o["number"], points=50,
            cause="timeout", released_at=utcnow()))
        got = await mine(order_app, cid, o["id"])
        assert (got["points_status"], got["points_reason"], got["payable"]) == \
            ("released", "timeout", "2000.00")

    async def test_approved_before_the_answer_counts_no_points_P2(self, order_app, order_db):
        cid, ink, _ = await customer(order_db)
        o = (await place(order_app, cid, [(ink, 20)], 50)).json()
        assert (await review(order_app, o["id"])).status_code == 200
        [approved] = await outbox(order_db, uuid.UUID(o["id"]), "order.approved")
        assert approved["points_used"] == 0
        got = await mine(order_app, cid, o["id"])
        assert (got["points_status"], got["points_reason"], got["payable"]) == \
            ("refused", "not_confirmed", "2000.00")

    async def test_modification_must_keep_room_for_the_points(self, order_app, order_db):
        cid, ink, _ = await customer(order_db)
        o = (await place(order_app, cid, [(ink, 2)], 150)).json()
        async with h.client(order_app, h.customer(cid)) as c:
            r = await c.put(f"/api/portal/orders/{o['id']}", json={
                "version": o["version"], "lines": [{"product_id": str(ink), "quantity": 1}]})
        assert r.status_code == 422 and "150 points" in r.json()["detail"]


class TestReplyTimeout:
    async def test_an_order_never_answered_is_payable_in_full_P2(self, order_app, order_db):
        cid, ink, _ = await customer(order_db)
        o = (await place(order_app, cid, [(ink, 20)], 50)).json()
        async with order_db.sessionmaker() as session, session.begin():
            await RedemptionService(session).expire(utcnow(), timedelta(seconds=900))
        assert (await mine(order_app, cid, o["id"]))["points_status"] == "requested"
        async with order_db.sessionmaker() as session, session.begin():
            n = await RedemptionService(session).expire(utcnow() + timedelta(seconds=901),
                                                        timedelta(seconds=900))
        assert n >= 1
        got = await mine(order_app, cid, o["id"])
        assert (got["points_status"], got["points_reason"], got["payable"]) == \
            ("refused", "timeout", "2000.00")
