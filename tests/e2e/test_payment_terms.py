"""Payment terms and due dates through the gateway, against the running system (O-6,
C-7): staff set a customer's terms in the customer service, the order service learns
them from customer.payment_terms_changed, and every order approved afterwards is due that
many days after the business date (Asia/Shanghai) of its approval."""

from __future__ import annotations

import uuid
from datetime import timedelta

import asyncpg
import pytest
from servicekit.db import asyncpg_dsn
from servicekit.timeutil import business_date

from .access_helpers import new_staff
from .api import eventually, order_body
from .test_slice import approved_customer, place

pytestmark = pytest.mark.e2e


async def order_service_terms(system, customer_id: str) -> int | None:
    """The customer's payment terms as the order service's read model holds them."""
    conn = await asyncpg.connect(asyncpg_dsn(system.config.database_url("order")))
    try:
        return await conn.fetchval(
            "SELECT payment_terms_days FROM customer_view WHERE customer_id = $1",
            uuid.UUID(customer_id))
    finally:
        await conn.close()


async def learned(system, customer_id: str, days: int) -> None:
    async def check():
        return await order_service_terms(system, customer_id) == days
    await eventually(check)


class TestPaymentTerms:
    async def test_terms_give_each_approved_order_its_due_date_O6(self, system, api, admin):
        customer, cid, catalog = await approved_customer(api, admin)
        pid = catalog[0]["product_id"]
        detail = (await admin.get(f"/api/console/customers/{cid}")).json()
        assert detail["payment_terms_days"] == 30  # CUSTOMER_DEFAULT_PAYMENT_TERMS_DAYS
        await learned(system, cid, 30)  # customer.approved carries the terms

        # terms 0: due on the day of approval
        r = await admin.put(f"/api/console/customers/{cid}/payment-terms", json={"days": 0})
        assert r.status_code == 200, r.text
        assert r.json()["payment_terms_days"] == 0
        await learned(system, cid, 0)
        first = await place(customer, order_body([(pid, 2)]))
        assert (first["due_date"], first["overdue"]) == (None, False)
        r = await admin.post("/api/console/orders/review",
                             json={"order_ids": [first["id"]], "decision": "approve"})
        assert r.status_code == 200, r.text
        today = business_date()
        got = (await customer.get(f"/api/portal/orders/{first['id']}")).json()
        assert got["due_date"] == today.isoformat()
        assert (got["outstanding"], got["paid_total"], got["overdue"]) == (
            got["total"], "0.00", False)

        # terms 10: due ten days after approval; the first order keeps its due date
        r = await admin.put(f"/api/console/customers/{cid}/payment-terms", json={"days": 10})
        assert r.status_code == 200, r.text
        await learned(system, cid, 10)
        second = await place(customer, order_body([(pid, 1)]))
        r = await admin.post("/api/console/orders/review",
                             json={"order_ids": [second["id"]], "decision": "approve"})
        assert r.status_code == 200, r.text
        got = (await admin.get(f"/api/console/orders/{second['id']}")).json()
        assert got["due_date"] == (business_date() + timedelta(days=10)).isoformat()
        assert got["outstanding"] == got["total"]
        assert (await admin.get(f"/api/console/orders/{first['id']}")).json()[
            "due_date"] == today.isoformat()

        # the lists: neither is overdue today
        r = await admin.get("/api/console/orders",
                            params={"overdue": "false", "customer_id": cid, "limit": 200})
        assert r.status_code == 200, r.text
        listed = {o["id"]: o for o in r.json()}
        assert {first["id"], second["id"]} <= set(listed)
        assert listed[second["id"]]["due_date"] == got["due_date"]
        r = await admin.get("/api/console/orders", params={"overdue": "true",
                                                           "customer_id": cid})
        assert r.status_code == 200 and r.json() == [], r.text
        mine = (await customer.get("/api/portal/orders", params={"overdue": "false"})).json()
        assert {first["id"], second["id"]} <= {o["id"] for o in mine}

        # the customer sees its terms, read-only
        profile = (await customer.get("/api/portal/profile")).json()
        assert profile["payment_terms_days"] == 10
        audit = (await admin.get(f"/api/console/customers/{cid}/audit")).json()
        assert [(a["before"], a["after"]) for a in audit
                if a["action"] == "payment_terms_changed"] == [
            ({"payment_terms_days": 0}, {"payment_terms_days": 10}),
            ({"payment_terms_days": 30}, {"payment_terms_days": 0})]

    async def test_staff_of_another_area_get_404_C7(self, system, api, admin):
        north_id, _, _ = await api.register(area="华北")
        east_id, _, _ = await api.register(area="华东")
        staff, _ = await new_staff(admin, ["customers:query", "customers:modify"],
                                   areas=["华东"])
        r = await staff.put(f"/api/console/customers/{north_id}/payment-terms",
                            json={"days": 0})
        assert r.status_code == 404, r.text
        assert (await admin.get(f"/api/console/customers/{north_id}")).json()[
            "payment_terms_days"] == 30
        r = await staff.put(f"/api/console/customers/{east_id}/payment-terms",
                            json={"days": 0})
        assert r.status_code == 200 and r.json()["payment_terms_days"] == 0, r.text

    async def test_bad_input_is_422_with_a_readable_detail(self, system, api, admin):
        cid, _, _ = await api.register()
        url = f"/api/console/customers/{cid}/payment-terms"
        expected = ("days: payment terms must be a whole number of days from 0 (due on "
                    "approval) to 365")
        for body in ({"days": -1}, {"days": 366}, {"days": "abc"}):
            r = await admin.put(url, json=body)
            assert r.status_code == 422, (body, r.text)
            assert (r.json()["error"], r.json()["detail"]) == ("ValidationError", expected)
        r = await admin.put(url, json={})
        assert r.status_code == 422, r.text
        assert r.json()["detail"] == "days: Field required"
        assert (await admin.get(f"/api/console/customers/{cid}")).json()[
            "payment_terms_days"] == 30
