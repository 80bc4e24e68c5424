"""Maintenance records through the running system (S-3..S-9, B-5, C-7): a repair sent back
to the factory without a method is refused; a repair with two processing entries is
processed and its return visit appears unprocessed; suspending moves a record out of
未处理事项; the year's statistics by category match the records entered; staff of another
area see none of it."""

from __future__ import annotations

import uuid

import pytest
from servicekit.timeutil import business_date

from .access_helpers import new_staff
from .api import Api, eventually

pytestmark = pytest.mark.e2e

PRODUCTS = [{"name": "UV 墨水（维修）", "model": "INK-MT-1", "unit_price": "150.00",
             "category": "consumable"}]


async def customer_in(api: Api, admin: Api, area: str) -> str:
    cid, _, _ = await api.register(area=area)
    r = await admin.post(f"/api/console/customers/{cid}/approve", json={"products": PRODUCTS})
    assert r.status_code == 200, r.text
    return cid


async def record(admin: Api, cid: str, **over) -> dict:
    body = {"customer_id": cid, "kind": "repair", "content": "喷头堵塞", "engineer": "李工",
            **over}

    async def post():  # the service desk learns of the customer by event
        r = await admin.post("/api/console/maintenance-records", json=body)
        return r if r.status_code != 404 else None
    r = await eventually(post)
    assert r.status_code == 201, r.text
    return r.json()


async def menu(admin: Api, name: str, cid: str) -> set[str]:
    r = await admin.get("/api/console/maintenance-records",
                        params={"menu": name, "customer_id": cid})
    assert r.status_code == 200, r.text
    return {x["id"] for x in r.json()}


class TestMaintenance:
    async def test_repair_processing_return_visit_suspend_and_stats_S3_S9_B5(
            self, system, api, admin):
        cid = await customer_in(api, admin, "华东")
        cats = {}
        for kind, name in (("fault", "喷头堵塞"), ("fault", "电源故障")):
            r = await admin.post("/api/console/maintenance/categories",
                                 json={"kind": kind, "name": f"{name}{uuid.uuid4().hex[:4]}"})
            assert r.status_code == 201, r.text
            cats[name] = r.json()["id"]

        repair = await record(admin, cid, category_id=cats["喷头堵塞"], charge="200.00",
                              accessories=[{"name": "喷头", "quantity": 1}])
        # (the service desk knows the customer now)
        r = await admin.post("/api/console/maintenance-records", json={
            "customer_id": cid, "kind": "repair", "content": "主板返厂",
            "return_to_factory": True})
        assert r.status_code == 422 and "factory_return_method" in r.json()["detail"]
        for text, done in (("第一次上门：清洗喷头", False), ("第二次上门：更换喷头", True)):
            r = await admin.post(f"/api/console/maintenance-records/{repair['id']}/entries",
                                 json={"content": text, "processed": done})
            assert r.status_code == 201, r.text
        done = r.json()
        assert done["processed"] and len(done["entries"]) == 2 and done["return_visit_id"]
        assert await menu(admin, "unprocessed", cid) == {done["return_visit_id"]}

        other = await record(admin, cid, category_id=cats["电源故障"],
                             return_to_factory=True, factory_return_method="顺丰到付",
                             key_matter=True)
        assert other["id"] in await menu(admin, "factory", cid)
        assert other["id"] in await menu(admin, "key", cid)
        assert other["id"] in await menu(admin, "unprocessed", cid)
        r = await admin.post(f"/api/console/maintenance-records/{other['id']}/suspend",
                             json={"reason": "等待厂家配件"})
        assert r.status_code == 200, r.text
        assert other["id"] not in await menu(admin, "unprocessed", cid)
        assert await menu(admin, "suspended", cid) == {other["id"]}
        groups = (await admin.get("/api/console/maintenance/unprocessed")).json()
        [mine] = [g for g in groups if g["customer_id"] == cid]
        assert (mine["repairs"], mine["return_visits"]) == (0, 1)

        st = (await admin.get("/api/console/maintenance/stats",
                              params={"year": business_date().year, "customer_id": cid})).json()
        by_category = {c["category_id"]: c["records"] for c in st["by_category"]}
        assert by_category == {cats["喷头堵塞"]: 1, cats["电源故障"]: 1, None: 1}
        assert st["records"] == 3

        north, _ = await new_staff(admin, ["service_desk:query", "service_desk:entry"],
                                   areas=["华北"])
        assert (await north.get(f"/api/console/maintenance-records/{repair['id']}")
                ).status_code == 404
        assert await menu(north, "content", cid) == set()

    async def test_a_repair_charge_paid_with_points_P2_S3(self, system, api, admin):
        cid, user, password = await api.register(area="华南")
        r = await admin.post(f"/api/console/customers/{cid}/approve",
                             json={"products": PRODUCTS})
        assert r.status_code == 200, r.text
        customer = api.as_user()
        await customer.login(user, password)
        r = await admin.post(f"/api/console/points/customers/{cid}/adjustments",
                             json={"points": 150, "reason": "维修抵扣测试"})
        assert r.status_code == 201, r.text
        repair = await record(admin, cid, charge="200.00")
        url = f"/api/console/maintenance-records/{repair['id']}"

        r = await admin.post(f"{url}/points", json={"points": 201})
        assert r.status_code == 422 and "at most 200 points" in r.json()["detail"]
        r = await admin.post(f"{url}/points", json={"points": 80})
        assert r.status_code == 200 and r.json()["points_status"] == "requested"

        async def answered():
            got = (await admin.get(url)).json()
            return got if got["points_status"] != "requested" else None
        got = await eventually(answered)
        assert (got["points_status"], got["points_used"], got["payable"]) == (
            "redeemed", 80, "120.00")
        points = (await customer.get("/api/portal/points")).json()
        assert (points["redeemed"], points["remaining"]) == (80, 70)
        [used] = [x for x in (await customer.get("/api/portal/points/redemptions")).json()
                  if x["subject"] == "repair"]
        assert (used["order_id"], used["status"], used["points"]) == (
            repair["id"], "redeemed", 80)

        # more than is left: refused with the reason, nothing spent
        second = await record(admin, cid, charge="500.00")
        r = await admin.post(f"/api/console/maintenance-records/{second['id']}/points",
                             json={"points": 100})
        assert r.status_code == 200

        async def refused():
            got = (await admin.get(
                f"/api/console/maintenance-records/{second['id']}")).json()
            return got if got["points_status"] == "refused" else None
        assert (await eventually(refused))["points_reason"] == "insufficient"

        r = await admin.post(f"{url}/points/release")
        assert r.status_code == 200, r.text

        async def released():
            got = (await admin.get(url)).json()
            return got if got["points_status"] == "released" else None
        assert (await eventually(released))["payable"] == "200.00"

        async def back():
            p = (await customer.get("/api/portal/points")).json()
            return p if p["remaining"] == 150 else None
        assert (await eventually(back))["redeemed"] == 0
