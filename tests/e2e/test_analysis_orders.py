"""The order query through the running system (A-1, C-7): two customers of different
grades and areas (the grade, the installed machines and the ordering cycle reach the
order service by event), orders reviewed and one paid; filters combined, the sorts by
amount and by machines, the totals row over every match, staff bound to one area seeing
that area only, the Excel export with its totals row, and a clear 422."""

from __future__ import annotations

import io
import uuid

import pytest
from openpyxl import load_workbook
from servicekit.timeutil import business_date

from .access_helpers import new_staff
from .api import Api, eventually, order_body
from .test_machines import register_machine
from .test_slice import place

pytestmark = pytest.mark.e2e

URL = "/api/console/analysis/orders"
PRODUCTS = [{"name": "UV 墨水（查询）", "model": "INK-QRY-1", "unit_price": "150.00",
             "category": "consumable"},
            {"name": "清洗液（查询）", "model": "CLN-QRY-1", "unit_price": "40.00",
             "category": "consumable"}]


async def approved(api: Api, admin: Api, area: str) -> tuple[Api, str, dict[str, str]]:
    cid, user, password = await api.register(area=area)
    r = await admin.post(f"/api/console/customers/{cid}/approve", json={"products": PRODUCTS})
    assert r.status_code == 200, r.text
    customer = api.as_user()
    await customer.login(user, password)
    catalog = {p["model"]: p["product_id"]
               for p in (await customer.get("/api/portal/catalog")).json()}
    return customer, cid, catalog


async def numbers(staff: Api, params: dict) -> tuple[list[str], dict]:
    r = await staff.get(URL, params=params)
    assert r.status_code == 200, r.text
    return [o["number"] for o in r.json()["items"]], r.json()


class TestOrderQuery:
    async def test_filters_sorts_totals_areas_and_export_A1_C7(self, system, api, admin):
        suffix = uuid.uuid4().hex[:6]
        east, west = f"东区{suffix}", f"西区{suffix}"
        a, a_id, a_cat = await approved(api, admin, east)
        b, b_id, b_cat = await approved(api, admin, west)
        r = await admin.put(f"/api/console/customers/{a_id}/grade",
                            json={"grade": "large", "reason": "战略合作伙伴"})
        assert r.status_code == 200, r.text
        r = await admin.put(f"/api/console/customers/{a_id}/cycle",
                            json={"kind": "days", "days": 10})
        assert r.status_code == 200, r.text
        await register_machine(admin, a_id, quantity=3)

        o1 = await place(a, order_body([(a_cat["INK-QRY-1"], 4)]))           # 600.00
        o2 = await place(b, order_body([(b_cat["INK-QRY-1"], 1)]))           # 150.00
        o3 = await place(b, order_body([(b_cat["CLN-QRY-1"], 2),
                                        (b_cat["INK-QRY-1"], 1)]))           # 230.00
        r = await admin.post("/api/console/orders/review", json={
            "order_ids": [o1["id"], o2["id"], o3["id"]], "decision": "approve"})
        assert r.status_code == 200, r.text
        r = await admin.post(f"/api/console/orders/{o1['id']}/payments", json={
            "amount": "600.00", "paid_on": business_date().isoformat(), "method": "cash"})
        assert r.status_code == 201, r.text
        n1, n2, n3 = o1["number"], o2["number"], o3["number"]

        staff, _ = await new_staff(admin, ["reports:query"])
        both = {"area": [east, west]}

        async def arrived():  # grade, machines and cycle travel by event
            found, body = await numbers(staff, {**both, "grade": "large"})
            item = body["items"][0] if found else {}
            return (found == [n1] and item["machine_count"] == 3
                    and item["cycle_length"] == 10) and body
        body = await eventually(arrived, timeout=60)
        assert body["items"][0]["payment_methods"] == ["cash"]

        # --- conditions combined
        assert (await numbers(staff, {**both, "payment_method": "cash"}))[0] == [n1]
        assert set((await numbers(staff, {**both, "payment": "unpaid"}))[0]) == {n2, n3}
        assert (await numbers(staff, {**both, "model": "CLN-QRY-1",
                                      "grade": "normal"}))[0] == [n3]
        assert (await numbers(staff, {**both, "amount_min": "200", "amount_max": "300",
                                      "status": "processing"}))[0] == [n3]
        assert (await numbers(staff, {"customer_id": b_id, "payment": "paid"}))[0] == []

        # --- sorts (server-side) and the totals row over every match
        found, body = await numbers(staff, {**both, "sort": "amount", "order": "desc",
                                            "limit": 2})
        assert found == [n1, n3] and body["total"] == 3
        assert body["totals"] == {"count": 3, "amount": "980.00", "payable": "980.00",
                                  "paid": "600.00", "outstanding": "380.00", "quantity": 8}
        found, _ = await numbers(staff, {**both, "sort": "machines", "order": "desc"})
        assert found[0] == n1
        found, _ = await numbers(staff, {**both, "sort": "cycle", "order": "desc"})
        assert found[0] == n1  # the customers without a cycle come last

        # --- staff bound to the west see its customers only (C-7)
        westerner, _ = await new_staff(admin, ["reports:query"], areas=[west])
        found, body = await numbers(westerner, both)
        assert set(found) == {n2, n3} and body["totals"]["amount"] == "380.00"
        assert (await numbers(westerner, {"customer_id": a_id}))[0] == []

        # --- the export: same conditions and sort, a totals row
        r = await staff.get(f"{URL}/export.xlsx", params={**both, "sort": "amount",
                                                           "order": "asc"})
        assert r.status_code == 200, r.text
        assert r.headers["x-total-count"] == "3"
        rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
        assert rows[0][0] == "订单号"
        assert [row[0] for row in rows[1:4]] == [n2, n3, n1]
        amount = rows[0].index("金额")
        assert rows[-1][0] == "合计（3 单）" and rows[-1][amount] == 980

        # --- contradicting conditions: a clear 422
        r = await staff.get(URL, params={"amount_min": "300", "amount_max": "100"})
        assert r.status_code == 422
        assert "amount range is the wrong way round" in r.json()["detail"]
        r = await staff.get(URL, params={"grade": "vip"})
        assert r.status_code == 422 and "grade" in r.json()["detail"]
