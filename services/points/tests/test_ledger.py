"""Integration: the points ledger on the real database (P-1..P-3) — consumables only via
the product categories the customer service announces, event months, returns, rule
versions, staff adjustments, the description, and staff bound to areas (C-7)."""

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from dinghuo_contracts import (
    CatalogLine,
    CustomerApproved,
    OrderCancelled,
    OrderLine,
    PaymentReversed,
    ReturnApproved,
    ReturnLine,
)
from points_service.points import domain
from servicekit.testing import helpers as h
from servicekit.timeutil import business_date, utcnow

from .test_points_api import deliver, paid, submitted

MODIFY = h.staff("points:query", "points:entry", "points:modify", username="manager")


def approved(cid, products, area="华东") -> CustomerApproved:
    return CustomerApproved(
        customer_id=cid, customer_number=f"C{uuid.uuid4().hex[:6]}", company_name="上海印美",
        area=area, approved_by="admin",
        catalog=[CatalogLine(product_id=pid, name=n, model=n, unit_price=Decimal("1"),
                             category=cat) for pid, n, cat in products])


def order(cid, lines, *, at=None):
    """An order of (product_id, amount) lines placed at `at`."""
    ev = submitted(cid, str(sum(Decimal(a) for _, a in lines)))
    return ev.model_copy(update={
        "lines": [OrderLine(product_id=pid, name="x", model="x", quantity=1,
                            unit_price=Decimal(a), line_total=Decimal(a)) for pid, a in lines],
        "submitted_at": at or utcnow()})


async def summary(app, cid):
    async with h.client(app, h.customer(cid)) as c:
        return (await c.get("/api/portal/points")).json()


async def movements(app, cid):
    async with h.client(app, h.customer(cid)) as c:
        return (await c.get("/api/portal/points/movements")).json()


class TestConsumablesOnly:
    async def test_machines_earn_nothing_consumables_do_P2(self, points_app, points_db):
        cid, ink, machine = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        await deliver(points_db, approved(cid, [(ink, "墨水", "consumable"),
                                                (machine, "喷绘机", "machine")]))
        ev = order(cid, [(ink, "2000.00"), (machine, "500.00")])
        await deliver(points_db, ev)
        assert (await summary(points_app, cid))["pending"] == 100
        await deliver(points_db, paid(ev))
        s = await summary(points_app, cid)
        assert (s["pending"], s["total"], s["can_redeem"]) == (0, 100, True)

    async def test_a_category_change_reaches_the_next_order(self, points_app, points_db):
        from dinghuo_contracts import CustomerPriceChanged
        cid, part = uuid.uuid4(), uuid.uuid4()
        await deliver(points_db, approved(cid, [(part, "刮刀", "consumable")]))
        await deliver(points_db, CustomerPriceChanged(
            customer_id=cid, product_id=part, name="刮刀", model="x",
            unit_price=Decimal("1"), category="accessory"))
        await deliver(points_db, order(cid, [(part, "400.00")]))
        assert (await summary(points_app, cid))["pending"] == 0


class TestEventMonths:
    async def test_an_order_placed_in_an_event_month_earns_nothing_P2(
            self, points_app, points_db):
        month_start = domain.add_months(business_date().replace(day=1), 2)
        month = domain.month_of(month_start)
        async with h.client(points_app, MODIFY) as s:
            r = await s.put("/api/console/points/event-months", json={"months": [month]})
            assert r.status_code == 200, r.text
            assert [m["month"] for m in r.json()] == [month]
        cid = uuid.uuid4()
        at = datetime(month_start.year, month_start.month, 10, 4, tzinfo=UTC)
        await deliver(points_db, order(cid, [(uuid.uuid4(), "2000.00")], at=at))
        after = at + timedelta(days=31)
        await deliver(points_db, order(cid, [(uuid.uuid4(), "2000.00")], at=after))
        assert (await summary(points_app, cid))["pending"] == 100
        async with h.client(points_app, h.customer(cid)) as c:
            assert month in [m["month"] for m in
                             (await c.get("/api/portal/points/event-months")).json()]

    async def test_a_month_too_soon_is_422_and_announced_months_stay_P3(self, points_app):
        this_month = domain.month_of(business_date())
        later = domain.month_of(domain.add_months(business_date().replace(day=1), 3))
        async with h.client(points_app, MODIFY) as s:
            r = await s.put("/api/console/points/event-months", json={"months": [this_month]})
            assert r.status_code == 422 and "calendar month" in r.json()["detail"]
            assert (await s.put("/api/console/points/event-months",
                                json={"months": [later]})).status_code == 200
            r = await s.put("/api/console/points/event-months", json={"months": []})
            assert later in [m["month"] for m in r.json()]
            r = await s.put("/api/console/points/event-months", json={"months": ["2026-13"]})
            assert r.status_code == 422


