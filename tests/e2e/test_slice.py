"""The walking skeleton's slice, through the gateway, against the running system:
registration and review (C-2), ordering at own prices (O-3), batch review (O-5), payment
(O-6), invoices (I-1..I-3, O-7), points (P-2) and staff prompts (N-3)."""

from __future__ import annotations

import json
import secrets
from datetime import date
from decimal import Decimal

import pytest

from .api import Api, eventually, order_body

pytestmark = pytest.mark.e2e

PRODUCTS = [
    {"name": "UV 墨水（黑）", "model": "INK-UV-K-1L", "unit_price": "160.30"},
    {"name": "UV 墨水（青）", "model": "INK-UV-C-1L", "unit_price": "168.00"},
    {"name": "喷头清洗液", "model": "CLN-500ML", "unit_price": "45.50"},
]


async def approved_customer(api: Api, admin: Api) -> tuple[Api, str, list[dict]]:
    cid, user, pw = await api.register()
    r = await admin.post(f"/api/console/customers/{cid}/approve", json={"products": PRODUCTS})
    assert r.status_code == 200, r.text
    customer = api.as_user()
    await customer.login(user, pw)
    catalog = (await customer.get("/api/portal/catalog")).json()
    return customer, cid, catalog


async def place(customer: Api, body: dict) -> dict:
    async def attempt():
        r = await customer.post("/api/portal/orders", json=body)
        return r if r.status_code != 403 else None  # approval travels by event

    r = await eventually(attempt)
    assert r.status_code == 201, r.text
    return r.json()


class TestLogin:
    async def test_bad_credentials_are_401_and_do_not_reveal_the_user(self, system, api):
        unknown = await api.client.post("/api/auth/login",
                                        json={"username": "nobody-x", "password": "whatever1"})
        wrong = await api.client.post("/api/auth/login",
                                      json={"username": "admin", "password": "wrong-pass1"})
        assert unknown.status_code == wrong.status_code == 401
        assert unknown.json() == wrong.json()

    async def test_login_sets_http_only_cookie_that_works_without_bearer(self, system, api):
        r = await api.client.post("/api/auth/login", json={
            "username": "admin", "password": system.config.admin_password})
        assert r.status_code == 200
        assert r.json()["token_type"] == "bearer"
        assert "httponly" in r.headers["set-cookie"].lower()
        # the client keeps the cookie; no Authorization header is sent
        assert (await api.client.get("/api/console/orders")).status_code == 200

    async def test_no_credentials_is_401(self, system, api):
        assert (await api.client.get("/api/portal/orders")).status_code == 401
        assert (await api.client.get("/api/console/customers")).status_code == 401


