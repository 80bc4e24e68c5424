"""Integration: summaries behind the query password (A-2, X-3, C-7) on the order
service's real database: 403 SensitiveLocked until unlocked; totals and shares per
customer; consumables per model and one model per customer; cancelled orders and
machines do not count; staff bound to areas see only their areas."""

import dataclasses
from datetime import timedelta

from servicekit.testing import helpers as h
from servicekit.timeutil import business_date

from .test_credit_limits_api import review
from .test_redemption_api import customer, place

SUMMARY = "/api/console/analysis/summary"
CONSUMABLES = "/api/console/analysis/consumables"


def unlocked(*perms, areas=()):
    return dataclasses.replace(h.staff(*perms, areas=areas), sensitive=True)


class TestSummary:
    async def test_locked_until_the_query_password_then_the_figures_A2(self, order_app,
                                                                      order_db):
        a, ink_a, printer_a = await customer(order_db, remaining=None)
        b, ink_b, _ = await customer(order_db, remaining=None)
        oa = (await place(order_app, a, [(ink_a, 3), (printer_a, 1)], 0)).json()
        ob = (await place(order_app, b, [(ink_b, 1)], 0)).json()
        gone = (await place(order_app, b, [(ink_b, 50)], 0)).json()
        assert (await review(order_app, gone["id"], decision="reject")).status_code == 200
        today = business_date().isoformat()
        params = {"from": today, "to": today}

        async with h.client(order_app, h.staff("reports:query")) as s:
            r = await s.get(SUMMARY, params=params)
        assert r.status_code == 403 and r.json()["error"] == "SensitiveLocked"
        assert "query password" in r.json()["detail"]
        async with h.client(order_app, unlocked("orders:query")) as s:
            assert (await s.get(SUMMARY, params=params)).status_code == 403

        async with h.client(order_app, unlocked("reports:query")) as s:
            r = await s.get(SUMMARY, params=params)
            assert r.status_code == 200, r.text
            body = r.json()
            assert (body["from"], body["to"]) == (today, today)
            mine = {c["customer_id"]: c for c in body["customers"]}
            assert mine[str(a)]["amount"] == oa["total"] == "30300.00"
            assert mine[str(a)]["orders"] == 1 and mine[str(b)]["amount"] == ob["total"]
            assert mine[str(b)]["orders"] == 1  # the rejected order does not count
            amounts = [c["amount"] for c in body["customers"]]
            assert amounts == sorted(amounts, key=float, reverse=True)
            assert abs(sum(float(c["share"]) for c in body["customers"]) - 100) < 1

            r = await s.get(CONSUMABLES, params=params)
            models = {m["model"]: m for m in r.json()["models"]}
            assert "P-1" not in models  # a machine is not a consumable
            assert models["INK-1L"]["quantity"] >= 4
            r = await s.get(CONSUMABLES, params={**params, "model": "INK-1L"})
            per = {c["customer_id"]: c for c in r.json()["customers"]}
            assert per[str(a)]["amount"] == "300.00" and per[str(b)]["amount"] == "100.00"

            for bad in ({"from": today, "to": "2000-01-01"},
                        {"from": "2000-01-01", "to": today}, {"from": "x"}):
                r = await s.get(SUMMARY, params=bad)
                assert r.status_code == 422 and r.json()["detail"], bad
            r = await s.get(SUMMARY)  # this month by default
            assert r.status_code == 200
            assert r.json()["from"] == business_date().replace(day=1).isoformat()

        async with h.client(order_app, unlocked("reports:query", areas=("西北",))) as s:
            r = await s.get(SUMMARY, params=params)
            assert str(a) not in {c["customer_id"] for c in r.json()["customers"]}
            r = await s.get(SUMMARY, params={
                "from": (business_date() - timedelta(days=30)).isoformat(), "to": today})
            assert r.status_code == 200
