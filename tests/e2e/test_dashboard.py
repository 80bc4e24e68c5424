"""The console home's charts through the running system (X-4, A-2, C-7): orders placed
appear in this month's counts at once; amounts are null until the query password is
entered, then match the orders; staff bound to an area see only that area's orders,
customers and daily anomaly counts."""

from __future__ import annotations

import uuid
from decimal import Decimal

import asyncpg
import pytest
from servicekit.db import asyncpg_dsn
from servicekit.timeutil import business_date

from .api import Api, order_body
from .test_analysis import analyst
from .test_slice import place

pytestmark = pytest.mark.e2e

URL = "/api/console/analysis/dashboard"
QUERY_PASSWORD = "Query-2026-q"  # test_analysis.analyst sets it


def products(suffix: str) -> list[dict]:
    return [{"name": "UV 墨水（看板）", "model": f"INK-DB-{suffix}", "unit_price": "125.50",
             "category": "consumable"},
            {"name": "清洗液（看板）", "model": f"CLN-DB-{suffix}", "unit_price": "20.00",
             "category": "consumable"},
            {"name": "喷码机（看板）", "model": f"PRN-DB-{suffix}", "unit_price": "9000.00",
             "category": "machine"}]


async def customer_of(api: Api, admin: Api, area: str) -> tuple[Api, str, dict]:
    """An approved customer of `area`, logged in, and its catalogue by model."""
    suffix = uuid.uuid4().hex[:6].upper()
    cid, user, password = await api.register(area=area)
    r = await admin.post(f"/api/console/customers/{cid}/approve",
                         json={"products": products(suffix)})
    assert r.status_code == 200, r.text
    customer = api.as_user()
    await customer.login(user, password)
    catalog = {p["model"].rsplit("-", 1)[0]: p["product_id"]
               for p in (await customer.get("/api/portal/catalog")).json()}
    return customer, cid, catalog


async def anomaly_count(system, area: str, customers: int) -> None:
    """Today's count of customers past their cycle in `area`, as the daily job writes it."""
    conn = await asyncpg.connect(asyncpg_dsn(system.config.database_url("order")))
    try:
        await conn.execute("INSERT INTO anomaly_snapshots (day, area, customers) "
                           "VALUES ($1, $2, $3)", business_date(), area, customers)
    finally:
        await conn.close()


class TestDashboard:
    async def test_orders_counted_amounts_locked_then_shown_X4_A2(self, system, api, admin):
        area = f"看板{uuid.uuid4().hex[:6]}"
        customer, cid, catalog = await customer_of(api, admin, area)
        first = await place(customer, order_body([(catalog["INK-DB"], 4)]))
        second = await place(customer, order_body([(catalog["CLN-DB"], 10),
                                                   (catalog["PRN-DB"], 1)]))
        total = Decimal(first["total"]) + Decimal(second["total"])
        assert total == Decimal("9702.00")
        month = business_date().strftime("%Y-%m")

        staff = await analyst(admin, areas=[area])
        r = await staff.get(URL)
        assert r.status_code == 200, r.text
        body = r.json()
        # the last 12 months by default, this one last; counts shown, amounts not
        assert len(body["months"]) == 12 and body["months"][-1]["month"] == month
        assert body["amounts_locked"] is True and body["amount"] is None
        assert body["months"][-1] == {"month": month, "orders": 2, "amount": None}
        assert all(m["amount"] is None for m in body["months"])
        assert body["areas"] == [{"area": area, "orders": 2, "amount": None}]
        assert [(c["name"], c["quantity"], c["amount"]) for c in body["consumables"]] == [
            ("清洗液（看板）", 10, None), ("UV 墨水（看板）", 4, None)]
        assert {g["grade"]: g["customers"] for g in body["grades"]} == {
            "normal": 1, "small": 0, "large": 0}

        r = await staff.post("/api/auth/unlock-sensitive",
                             json={"query_password": QUERY_PASSWORD})
        assert r.status_code == 200, r.text
        body = (await staff.get(URL, params={"from": f"{month}-01",
                                             "to": business_date().isoformat()})).json()
        assert body["amounts_locked"] is False
        assert [m["month"] for m in body["months"]] == [month]
        assert Decimal(body["months"][0]["amount"]) == total == Decimal(body["amount"])
        assert body["order_count"] == 2
        assert body["areas"] == [{"area": area, "orders": 2, "amount": str(total)}]
        # by amount now: the ink (502.00) before the cleaner (200.00); never the machine
        assert [(c["name"], c["amount"]) for c in body["consumables"]] == [
            ("UV 墨水（看板）", "502.00"), ("清洗液（看板）", "200.00")]

        r = await staff.get(URL, params={"from": "2026-03-02", "to": "2026-03-01"})
        assert r.status_code == 422 and "must not be after" in r.json()["detail"]

    async def test_staff_bound_to_an_area_see_only_it_C7(self, system, api, admin):
        mine, other = (f"看板{uuid.uuid4().hex[:6]}" for _ in range(2))
        customer, _, catalog = await customer_of(api, admin, other)
        await place(customer, order_body([(catalog["INK-DB"], 3)]))
        await anomaly_count(system, mine, 2)
        await anomaly_count(system, other, 7)

        staff = await analyst(admin, areas=[mine])
        body = (await staff.get(URL)).json()
        assert body["order_count"] == 0 and body["areas"] == [] == body["consumables"]
        assert all(g["customers"] == 0 for g in body["grades"])
        assert body["anomalies"] == [{"day": business_date().isoformat(), "customers": 2}]

        theirs = await analyst(admin, areas=[other])
        body = (await theirs.get(URL)).json()
        assert body["order_count"] == 1
        assert body["anomalies"] == [{"day": business_date().isoformat(), "customers": 7}]

        # staff of every area see both among everyone's
        everyone = await analyst(admin)
        body = (await everyone.get(URL)).json()
        assert other in {a["area"] for a in body["areas"]}
        [today] = [d for d in body["anomalies"] if d["day"] == business_date().isoformat()]
        assert today["customers"] >= 9