class TestSlice:
    async def test_register_review_order_pay_invoice_points_C2_O3_O5_O6_I3_P2_N3(
            self, system, api, admin):
        cid, user, pw = await api.register()
        customer = api.as_user()
        await customer.login(user, pw)

        # C-2: not approved yet, cannot order
        r = await customer.post("/api/portal/orders", json=order_body([(
            "00000000-0000-0000-0000-000000000000", 1)]))
        assert r.status_code == 403

        pending = (await admin.get("/api/console/customers",
                                   params={"status": "pending_review"})).json()
        assert cid in [c["customer_id"] for c in pending]
        r = await admin.post(f"/api/console/customers/{cid}/approve", json={"products": PRODUCTS})
        assert r.status_code == 200, r.text

        catalog = (await customer.get("/api/portal/catalog")).json()
        by_model = {p["model"]: p for p in catalog}
        assert {m: p["unit_price"] for m, p in by_model.items()} == {
            "INK-UV-K-1L": "160.30", "INK-UV-C-1L": "168.00", "CLN-500ML": "45.50"}

        # O-3: the server computes the total from the customer's own prices
        order = await place(customer, order_body([
            (by_model["INK-UV-K-1L"]["product_id"], 5), (by_model["CLN-500ML"]["product_id"], 2)]))
        assert order["status"] == "submitted"
        assert order["total"] == "892.50"
        assert order["number"].startswith("DH")

        # N-3: a new order prompts the staff
        async def prompt():
            prompts = (await admin.get("/api/console/prompts")).json()
            return [p for p in prompts if order["number"] in json.dumps(p, ensure_ascii=False)]
        await eventually(prompt)

        # P-2: floor(892.50 / 20) = 44 points pending until paid
        async def points(expected):
            p = (await customer.get("/api/portal/points")).json()
            p = {k: p[k] for k in expected}  # P-1's names; reserved/threshold beside them
            return p if p == expected else None
        await eventually(lambda: points({"pending": 44, "total": 0, "redeemed": 0,
                                         "remaining": 0,
                                         "can_redeem": False}))

        # O-5: batch review
        r = await admin.post("/api/console/orders/review",
                             json={"order_ids": [order["id"]], "decision": "approve"})
        assert r.status_code == 200, r.text
        # reviewed orders move to the "processed" group at once (O-5)
        assert (await customer.get(f"/api/portal/orders/{order['id']}")).json()["status"] == \
            "processing"

        # O-6: two payments; the second completes it → order.payment_received
        today = date.today().isoformat()
        r = await admin.post(f"/api/console/orders/{order['id']}/payments",
                             json={"amount": "500.00", "paid_on": today, "method": "bank_transfer"})
        assert r.status_code == 201, r.text
        r = await admin.post(f"/api/console/orders/{order['id']}/payments",
                             json={"amount": "392.50", "paid_on": today, "method": "cash"})
        assert r.status_code == 201, r.text
        await eventually(lambda: points({"pending": 0, "total": 44, "redeemed": 0,
                                         "remaining": 44,
                                         "can_redeem": False}))

        # I-1..I-3, O-7: request → issue → confirm receipt → the order is invoiced
        r = await customer.post("/api/portal/invoice-requests", json={
            "order_ids": [order["id"]], "tax_number": "91330106MA2B000000"})
        assert r.status_code == 201, r.text
        invoice = r.json()
        assert invoice["status"] == "requested"
        r = await admin.post(f"/api/console/invoices/{invoice['id']}/issue", json={
            "invoice_number": f"INV{secrets.token_hex(4)}", "invoice_date": today})
        assert r.status_code == 200, r.text
        assert (await customer.get(f"/api/portal/orders/{order['id']}")).json()["invoiced"] is False
        r = await customer.post(f"/api/portal/invoices/{invoice['id']}/confirm-receipt")
        assert r.status_code == 200, r.text

        async def invoiced():
            return (await customer.get(f"/api/portal/orders/{order['id']}")).json()["invoiced"]
        await eventually(invoiced)

        mine = (await customer.get("/api/portal/orders")).json()
        assert [o["id"] for o in mine] == [order["id"]]


class TestIsolation:
    async def test_customer_b_cannot_see_customer_a_order(self, system, api, admin):
        a, _, catalog = await approved_customer(api, admin)
        order = await place(a, order_body([(catalog[0]["product_id"], 1)]))
        b, _, _ = await approved_customer(api, admin)
        assert (await b.get(f"/api/portal/orders/{order['id']}")).status_code == 404
        assert order["id"] not in [o["id"] for o in (await b.get("/api/portal/orders")).json()]
        r = await b.post("/api/portal/invoice-requests", json={"order_ids": [order["id"]]})
        assert r.status_code == 404

    async def test_customer_gets_403_on_every_console_route(self, system, api, admin):
        customer, cid, _ = await approved_customer(api, admin)
        some = "00000000-0000-0000-0000-000000000001"
        routes = [
            ("GET", "/api/console/customers"), ("GET", f"/api/console/customers/{cid}"),
            ("POST", f"/api/console/customers/{cid}/approve"),
            ("GET", "/api/console/orders"), ("POST", "/api/console/orders/review"),
            ("POST", f"/api/console/orders/{some}/payments"),
            ("GET", "/api/console/invoices"), ("POST", f"/api/console/invoices/{some}/issue"),
            ("GET", "/api/console/prompts"), ("GET", "/api/console/products"),
            ("GET", "/api/console/service-requests"), ("GET", "/api/console/nothing-here"),
        ]
        for method, path in routes:
            r = await customer.request(method, path, json={})
            assert r.status_code == 403, (method, path, r.status_code)