class TestReversals:
    async def test_an_approved_return_reverses_the_returned_points_P2(
            self, points_app, points_db):
        cid, ink = uuid.uuid4(), uuid.uuid4()
        await deliver(points_db, approved(cid, [(ink, "墨水", "consumable")]))
        ev = order(cid, [(ink, "2000.00")])
        await deliver(points_db, ev)
        await deliver(points_db, paid(ev))
        ret = ReturnApproved(
            return_id=uuid.uuid4(), order_id=ev.order_id, number=ev.number, customer_id=cid,
            refund_amount=Decimal("150.00"), decided_by="admin", decided_at=utcnow(),
            lines=[ReturnLine(product_id=ink, name="墨水", model="x", quantity=3,
                              unit_price=Decimal("50.00"))])
        await deliver(points_db, ret)
        assert (await summary(points_app, cid))["total"] == 92
        latest = (await movements(points_app, cid))[0]
        assert (latest["kind"], latest["points"]) == ("reversed", -8)
        assert latest["reference"] == f"return:{ret.return_id}"

    async def test_cancelling_a_paid_order_reverses_its_effective_points(
            self, points_app, points_db):
        cid = uuid.uuid4()
        ev = submitted(cid, "801.50")
        await deliver(points_db, ev)
        await deliver(points_db, paid(ev))
        await deliver(points_db, OrderCancelled(
            order_id=ev.order_id, number=ev.number, customer_id=cid, total=ev.total,
            cancelled_by="admin", cancelled_by_kind="staff", cancelled_at=utcnow()))
        s = await summary(points_app, cid)
        assert (s["pending"], s["total"]) == (0, 0)
        assert [m["kind"] for m in await movements(points_app, cid)] == [
            "reversed", "effective", "earned"]

    async def test_a_reversed_payment_makes_the_points_pending_until_paid_again_P2_O6(
            self, points_app, points_db):
        cid = uuid.uuid4()
        ev = submitted(cid, "801.50")  # 40 points
        await deliver(points_db, ev)
        await deliver(points_db, paid(ev))
        reversal = PaymentReversed(
            order_id=ev.order_id, number=ev.number, customer_id=cid,
            amount=Decimal("801.50"), paid_total=Decimal("0"), reason="重复登记",
            reversed_by="reviewer", reversed_on=business_date())
        await deliver(points_db, reversal)
        await deliver(points_db, reversal)  # again: pending stays pending
        s = await summary(points_app, cid)
        assert (s["pending"], s["total"]) == (40, 0)
        moves = await movements(points_app, cid)
        assert [(m["kind"], m["points"]) for m in moves] == [
            ("unpaid", -40), ("effective", 40), ("earned", 40)]
        # paid in full again: effective once more
        await deliver(points_db, paid(ev))
        s = await summary(points_app, cid)
        assert (s["pending"], s["total"]) == (0, 40)


