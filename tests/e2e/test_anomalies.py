"""Anomaly analysis of ordering cycles through the running system (A-3, A-4, B-6, C-6, C-7,
X-3): staff set a customer's 7-day ordering cycle in the customer service, the order
service learns it from customer.cycle_changed; the customer's last order is 10 days old
(backdated in the order database), so it is in table 1 with 3 days overdue; a follow-up
is recorded and shown in table 1 and table 2; staff bound to another area see none of it
(404 on table 2); the customer's consumables are 403 SensitiveLocked until the query
password is entered; after ordering again the customer leaves table 1, its follow-up
stays in the log."""

from __future__ import annotations

import uuid
from datetime import timedelta

import asyncpg
import pytest
from servicekit.db import asyncpg_dsn
from servicekit.timeutil import business_date

from .access_helpers import new_staff
from .api import Api, order_body
from .test_analysis import analyst
from .test_cycle_reminders import learned_cycle
from .test_slice import place

pytestmark = pytest.mark.e2e

TABLE = "/api/console/analysis/anomalies"
PRODUCTS = [{"name": "UV 墨水（异常）", "model": "INK-ANOM-1", "unit_price": "120.00",
             "category": "consumable"},
            {"name": "喷码机（异常）", "model": "PRN-ANOM-1", "unit_price": "8000.00",
             "category": "machine"}]


async def backdate(system, order_id: str, days: int) -> None:
    """Date an order `days` days back in the order database (it is still waiting for
    review, so its content may change)."""
    conn = await asyncpg.connect(asyncpg_dsn(system.config.database_url("order")))
    try:
        await conn.execute("UPDATE orders SET order_date = $1 WHERE id = $2",
                           business_date() - timedelta(days=days), uuid.UUID(order_id))
    finally:
        await conn.close()


async def cycle_customer(system, api: Api, admin: Api, area: str) -> tuple[Api, str, dict]:
    """An approved customer of `area` with a 7-day ordering cycle the order service knows."""
    cid, user, password = await api.register(area=area, name=f"周期异常公司{area[-4:]}")
    r = await admin.post(f"/api/console/customers/{cid}/approve", json={"products": PRODUCTS})
    assert r.status_code == 200, r.text
    r = await admin.put(f"/api/console/customers/{cid}/cycle", json={"kind": "days", "days": 7})
    assert r.status_code == 200, r.text
    await learned_cycle(system, cid, ("days", 7, None))
    customer = api.as_user()
    await customer.login(user, password)
    catalog = {p["model"]: p["product_id"]
               for p in (await customer.get("/api/portal/catalog")).json()}
    return customer, cid, catalog


async def rows(staff: Api, **params) -> tuple[list[dict], int]:
    r = await staff.get(TABLE, params=params)
    assert r.status_code == 200, r.text
    return r.json(), int(r.headers["X-Total-Count"])


