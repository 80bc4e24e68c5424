"""Summaries through the running system (A-2, X-3, C-7): without the query password a
summary is 403 SensitiveLocked with a message saying so; after unlocking, the totals
match the orders placed; staff bound to another area see none of them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from servicekit.timeutil import business_date

from .access_helpers import new_staff
from .api import Api, order_body
from .test_slice import place

pytestmark = pytest.mark.e2e

PRODUCTS = [{"name": "UV 墨水（汇总）", "model": "INK-SUM-1", "unit_price": "125.50",
             "category": "consumable"},
            {"name": "喷码机（汇总）", "model": "PRN-SUM-1", "unit_price": "9000.00",
             "category": "machine"}]


async def analyst(admin: Api, areas=()) -> Api:
    staff, _ = await new_staff(admin, ["reports:query"], areas=list(areas))
    r = await staff.post("/api/auth/query-password", json={
        "current_password": "Staff-2026-ok", "query_password": "Query-2026-q"})
    assert r.status_code == 200, r.text
    return staff


class TestSummaries:
    async def test_summary_locked_then_matches_the_orders_A2(self, system, api, admin):
        cid, user, password = await api.register(area="华东")
        r = await admin.post(f"/api/console/customers/{cid}/approve",
                             json={"products": PRODUCTS})
        assert r.status_code == 200, r.text
        customer = api.as_user()
        await customer.login(user, password)
        catalog = {p["model"]: p["product_id"]
                   for p in (await customer.get("/api/portal/catalog")).json()}
        first = await place(customer, order_body([(catalog["INK-SUM-1"], 4)]))
        second = await place(customer, order_body([(catalog["INK-SUM-1"], 2),
                                                   (catalog["PRN-SUM-1"], 1)]))
        today = business_date().isoformat()
        params = {"from": today, "to": today}

        staff = await analyst(admin)
        r = await staff.get("/api/console/analysis/summary", params=params)
        assert r.status_code == 403 and r.json()["error"] == "SensitiveLocked"
        assert "query password" in r.json()["detail"]
        r = await staff.post("/api/auth/unlock-sensitive",
                             json={"query_password": "Query-2026-q"})
        assert r.status_code == 200, r.text

        body = (await staff.get("/api/console/analysis/summary", params=params)).json()
        [mine] = [c for c in body["customers"] if c["customer_id"] == cid]
        assert Decimal(mine["amount"]) == Decimal(first["total"]) + Decimal(second["total"])
        assert mine["orders"] == 2
        assert Decimal(body["total_amount"]) >= Decimal(mine["amount"])
        r = await staff.get("/api/console/analysis/consumables",
                            params={**params, "model": "INK-SUM-1"})
        [ink] = r.json()["models"]
        assert (ink["quantity"], ink["amount"]) >= (6, "753.00")
        assert {c["customer_id"] for c in r.json()["customers"]} >= {cid}

        north = await analyst(admin, areas=["华北"])
        await north.post("/api/auth/unlock-sensitive", json={"query_password": "Query-2026-q"})
        body = (await north.get("/api/console/analysis/summary", params=params)).json()
        assert cid not in {c["customer_id"] for c in body["customers"]}