class TestRuleVersions:
    async def test_announce_validates_and_shows_on_the_portal_P3(self, points_app, points_db):
        today = business_date()
        soon = today + timedelta(days=5)
        async with h.client(points_app, MODIFY) as s:
            for bad in (today - timedelta(days=1), soon):
                r = await s.post("/api/console/points/rules", json={
                    "yuan_per_point": "10", "redeem_threshold": 100,
                    "effective_from": bad.isoformat()})
                assert r.status_code == 422, r.text
            start = domain.add_months(today, 1)
            r = await s.post("/api/console/points/rules", json={
                "yuan_per_point": "10.00", "redeem_threshold": 150,
                "effective_from": start.isoformat()})
            assert r.status_code == 201, r.text
            new = r.json()
            assert new["upcoming"] and not new["current"] and new["announced_by"] == "manager"
        async with h.client(points_app, h.customer(uuid.uuid4())) as c:
            rules = (await c.get("/api/portal/points/rules")).json()
        assert rules[0]["version"] == new["version"] and rules[-1]["current"]
        # an order placed from effective_from earns by the new version and records it
        cid = uuid.uuid4()
        at = datetime(start.year, start.month, start.day, 4, tzinfo=UTC)
        await deliver(points_db, order(cid, [(uuid.uuid4(), "2000.00")], at=at))
        [m] = await movements(points_app, cid)
        assert (m["points"], m["rule_version"]) == (200, new["version"])

    async def test_staff_bound_to_areas_cannot_change_the_programme_C7(self, points_app):
        bound = h.staff("points:modify", areas=("华东",))
        async with h.client(points_app, bound) as s:
            r = await s.put("/api/console/points/description", json={"content": "x"})
            assert r.status_code == 403


class TestAdjustments:
    async def test_staff_adjust_with_a_reason_audited(self, points_app, points_db):
        cid = uuid.uuid4()
        await deliver(points_db, approved(cid, []))
        async with h.client(points_app, MODIFY) as s:
            url = f"/api/console/points/customers/{cid}/adjustments"
            r = await s.post(url, json={"points": 30, "reason": "活动补偿"})
            assert r.status_code == 201, r.text
            assert (r.json()["actor"], r.json()["reason"]) == ("manager", "活动补偿")
            r = await s.post(url, json={"points": -31, "reason": "扣减"})
            assert r.status_code == 422 and "30 points left" in r.json()["detail"]
            r = await s.post(url, json={"points": 5, "reason": "   "})
            assert r.status_code == 422
        s = await summary(points_app, cid)
        assert (s["total"], s["remaining"]) == (30, 30)

    async def test_staff_see_only_their_areas_customers_C7(self, points_app, points_db):
        east, north = uuid.uuid4(), uuid.uuid4()
        await deliver(points_db, approved(east, [], area="华东"))
        await deliver(points_db, approved(north, [], area="华北"))
        bound = h.staff("points:query", "points:entry", areas=("华东",))
        async with h.client(points_app, bound) as s:
            assert (await s.get(f"/api/console/points/customers/{east}")).status_code == 200
            assert (await s.get(f"/api/console/points/customers/{north}")).status_code == 404
            r = await s.post(f"/api/console/points/customers/{north}/adjustments",
                             json={"points": 5, "reason": "x"})
            assert r.status_code == 404
            listed = {c["customer_id"] for c in
                      (await s.get("/api/console/points/customers")).json()}
            assert str(east) in listed and str(north) not in listed

    async def test_adjusting_needs_points_entry_X1(self, points_app):
        async with h.client(points_app, h.staff("points:query")) as s:
            r = await s.post(f"/api/console/points/customers/{uuid.uuid4()}/adjustments",
                             json={"points": 5, "reason": "x"})
        assert r.status_code == 403 and "points:entry" in r.json()["detail"]


class TestDescription:
    async def test_staff_write_and_customers_read_P1(self, points_app):
        async with h.client(points_app, MODIFY) as s:
            r = await s.put("/api/console/points/description",
                            json={"content": "# 积分说明\n每消费 20 元积 1 分。"})
            assert r.status_code == 200 and r.json()["updated_by"] == "manager"
            too_long = await s.put("/api/console/points/description",
                                   json={"content": "x" * 5001})
            assert too_long.status_code == 422
        async with h.client(points_app, h.customer(uuid.uuid4())) as c:
            assert "每消费 20 元" in (await c.get("/api/portal/points/description")).json()[
                "content"]