class TestAnomalies:
    async def test_past_its_cycle_followed_up_then_ordering_again_A3_B6_C6(
            self, system, api, admin):
        area = f"异常区{uuid.uuid4().hex[:6]}"
        customer, cid, catalog = await cycle_customer(system, api, admin, area)
        first = await place(customer, order_body([(catalog["INK-ANOM-1"], 3),
                                                  (catalog["PRN-ANOM-1"], 1)]))
        await backdate(system, first["id"], 10)
        today = business_date()

        staff = await analyst(admin)
        # --- table 1: 3 days overdue (7-day cycle, last order 10 days ago)
        found, total = await rows(staff, area=area)
        assert total == 1
        [row] = found
        assert row["customer_id"] == cid
        assert row["last_order_date"] == (today - timedelta(days=10)).isoformat()
        assert row["cycle"] == {"kind": "days", "days": 7, "weekday": None}
        assert row["expected_date"] == (today - timedelta(days=3)).isoformat()
        assert row["days_overdue"] == 3
        assert row["usual_value"] == first["total"]
        assert row["processing_status"] == "open"
        found, _ = await rows(staff, q=row["name"], min_days=3)
        assert cid in {r["customer_id"] for r in found}

        # --- order status per customer
        r = await staff.get(f"/api/console/analysis/customers/{cid}/status")
        assert r.status_code == 200, r.text
        assert (r.json()["status"], r.json()["days_overdue"]) == ("abnormal", 3)
        assert "should have ordered by" in r.json()["reason"]

        # --- a follow-up (B-6): recorded and shown in table 1 and table 2
        r = await staff.post(f"{TABLE}/{cid}/follow-ups",
                             json={"status": "contacted", "note": "电话联系，客户说本周订货"})
        assert r.status_code == 201, r.text
        assert r.json()["due_date"] == row["expected_date"]
        found, _ = await rows(staff, area=area)
        assert found[0]["processing_status"] == "contacted"
        detail = (await staff.get(f"{TABLE}/{cid}")).json()
        assert detail["standing"]["status"] == "abnormal"
        assert detail["customer"]["area"] == area
        [step] = detail["follow_ups"]
        assert (step["status"], step["note"]) == ("contacted", "电话联系，客户说本周订货")
        assert [o["id"] for o in detail["recent_orders"]] == [first["id"]]

        # --- it orders again: off table 1, normal; the follow-up stays in the log
        await place(customer, order_body([(catalog["INK-ANOM-1"], 1)]))
        assert (await rows(staff, area=area))[1] == 0
        detail = (await staff.get(f"{TABLE}/{cid}")).json()
        assert detail["standing"]["status"] == "normal"
        assert len(detail["follow_ups"]) == 1
        r = await staff.post(f"{TABLE}/{cid}/follow-ups", json={"status": "resolved"})
        assert r.status_code == 409 and "not overdue" in r.json()["detail"]

    async def test_other_areas_see_nothing_and_consumables_need_the_query_password_A4_C7_X3(
            self, system, api, admin):
        area = f"异常区{uuid.uuid4().hex[:6]}"
        customer, cid, catalog = await cycle_customer(system, api, admin, area)
        order = await place(customer, order_body([(catalog["INK-ANOM-1"], 5),
                                                  (catalog["PRN-ANOM-1"], 1)]))
        await backdate(system, order["id"], 30)

        # staff bound to another area: not in table 1, 404 on table 2 and its status
        elsewhere, _ = await new_staff(admin, ["reports:query"], areas=["华北"])
        found, _ = await rows(elsewhere)
        assert cid not in {r["customer_id"] for r in found}
        for path in (f"{TABLE}/{cid}", f"/api/console/analysis/customers/{cid}/status"):
            assert (await elsewhere.get(path)).status_code == 404
        r = await elsewhere.post(f"{TABLE}/{cid}/follow-ups", json={"status": "lost"})
        assert r.status_code == 404
        # staff of its area do see it
        local, _ = await new_staff(admin, ["reports:query"], areas=[area])
        assert (await rows(local))[0][0]["customer_id"] == cid
        assert (await local.get(f"{TABLE}/{cid}")).status_code == 200

        # consumables: locked until the query password is entered
        staff = await analyst(admin)
        path = f"/api/console/analysis/customers/{cid}/consumables"
        r = await staff.get(path)
        assert r.status_code == 403 and r.json()["error"] == "SensitiveLocked"
        assert "query password" in r.json()["detail"]
        r = await staff.post("/api/auth/unlock-sensitive",
                             json={"query_password": "Query-2026-q"})
        assert r.status_code == 200, r.text
        r = await staff.get(path, params={"months": 12})
        assert r.status_code == 200, r.text
        body = r.json()
        assert [(x["order_number"], x["model"], x["quantity"], x["amount"])
                for x in body["lines"]] == [(order["number"], "INK-ANOM-1", 5, "600.00")]
        assert (body["total_quantity"], body["total_amount"]) == (5, "600.00")
        assert (await staff.get(path, params={"months": 37})).status_code == 422
