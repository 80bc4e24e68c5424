"""Points through the gateway against the running system (P-1..P-3): consumables only,
pending → effective when paid, a return reverses what came back, staff adjustments with a
reason, rule versions and event months announced a calendar month ahead, and staff bound
to areas (C-7), and redemption — the saga between the order and points services (P-2)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from servicekit.timeutil import business_date

from .access_helpers import new_staff
from .api import Api, eventually, order_body
from .test_slice import place

pytestmark = pytest.mark.e2e

PRODUCTS = [
    {"name": "UV 墨水（积分）", "model": "INK-PTS-1L", "unit_price": "200.00",
     "category": "consumable"},
    {"name": "UV 平板打印机（积分）", "model": "MCH-PTS-01", "unit_price": "500.00",
     "category": "machine"},
]


async def approved_customer(api: Api, admin: Api, area: str = "华东"):
    cid, user, pw = await api.register(area=area)
    r = await admin.post(f"/api/console/customers/{cid}/approve", json={"products": PRODUCTS})
    assert r.status_code == 200, r.text
    customer = api.as_user()
    await customer.login(user, pw)
    catalog = {p["model"]: p["product_id"]
               for p in (await customer.get("/api/portal/catalog")).json()}
    return customer, cid, catalog


async def points_are(customer: Api, **expected):
    async def check():
        p = (await customer.get("/api/portal/points")).json()
        return p if all(p[k] == v for k, v in expected.items()) else None
    return await eventually(check, timeout=30)


def add_month(day: date, months: int) -> date:
    y, m = divmod(day.month - 1 + months, 12)
    return date(day.year + y, m + 1, 1)


class TestEarning:
    async def test_consumables_earn_paid_effective_return_reverses_P2(
            self, system, api, admin):
        customer, cid, catalog = await approved_customer(api, admin)
        ink, machine = catalog["INK-PTS-1L"], catalog["MCH-PTS-01"]
        # 2,000 yuan of consumables + 500 yuan of machines → 100 points pending
        order = await place(customer, order_body([(ink, 10), (machine, 1)]))
        assert order["total"] == "2500.00"
        await points_are(customer, pending=100, total=0, can_redeem=False)

        r = await admin.post("/api/console/orders/review",
                             json={"order_ids": [order["id"]], "decision": "approve"})
        assert r.status_code == 200, r.text
        r = await admin.post(f"/api/console/orders/{order['id']}/payments", json={
            "amount": "2500.00", "paid_on": date.today().isoformat(), "method": "cash"})
        assert r.status_code == 201, r.text
        p = await points_are(customer, pending=0, total=100)
        assert (p["remaining"], p["redeemed"], p["can_redeem"]) == (100, 0, True)
        moves = (await customer.get("/api/portal/points/movements")).json()
        assert [(m["kind"], m["points"], m["rule_version"]) for m in moves] == [
            ("effective", 100, 1), ("earned", 100, 1)]
        assert {m["order_number"] for m in moves} == {order["number"]}

        # O-9: one bottle (200 yuan) comes back → 1,800 left → 90 points
        today = business_date().isoformat()
        r = await admin.post(f"/api/console/orders/{order['id']}/shipments", json={
            "lines": [{"product_id": ink, "quantity": 10}, {"product_id": machine,
                                                             "quantity": 1}],
            "courier": "顺丰速运", "shipped_on": today})
        assert r.status_code == 201, r.text
        shipment = r.json()["shipments"][0]["id"]
        r = await customer.post(
            f"/api/portal/orders/{order['id']}/shipments/{shipment}/receipt", json={})
        assert r.status_code == 200, r.text
        r = await customer.post(f"/api/portal/orders/{order['id']}/returns", json={
            "lines": [{"product_id": ink, "quantity": 1}], "reason": "破损"})
        assert r.status_code == 201, r.text
        r = await admin.post(f"/api/console/returns/{r.json()['id']}/approve",
                             json={"refund_amount": "200.00"})
        assert r.status_code == 200, r.text
        await points_are(customer, total=90, remaining=90)
        latest = (await customer.get("/api/portal/points/movements")).json()[0]
        assert (latest["kind"], latest["points"]) == ("reversed", -10)

    async def test_cancelled_order_reverses_its_pending_points_P2(self, system, api, admin):
        customer, _, catalog = await approved_customer(api, admin)
        order = await place(customer, order_body([(catalog["INK-PTS-1L"], 1)]))
        await points_are(customer, pending=10)
        r = await customer.post(f"/api/portal/orders/{order['id']}/cancel", json={})
        assert r.status_code == 200, r.text
        await points_are(customer, pending=0, total=0)


class TestStaff:
    async def test_adjustment_with_reason_and_areas_C7(self, system, api, admin):
        customer, cid, _ = await approved_customer(api, admin, area="华南")
        url = f"/api/console/points/customers/{cid}/adjustments"

        async def known():
            r = await admin.get("/api/console/points/customers", params={"q": ""})
            return cid in [c["customer_id"] for c in r.json()] or None
        await eventually(known)
        r = await admin.post(url, json={"points": 50, "reason": "开业活动赠送"})
        assert r.status_code == 201, r.text
        assert r.json()["reason"] == "开业活动赠送" and r.json()["actor"]
        assert (await admin.post(url, json={"points": 5, "reason": " "})).status_code == 422
        assert (await admin.post(url, json={"points": -51, "reason": "扣"})).status_code == 422
        p = await points_are(customer, total=50, remaining=50)
        assert p["can_redeem"] is False
        [m] = (await customer.get("/api/portal/points/movements")).json()
        assert (m["kind"], m["points"], m["reason"]) == ("adjusted", 50, "开业活动赠送")

        other, _ = await new_staff(admin, {"points:query", "points:entry"}, areas={"华北"})
        assert (await other.get(f"/api/console/points/customers/{cid}")).status_code == 404
        assert (await other.post(url, json={"points": 1, "reason": "x"})).status_code == 404
        mine, _ = await new_staff(admin, {"points:query"}, areas={"华南"})
        assert (await mine.get(f"/api/console/points/customers/{cid}")).status_code == 200


class TestAnnouncements:
    async def test_rule_versions_are_announced_a_month_ahead_P3(self, system, api, admin):
        today = business_date()
        for bad in (today - timedelta(days=1), today, today + timedelta(days=27)):
            r = await admin.post("/api/console/points/rules", json={
                "yuan_per_point": "10", "redeem_threshold": 100,
                "effective_from": bad.isoformat()})
            assert r.status_code == 422, (bad, r.text)
            assert "effective_from" in r.json()["detail"]
        # after every version already announced in this system (the demo or other tests)
        known = (await admin.get("/api/console/points/rules")).json()
        start = max([add_month(today, 2)] + [
            date.fromisoformat(v["effective_from"]) + timedelta(days=1) for v in known])
        r = await admin.post("/api/console/points/rules", json={
            "yuan_per_point": "10.00", "redeem_threshold": 120,
            "effective_from": start.isoformat()})
        assert r.status_code == 201, r.text
        version = r.json()["version"]
        customer, _, _ = await approved_customer(api, admin)
        rules = (await customer.get("/api/portal/points/rules")).json()
        assert rules[0]["version"] == version and rules[0]["upcoming"]
        assert [r_ for r_ in rules if r_["current"]][0]["version"] < version

    async def test_event_months_P2_P3(self, system, api, admin):
        this_month = business_date().strftime("%Y-%m")
        r = await admin.put("/api/console/points/event-months", json={"months": [this_month]})
        assert r.status_code == 422 and "calendar month" in r.json()["detail"]
        later = add_month(business_date(), 2).strftime("%Y-%m")
        r = await admin.put("/api/console/points/event-months", json={"months": [later]})
        assert r.status_code == 200 and later in [m["month"] for m in r.json()]
        # an order placed now (not an event month) still earns
        customer, _, catalog = await approved_customer(api, admin)
        assert later in [m["month"] for m in
                         (await customer.get("/api/portal/points/event-months")).json()]
        await place(customer, order_body([(catalog["INK-PTS-1L"], 1)]))
        await points_are(customer, pending=10)

    async def test_description_P1(self, system, api, admin):
        r = await admin.put("/api/console/points/description",
                            json={"content": "每消费耗材 20 元积 1 分。"})
        assert r.status_code == 200, r.text
        customer, _, _ = await approved_customer(api, admin)
        r = await customer.get("/api/portal/points/description")
        assert r.json()["content"] == "每消费耗材 20 元积 1 分。"


class TestRedemption:
    async def test_redeem_on_the_next_order_then_cancel_releases_P2(self, system, api, admin):
        customer, cid, catalog = await approved_customer(api, admin)
        ink, machine = catalog["INK-PTS-1L"], catalog["MCH-PTS-01"]
        # 2,000 yuan of consumables + 500 yuan of machines → 100 points → paid → effective
        first = await place(customer, order_body([(ink, 10), (machine, 1)]))
        r = await admin.post("/api/console/orders/review",
                             json={"order_ids": [first["id"]], "decision": "approve"})
        assert r.status_code == 200, r.text
        r = await admin.post(f"/api/console/orders/{first['id']}/payments", json={
            "amount": "2500.00", "paid_on": date.today().isoformat(), "method": "cash"})
        assert r.status_code == 201, r.text
        await points_are(customer, pending=0, total=100, remaining=100, can_redeem=True)

        # the order service learns the balance by event; then points beyond it are a 422
        # and nothing is placed
        async def refused_for_balance():
            r = await customer.post("/api/portal/orders", json={
                **order_body([(ink, 1)]), "points_to_use": 101})
            return r if r.status_code == 422 and "left" in r.json()["detail"] else None
        await eventually(refused_for_balance, timeout=30)
        r = await customer.post("/api/portal/orders", json={
            **order_body([(machine, 1)]), "points_to_use": 50})
        assert r.status_code == 422 and "consumables and accessories" in r.json()["detail"]
        r = await customer.post("/api/portal/orders", json={
            **order_body([(ink, 1)]), "points_to_use": -1})
        assert r.status_code == 422
        orders = (await customer.get("/api/portal/orders")).json()
        assert [o["number"] for o in orders] == [first["number"]]

        # redeem 50 on the next order: payable reduced by 50.00, the ledger shows it
        r = await customer.post("/api/portal/orders", json={
            **order_body([(ink, 2)]), "points_to_use": 50})
        assert r.status_code == 201, r.text
        second = r.json()
        assert (second["points_status"], second["total"]) == ("requested", "400.00")

        async def reserved():
            o = (await customer.get(f"/api/portal/orders/{second['id']}")).json()
            return o if o["points_status"] == "reserved" else None
        o = await eventually(reserved, timeout=30)
        assert (o["points_used"], o["payable"], o["outstanding"]) == (50, "350.00", "350.00")
        await points_are(customer, reserved=50, remaining=50)
        moves = (await customer.get("/api/portal/points/movements")).json()
        # points paid with earn nothing: floor((400 − 50) / 20) = 17 pending
        assert sorted((m["kind"], m["points"]) for m in moves
                      if m["order_number"] == second["number"]) == \
            [("earned", 17), ("reserved", -50)]
        [red] = (await customer.get("/api/portal/points/redemptions")).json()
        assert (red["order_number"], red["points"], red["status"]) == \
            (second["number"], 50, "reserved")
        # the staff see the same order with its payable amount
        staff_view = (await admin.get(f"/api/console/orders/{second['id']}")).json()
        assert (staff_view["points_used"], staff_view["payable"]) == (50, "350.00")

        # cancel that order → the 50 points are released
        r = await customer.post(f"/api/portal/orders/{second['id']}/cancel",
                                json={"reason": "下错了"})
        assert r.status_code == 200, r.text
        await points_are(customer, reserved=0, remaining=100, redeemed=0)

        async def released():
            o = (await customer.get(f"/api/portal/orders/{second['id']}")).json()
            return o if o["points_status"] == "released" else None
        o = await eventually(released, timeout=30)
        assert (o["points_reason"], o["points_used"]) == ("cancelled", 0)
        [red] = (await customer.get("/api/portal/points/redemptions")).json()
        assert (red["status"], red["reason"]) == ("released", "cancelled")
        moves = (await customer.get("/api/portal/points/movements")).json()
        assert sorted((m["kind"], m["points"]) for m in moves
                      if m["order_number"] == second["number"]) == \
            [("earned", 17), ("released", 50), ("reserved", -50), ("reversed", -17)]

    async def test_approval_redeems_and_the_payable_pays_the_order_P2(self, system, api,
                                                                       admin):
        customer, cid, catalog = await approved_customer(api, admin)
        ink = catalog["INK-PTS-1L"]
        r = await admin.post(f"/api/console/points/customers/{cid}/adjustments",
                             json={"points": 120, "reason": "老客户迁移积分"})
        assert r.status_code == 201, r.text

        async def placed():
            r = await customer.post("/api/portal/orders", json={
                **order_body([(ink, 1)]), "points_to_use": 120})
            return r.json() if r.status_code == 201 else None
        order = await eventually(placed, timeout=30)

        async def reserved():
            o = (await customer.get(f"/api/portal/orders/{order['id']}")).json()
            return o if o["points_status"] == "reserved" else None
        assert (await eventually(reserved, timeout=30))["payable"] == "80.00"
        r = await admin.post("/api/console/orders/review",
                             json={"order_ids": [order["id"]], "decision": "approve"})
        assert r.status_code == 200, r.text
        await points_are(customer, redeemed=120, reserved=0, remaining=0)

        async def redeemed():
            o = (await customer.get(f"/api/portal/orders/{order['id']}")).json()
            return o if o["points_status"] == "redeemed" else None
        await eventually(redeemed, timeout=30)
        r = await admin.post(f"/api/console/orders/{order['id']}/payments", json={
            "amount": "80.00", "paid_on": date.today().isoformat(), "method": "cash"})
        assert r.status_code == 201 and r.json()["payment_status"] == "paid", r.text
        # points paid with earn nothing: 200 − 120 = 80 yuan → 4 points, effective now
        await points_are(customer, pending=0, total=124, remaining=4)