class TestBadInput:
    async def test_registration_errors_are_clear_and_leave_nothing_behind(self, system, api):
        username = f"bad{secrets.token_hex(4)}"
        body = {"username": username, "password": "secret-123", "company": {
            "name": "坏数据公司", "contact_person": "李四", "mobile": "12345",
            "address": "北京", "email": "x@example.cn"}}
        r = await api.client.post("/api/portal/register", json=body)
        assert r.status_code == 422, r.text
        assert "mobile" in r.json()["detail"]
        weak = await api.client.post("/api/portal/register", json={
            **body, "password": "short", "company": {**body["company"], "mobile": "13900001111"}})
        assert weak.status_code == 422 and "password" in weak.json()["detail"]
        # nothing was kept: the same username registers once the data is right
        body["company"]["mobile"] = "13900001111"
        assert (await api.client.post("/api/portal/register", json=body)).status_code == 201
        again = await api.client.post("/api/portal/register", json=body)
        assert again.status_code == 409

    async def test_order_errors_are_clear(self, system, api, admin):
        customer, _, catalog = await approved_customer(api, admin)
        pid = catalog[0]["product_id"]
        await place(customer, order_body([(pid, 1)]))
        cases = [
            order_body([(pid, 0)]),
            order_body([(pid, 1)], bill_type="paper"),
            order_body([(pid, 1)], days=-3),
            order_body([("not-a-uuid", 1)]),
            {"bill_type": "none", "lines": []},
        ]
        for body in cases:
            r = await customer.post("/api/portal/orders", json=body)
            assert r.status_code == 422, (body, r.text)
            assert r.json()["error"] and r.json()["detail"]
        r = await customer.client.post("/api/portal/orders", content=b"{not json",
                                       headers={**customer.headers,
                                                "content-type": "application/json"})
        assert r.status_code == 422

    async def test_payment_errors_are_clear(self, system, api, admin):
        customer, _, catalog = await approved_customer(api, admin)
        order = await place(customer, order_body([(catalog[2]["product_id"], 2)]))  # 91.00
        url = f"/api/console/orders/{order['id']}/payments"
        today = date.today().isoformat()
        for body in ({"amount": "-1", "paid_on": today, "method": "cash"},
                     {"amount": "abc", "paid_on": today, "method": "cash"},
                     {"amount": "1.001", "paid_on": today, "method": "cash"},
                     {"amount": "1", "paid_on": "2999-01-01", "method": "cash"},
                     {"amount": "1", "paid_on": today, "method": ""}):
            r = await admin.post(url, json=body)
            assert r.status_code == 422, (body, r.text)
        # more than the outstanding is a conflict with the order's state, naming it (O-6)
        r = await admin.post(url, json={"amount": "91.01", "paid_on": today, "method": "cash"})
        assert r.status_code == 409 and "91.00" in r.json()["detail"], r.text
        assert Decimal((await admin.get(f"/api/console/orders/{order['id']}")).json()[
            "paid_total"]) == 0


class TestApiDocument:
    async def test_openapi_lists_the_public_routes(self, system, api):
        doc = (await api.client.get("/api/openapi.json")).json()
        for path in ("/api/auth/login", "/api/portal/register", "/api/portal/orders",
                     "/api/portal/catalog", "/api/console/orders/review",
                     "/api/console/customers/{customer_id}/approve",
                     "/api/portal/invoices/{invoice_id}/confirm-receipt", "/api/portal/points",
                     "/api/console/prompts"):
            assert path in doc["paths"], path
        assert "x-missing-services" not in doc["info"]
        html = await api.client.get("/api/docs")
        assert html.status_code == 200 and "swagger" in html.text.lower()


class TestEntryPages:
    async def test_portal_and_console_urls_answer_in_chinese(self, system, api):
        from system import build_web

        build_web()  # the gateway serves web/dist as soon as it exists (a no-op when built)
        for path in ("/", "/console", "/console/orders"):
            r = await api.client.get(path)
            assert r.status_code == 200
            assert "订货" in r.text and '<div id="root">' in r.text


class TestEventualConsistencyIsInvisible:
    async def test_order_at_once_after_approval_and_invoice_at_once_after_review(
            self, system, api, admin):
        """Read models follow by event; a user acting immediately is not refused."""
        cid, user, pw = await api.register()
        customer = api.as_user()
        await customer.login(user, pw)
        r = await admin.post(f"/api/console/customers/{cid}/approve", json={"products": PRODUCTS})
        assert r.status_code == 200
        catalog = (await customer.get("/api/portal/catalog")).json()
        r = await customer.post("/api/portal/orders",
                                json=order_body([(catalog[0]["product_id"], 1)]))
        assert r.status_code == 201, r.text
        order = r.json()
        # an order is invoiced once approved (I-1): ask the moment staff approved it
        r = await admin.post("/api/console/orders/review",
                             json={"order_ids": [order["id"]], "decision": "approve"})
        assert r.status_code == 200, r.text
        r = await customer.post("/api/portal/invoice-requests", json={
            "order_ids": [order["number"]], "tax_number": "91330106MA2B000000"})
        assert r.status_code == 201, r.text
