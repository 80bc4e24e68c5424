"""The installed base through the running system (S-2, C-7): staff enter a customer's
machine; the warranty date is derived; the customer sees its machines and reports a fault on
one of them; staff see the machine's fault reports; staff bound to another area see none of
it; another customer gets 404; absurd input gets a clear 4xx."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from servicekit.timeutil import business_date

from .access_helpers import new_staff
from .api import Api, eventually

pytestmark = pytest.mark.e2e

PRODUCTS = [{"name": "UV 墨水（设备）", "model": "INK-MC-1", "unit_price": "150.00",
             "category": "consumable"}]


async def approved_customer(api: Api, admin: Api, area: str) -> tuple[Api, str]:
    cid, user, pw = await api.register(area=area)
    r = await admin.post(f"/api/console/customers/{cid}/approve", json={"products": PRODUCTS})
    assert r.status_code == 200, r.text
    customer = api.as_user()
    await customer.login(user, pw)
    return customer, cid


async def register_machine(admin: Api, cid: str, **over) -> dict:
    """The service desk learns of the customer by event: retry until it knows it."""
    body = {"customer_id": cid, "purchase_date": "2026-01-31", "name": "UV 喷码机",
            "model": "UV-300", "quantity": 1, "machine_number": f"SN-{uuid.uuid4().hex[:8]}",
            "collection_status": "paid", "warranty_months": 12,
            "consumable_payment_method": "monthly", "salesperson": "王销售",
            "installation_engineer": "李工", "integrity": "完好", **over}

    async def post():
        r = await admin.post("/api/console/machines", json=body)
        return r if r.status_code == 201 else None
    return (await eventually(post)).json()


class TestInstalledBase:
    async def test_machine_warranty_fault_report_and_areas_S2_C7(self, system, api, admin):
        customer, cid = await approved_customer(api, admin, "华东")
        other, _ = await approved_customer(api, admin, "华北")
        m = await register_machine(admin, cid)
        assert m["warranty_until"] == "2027-01-30" and m["area"] == "华东"
        assert m["in_warranty"] is (business_date().isoformat() <= "2027-01-30")
        old = await register_machine(admin, cid, purchase_date="2020-05-01",
                                     warranty_months=24, machine_number=None)
        assert old["warranty_until"] == "2022-04-30" and old["in_warranty"] is False

        mine = (await customer.get("/api/portal/machines")).json()
        assert {x["id"] for x in mine} == {m["id"], old["id"]}
        expired = (await customer.get("/api/portal/machines",
                                      params={"warranty": "expired"})).json()
        assert [x["id"] for x in expired] == [old["id"]]
        assert (await other.get(f"/api/portal/machines/{m['id']}")).status_code == 404
        assert (await other.get("/api/portal/machines")).json() == []

        r = await customer.post("/api/portal/service-requests",
                                json={"machine_id": m["id"], "description": "喷头堵塞，断线"})
        assert r.status_code == 201, r.text
        ticket = r.json()
        assert ticket["machine"] == "UV 喷码机" and ticket["machine_number"] == m["machine_number"]
        r = await other.post("/api/portal/service-requests",
                             json={"machine_id": m["id"], "description": "借用别人的设备"})
        assert r.status_code == 422 and "not one of your" in r.json()["detail"]

        history = (await admin.get("/api/console/service-requests",
                                   params={"machine_id": m["id"]})).json()
        assert [t["id"] for t in history] == [ticket["id"]]

        north, _ = await new_staff(admin, ["service_desk:query", "service_desk:entry"],
                                   areas=["华北"])
        assert (await north.get(f"/api/console/machines/{m['id']}")).status_code == 404
        listed = (await north.get("/api/console/machines", params={"customer_id": cid})).json()
        assert listed == []
        r = await north.patch(f"/api/console/machines/{m['id']}", json={"quantity": 3})
        assert r.status_code == 404
        r = await north.post("/api/console/machines", json={
            "customer_id": cid, "purchase_date": "2026-01-01", "name": "越权登记"})
        assert r.status_code == 404
        assert (await north.get(f"/api/console/service-requests/{ticket['id']}")).status_code \
            == 404
        r = await admin.get(f"/api/console/machines/{m['id']}")
        assert r.json()["quantity"] == 1

    async def test_absurd_input_gets_a_clear_4xx(self, system, api, admin):
        _, cid = await approved_customer(api, admin, "华南")
        m = await register_machine(admin, cid)
        tomorrow = (business_date() + timedelta(days=1)).isoformat()
        for body in ({"customer_id": cid, "purchase_date": tomorrow, "name": "x"},
                     {"customer_id": cid, "purchase_date": "2026-13-01", "name": "x"},
                     {"customer_id": cid, "purchase_date": "2026-01-01", "name": "x",
                      "quantity": 10**30},
                     {"customer_id": "not-a-uuid", "purchase_date": "2026-01-01", "name": "x"},
                     {"customer_id": cid, "purchase_date": "2026-01-01", "name": "\x00"},
                     [], "x" * 10_000):
            r = await admin.post("/api/console/machines", json=body)
            assert r.status_code == 422, (body, r.text)
            assert r.json()["detail"]
        r = await admin.post("/api/console/machines", json={
            "customer_id": cid, "purchase_date": "2026-01-01", "name": "重复",
            "machine_number": m["machine_number"]})
        assert r.status_code == 409 and "already registered" in r.json()["detail"]
        for path in ("/api/console/machines/nope", "/api/portal/machines/nope"):
            r = await admin.get(path)
            assert r.status_code in (403, 422)
        r = await admin.get("/api/console/machines", params={"q": "%_\\'\";--", "limit": 0})
        assert r.status_code == 422
        r = await admin.get("/api/console/machines", params={"q": "%_\\'\";--"})
        assert r.status_code == 200 and r.json() == []
