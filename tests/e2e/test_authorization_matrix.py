"""The authorization matrix through the running system (X-1, C-7): for every
/api/console route in the merged OpenAPI document a staff user lacking its permission gets
403 and one holding it does not; a customer gets 403 on every console route; a staff user
limited to area A neither sees nor changes a customer of area B; customer A reads and
changes nothing of customer B.

The table below is explicit on purpose: a new console route without an entry fails
`test_every_console_route_is_in_the_table`. The permission of a service's route is the
`require_permission(...)` its endpoint depends on (grep services/*/src)."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import date

import pytest

from .access_helpers import new_staff
from .api import Api, eventually, order_body

pytestmark = pytest.mark.e2e

MODULES = ("customers", "orders", "payments", "invoices", "points", "service_desk",
           "messages", "reports", "settings", "ops")
ACTIONS = ("entry", "query", "modify", "review")
EVERY = frozenset(f"{m}:{a}" for m in MODULES for a in ACTIONS)
ANY_STAFF = None  # the route needs a staff user but no module permission

# Routes that also need the query password unlocked: holding the permission gets
# 403 SensitiveLocked until then (tests/e2e/test_analysis.py unlocks it).
SENSITIVE = {("GET", "/api/console/analysis/summary"),
             ("GET", "/api/console/analysis/consumables"),
             ("GET", "/api/console/analysis/customers/{customer_id}/consumables")}

# (method, path) → the permission it needs.
PERMISSIONS: dict[tuple[str, str], str | None] = {
    # customer service
    ("GET", "/api/console/customers"): "customers:query",
    ("GET", "/api/console/customers/{customer_id}"): "customers:query",
    ("PUT", "/api/console/customers/{customer_id}"): "customers:modify",
    ("PUT", "/api/console/customers/{customer_id}/grade"): "customers:review",
    ("PUT", "/api/console/customers/{customer_id}/cycle"): "customers:modify",
    ("PUT", "/api/console/customers/{customer_id}/payment-terms"): "customers:modify",
    ("PUT", "/api/console/customers/{customer_id}/credit-limit"): "customers:modify",
    ("GET", "/api/console/customers/{customer_id}/audit"): "customers:query",
    ("POST", "/api/console/customers/{customer_id}/approve"): "customers:review",
    ("POST", "/api/console/customers/{customer_id}/reject"): "customers:review",
    ("GET", "/api/console/products"): "customers:query",
    ("POST", "/api/console/products"): "customers:entry",
    ("PUT", "/api/console/products/{product_id}"): "customers:modify",
    ("PUT", "/api/console/customers/{customer_id}/prices/{product_id}"): "customers:modify",
    ("GET", "/api/console/customers/{customer_id}/prices/history"): "customers:query",
    ("GET", "/api/console/contacts"): "settings:query",
    ("POST", "/api/console/contacts"): "settings:modify",
    ("PUT", "/api/console/contacts/{contact_id}"): "settings:modify",
    ("DELETE", "/api/console/contacts/{contact_id}"): "settings:modify",
    # order service
    ("GET", "/api/console/orders/export.xlsx"): "orders:query",
    ("POST", "/api/console/orders"): "orders:entry",
    ("GET", "/api/console/orders"): "orders:query",
    ("POST", "/api/console/orders/review"): "orders:review",
    ("GET", "/api/console/orders/{order_id}"): "orders:query",
    ("GET", "/api/console/orders/{order_id}/timeline"): "orders:query",
    ("GET", "/api/console/orders/credit/{customer_id}"): "orders:query",
    ("POST", "/api/console/orders/{order_id}/credit-hold/release"): "payments:review",
    ("POST", "/api/console/orders/{order_id}/cancellation/approve"): "orders:review",
    ("POST", "/api/console/orders/{order_id}/cancellation/reject"): "orders:review",
    ("POST", "/api/console/orders/{order_id}/complete"): "orders:modify",
    ("POST", "/api/console/orders/{order_id}/shipments"): "orders:modify",
    ("GET", "/api/console/returns"): "orders:query",
    ("GET", "/api/console/returns/{return_id}"): "orders:query",
    ("POST", "/api/console/returns/{return_id}/approve"): "orders:review",
    ("POST", "/api/console/returns/{return_id}/reject"): "orders:review",
    ("POST", "/api/console/orders/{order_id}/payments"): "payments:entry",
    ("GET", "/api/console/orders/{order_id}/payments"): "payments:query",
    ("POST", "/api/console/orders/{order_id}/payments/{payment_id}/reversal"):
        "payments:entry",
    ("POST", "/api/console/orders/{order_id}/payments/{payment_id}/reversal/approve"):
        "payments:review",
    ("POST", "/api/console/orders/{order_id}/payments/{payment_id}/reversal/reject"):
        "payments:review",
    ("POST", "/api/console/orders/{order_id}/refunds"): "payments:entry",
    # monthly statements (B-1): reading and the Excel file need payments:query, answering a
    # dispute payments:review; staff bound to areas see their areas only (test_statements.py)
    ("GET", "/api/console/statements"): "payments:query",
    ("GET", "/api/console/customers/{customer_id}/statements"): "payments:query",
    ("GET", "/api/console/customers/{customer_id}/statements/{month}/export"):
        "payments:query",
    ("POST", "/api/console/customers/{customer_id}/statements/{month}/resolve"):
        "payments:review",
    # operators' "run now" of the reminder jobs (O-6, N-2); staff bound to areas get 403
    # even with the permission (tests/e2e/test_reminders.py); the holders here have none
    ("POST", "/api/console/reminders/run"): "messages:entry",
    # invoice, points, service desk
    ("GET", "/api/console/invoices"): "invoices:query",
    ("GET", "/api/console/invoices/export.xlsx"): "invoices:query",
    ("GET", "/api/console/invoices/{invoice_id}"): "invoices:query",
    ("POST", "/api/console/invoices/{invoice_id}/issue"): "invoices:entry",
    ("POST", "/api/console/invoices/{invoice_id}/reject"): "invoices:review",
    # points (P-1..P-3): writing the programme also needs no area limit (staff bound to
    # areas get 403 even with the permission); area-bound staff reach their customers only
    ("GET", "/api/console/points/customers"): "points:query",
    ("GET", "/api/console/points/customers/{customer_id}"): "points:query",
    ("GET", "/api/console/points/customers/{customer_id}/movements"): "points:query",
    ("GET", "/api/console/points/customers/{customer_id}/redemptions"): "points:query",
    ("POST", "/api/console/points/customers/{customer_id}/adjustments"): "points:entry",
    ("GET", "/api/console/points/rules"): "points:query",
    ("POST", "/api/console/points/rules"): "points:modify",
    ("GET", "/api/console/points/event-months"): "points:query",
    ("PUT", "/api/console/points/event-months"): "points:modify",
    ("GET", "/api/console/points/description"): "points:query",
    ("PUT", "/api/console/points/description"): "points:modify",
    ("GET", "/api/console/analysis/summary"): "reports:query",
    ("GET", "/api/console/analysis/consumables"): "reports:query",
    ("GET", "/api/console/analysis/orders"): "reports:query",
    ("GET", "/api/console/analysis/orders/export.xlsx"): "reports:query",
    # anomaly analysis (A-3, B-6) and order status per customer; staff bound to
    # areas reach their areas only (tests/e2e/test_anomalies.py); a customer's
    # consumables also need the query password (SENSITIVE)
    ("GET", "/api/console/analysis/anomalies"): "reports:query",
    ("GET", "/api/console/analysis/anomalies/{customer_id}"): "reports:query",
    ("POST", "/api/console/analysis/anomalies/{customer_id}/follow-ups"): "reports:query",
    ("GET", "/api/console/analysis/customers/{customer_id}/status"): "reports:query",
    ("GET", "/api/console/analysis/customers/{customer_id}/consumables"): "reports:query",
    # the console home's charts: amounts null until the query password
    ("GET", "/api/console/analysis/dashboard"): "reports:query",
    ("GET", "/api/console/machines"): "service_desk:query",
    ("POST", "/api/console/machines"): "service_desk:entry",
    ("GET", "/api/console/machines/{machine_id}"): "service_desk:query",
    ("PATCH", "/api/console/machines/{machine_id}"): "service_desk:entry",
    ("GET", "/api/console/maintenance/categories"): "service_desk:query",
    ("POST", "/api/console/maintenance/categories"): "service_desk:modify",
    ("GET", "/api/console/maintenance/unprocessed"): "service_desk:query",
    ("GET", "/api/console/maintenance/stats"): "service_desk:query",
    ("GET", "/api/console/maintenance-records"): "service_desk:query",
    ("GET", "/api/console/maintenance-records/export.xlsx"): "service_desk:query",
    ("POST", "/api/console/maintenance-records"): "service_desk:entry",
    ("GET", "/api/console/maintenance-records/{record_id}"): "service_desk:query",
    ("PATCH", "/api/console/maintenance-records/{record_id}"): "service_desk:entry",
    ("POST", "/api/console/maintenance-records/{record_id}/entries"): "service_desk:entry",
    ("POST", "/api/console/maintenance-records/{record_id}/suspend"): "service_desk:entry",
    ("POST", "/api/console/maintenance-records/{record_id}/resume"): "service_desk:entry",
    ("POST", "/api/console/maintenance-records/{record_id}/points"): "service_desk:entry",
    ("POST", "/api/console/maintenance-records/{record_id}/points/release"):
        "service_desk:entry",
    ("GET", "/api/console/service-requests"): "service_desk:query",
    ("GET", "/api/console/service-requests/{request_id}"): "service_desk:query",
    ("POST", "/api/console/service-requests/{request_id}/replies"): "service_desk:entry",
    ("POST", "/api/console/service-requests/{request_id}/close"): "service_desk:entry",
    ("GET", "/api/console/service-requests/{request_id}/photos/{photo_id}"): "service_desk:query",
    # notify: every staff user sees the prompts (N-3)
    ("GET", "/api/console/prompts"): ANY_STAFF,
    ("GET", "/api/console/prompts/stream"): ANY_STAFF,
    ("POST", "/api/console/prompts/read-all"): ANY_STAFF,
    ("POST", "/api/console/prompts/{prompt_id}/read"): ANY_STAFF,
    # notify: bulletin board and technical guidance (N-4); writing also needs no area
    # limit (staff bound to areas get 403 even with the permission, test_articles.py)
    ("GET", "/api/console/articles"): "messages:query",
    ("POST", "/api/console/articles"): "messages:entry",
    ("GET", "/api/console/articles/{article_id}"): "messages:query",
    ("PUT", "/api/console/articles/{article_id}"): "messages:modify",
    # notify: staff batch messages (N-1) and the delivery log (N-2); area-bound staff
    # reach their areas only (test_staff_messages.py)
    ("POST", "/api/console/messages"): "messages:entry",
    ("POST", "/api/console/messages/preview"): "messages:entry",
    ("GET", "/api/console/messages"): "messages:query",
    ("GET", "/api/console/messages/{batch_id}"): "messages:query",
    ("GET", "/api/console/deliveries"): "messages:query",
    ("POST", "/api/console/deliveries/{delivery_id}/retry"): "messages:entry",
    # gateway: staff users, roles, audit
    ("GET", "/api/console/staff"): "settings:query",
    ("POST", "/api/console/staff"): "settings:entry",
    ("GET", "/api/console/staff/{user_id}"): "settings:query",
    ("PUT", "/api/console/staff/{user_id}"): "settings:modify",
    ("POST", "/api/console/staff/{user_id}/reset-password"): "settings:modify",
    ("GET", "/api/console/roles"): "settings:query",
    ("POST", "/api/console/roles"): "settings:entry",
    ("PUT", "/api/console/roles/{role_id}"): "settings:modify",
    ("GET", "/api/console/permissions"): "settings:query",
    ("GET", "/api/console/audit"): "settings:query",
    # gateway: dead letters and unsent events (B-7); staff bound to areas get 403 even
    # with the permission (tests/e2e/test_dead_letters.py)
    ("GET", "/api/console/ops/dead-letters"): "ops:query",
    ("GET", "/api/console/ops/dead-letters/queues"): "ops:query",
    ("GET", "/api/console/ops/dead-letters/{dead_letter_id}"): "ops:query",
    ("POST", "/api/console/ops/dead-letters/{dead_letter_id}/replay"): "ops:entry",
    ("POST", "/api/console/ops/dead-letters/{dead_letter_id}/discard"): "ops:modify",
    ("GET", "/api/console/ops/outbox-failures"): "ops:query",
    ("POST", "/api/console/ops/outbox-failures/{service}/{event_id}/replay"): "ops:entry",
}

HTTP_METHODS = ("get", "post", "put", "patch", "delete")
PRODUCTS = [{"name": "UV 墨水（黑）", "model": "INK-UV-K-1L", "unit_price": "160.30"},
            {"name": "喷头清洗液", "model": "CLN-500ML", "unit_price": "45.50"}]


async def console_routes(api: Api) -> set[tuple[str, str]]:
    doc = (await api.client.get("/api/openapi.json")).json()
    assert "x-missing-services" not in doc["info"], doc["info"]
    return {(m.upper(), path) for path, ops in doc["paths"].items()
            if path.startswith("/api/console/") for m in ops if m in HTTP_METHODS}


def concrete(path: str) -> str:
    """The route with a made-up id in every path parameter."""
    parts = [str(uuid.uuid4()) if p.startswith("{") else p for p in path.split("/")]
    return "/".join(parts)


async def call(api: Api, method: str, path: str) -> int:
    url = concrete(path)
    if path.endswith("/stream"):  # a server-sent event stream: the status is enough
        async with api.client.stream(method, url, headers={
                **api.headers, "Accept": "text/event-stream"}) as r:
            return r.status_code
    kw = {"json": {}} if method in ("POST", "PUT", "PATCH") else {}
    return (await api.request(method, url, **kw)).status_code


async def approved_customer(api: Api, admin: Api, **company) -> tuple[Api, str, list[dict]]:
    cid, user, pw = await api.register(**company)
    r = await admin.post(f"/api/console/customers/{cid}/approve", json={"products": PRODUCTS})
    assert r.status_code == 200, r.text
    customer = api.as_user()
    await customer.login(user, pw)
    return customer, cid, (await customer.get("/api/portal/catalog")).json()


class TestMatrix:
    async def test_every_console_route_is_in_the_table_X1(self, system, api):
        routes = await console_routes(api)
        missing = sorted(routes - set(PERMISSIONS))
        assert missing == [], f"console routes without a permission entry: {missing}"
        stale = sorted(set(PERMISSIONS) - routes)
        assert stale == [], f"table entries for routes that no longer exist: {stale}"
        for perm in PERMISSIONS.values():
            assert perm is None or perm in EVERY, perm

    async def test_lacking_the_permission_is_403_holding_it_is_not_X1(self, system, api,
                                                                      admin):
        routes = await console_routes(api)
        needed = sorted({p for p in PERMISSIONS.values() if p is not None})
        gate = asyncio.Semaphore(4)

        async def make(perms: frozenset[str]) -> Api:
            async with gate:
                return (await new_staff(admin, perms))[0]

        holders = dict(zip(needed, await asyncio.gather(
            *(make(frozenset({p})) for p in needed)), strict=True))
        # the strongest refusal: every other permission, only this one missing
        lackers = dict(zip(needed, await asyncio.gather(
            *(make(EVERY - {p}) for p in needed)), strict=True))
        nobody = await make(frozenset())

        problems = []
        for method, path in sorted(routes):
            perm = PERMISSIONS[(method, path)]
            if perm is None:
                status = await call(nobody, method, path)
                if status in (401, 403):
                    problems.append((method, path, "any staff", status))
                continue
            refused = await call(lackers[perm], method, path)
            if refused != 403:
                problems.append((method, path, f"lacking {perm}", refused))
            if (method, path) in SENSITIVE:
                # the permission is not enough: the query password must be unlocked too
                r = await holders[perm].request(method, concrete(path))
                if r.status_code != 403 or r.json().get("error") != "SensitiveLocked":
                    problems.append((method, path, f"holding {perm}", r.status_code))
                continue
            allowed = await call(holders[perm], method, path)
            if allowed in (401, 403):
                problems.append((method, path, f"holding {perm}", allowed))
        assert problems == []

    async def test_a_customer_gets_403_on_every_console_route_X1(self, system, api, admin):
        routes = await console_routes(api)
        customer, _, _ = await approved_customer(api, admin)
        problems = [(m, p, s) for m, p in sorted(routes)
                    if (s := await call(customer, m, p)) != 403]
        assert problems == []


class TestAreas:
    async def test_staff_of_area_a_neither_sees_nor_changes_area_b_C7(self, system, api,
                                                                    admin):
        east_id, _, _ = await api.register(area="华东")
        north_id, _, _ = await api.register(area="华北")
        staff, _ = await new_staff(admin, ["customers:query", "customers:modify",
                                           "customers:review"], areas=["华东"])

        assert (await staff.get(f"/api/console/customers/{east_id}")).status_code == 200
        listed = await staff.get("/api/console/customers", params={"limit": 200})
        ids = {c["customer_id"] for c in listed.json()}
        assert east_id in ids and north_id not in ids
        north = await staff.get("/api/console/customers", params={"area": "华北"})
        assert north.json() == []

        company = {"name": "北方公司", "contact_person": "赵六", "mobile": "13900005555",
                   "address": "北京市海淀区 1 号", "email": "zhao@example.cn", "area": "华北"}
        for method, path, body in (
                ("GET", f"/api/console/customers/{north_id}", None),
                ("PUT", f"/api/console/customers/{north_id}", {"company": company}),
                ("POST", f"/api/console/customers/{north_id}/approve",
                 {"products": PRODUCTS}),
                ("POST", f"/api/console/customers/{north_id}/reject",
                 {"reason": "资料不全，请补充"}),
                ("GET", f"/api/console/customers/{north_id}/prices/history", None),
                ("GET", f"/api/console/customers/{north_id}/audit", None)):
            r = await staff.request(method, path, **({"json": body} if body else {}))
            assert r.status_code in (403, 404), (method, path, r.status_code, r.text)
        # moving its own customer into another area is refused too
        r = await staff.put(f"/api/console/customers/{east_id}", json={
            "company": {**company, "name": "东方公司"}})
        assert r.status_code in (403, 404, 422), r.text
        r = await admin.get(f"/api/console/customers/{north_id}")
        assert r.status_code == 200 and r.json()["status"] == "pending_review"


class TestCustomerIsolation:
    async def test_customer_a_reads_and_changes_nothing_of_customer_b(self, system, api,
                                                                      admin):
        b, b_id, catalog = await approved_customer(api, admin)

        async def place():
            r = await b.post("/api/portal/orders",
                             json=order_body([(catalog[0]["product_id"], 2)]))
            return r if r.status_code == 201 else None
        order = (await eventually(place)).json()
        r = await admin.post("/api/console/orders/review",
                             json={"order_ids": [order["id"]], "decision": "approve"})
        assert r.status_code == 200, r.text
        r = await b.post("/api/portal/invoice-requests", json={
            "order_ids": [order["id"]], "tax_number": "91330106MA2B000000"})
        assert r.status_code == 201, r.text
        invoice = r.json()
        r = await admin.post(f"/api/console/invoices/{invoice['id']}/issue", json={
            "invoice_number": f"INV{uuid.uuid4().hex[:6]}",
            "invoice_date": date.today().isoformat()})
        assert r.status_code == 200, r.text
        r = await b.post("/api/portal/service-requests", json={
            "machine": "UV 喷码机", "description": "喷头堵塞，打印断线"})
        assert r.status_code == 201, r.text
        ticket = r.json()

        async def b_message():
            return (await b.get("/api/portal/messages")).json()
        message = (await eventually(b_message))[0]

        async def b_points():
            p = (await b.get("/api/portal/points")).json()
            return p if p["pending"] or p["total"] else None
        await eventually(b_points)

        async def b_state():
            o = (await b.get(f"/api/portal/orders/{order['id']}")).json()
            i = (await b.get(f"/api/portal/invoices/{invoice['id']}")).json()
            t = (await b.get(f"/api/portal/service-requests/{ticket['id']}")).json()
            return (o["status"], o.get("version"), o.get("remark"), i["status"],
                    t["status"], len(t.get("replies", [])))
        before = await b_state()
        a, _, _ = await approved_customer(api, admin)
        some = order["id"]
        for method, path, body in (
                ("GET", f"/api/portal/orders/{order['id']}", None),
                ("PUT", f"/api/portal/orders/{order['id']}", {"remark": "改一下"}),
                ("POST", f"/api/portal/orders/{order['id']}/cancel", {}),
                ("POST", f"/api/portal/orders/{order['id']}/cancellation-request",
                 {"reason": "不要了"}),
                ("GET", f"/api/portal/orders/{order['id']}/timeline", None),
                ("POST", "/api/portal/invoice-requests", {"order_ids": [some]}),
                ("GET", f"/api/portal/invoices/{invoice['id']}", None),
                ("PUT", f"/api/portal/invoice-requests/{invoice['id']}", {}),
                ("POST", f"/api/portal/invoices/{invoice['id']}/confirm-receipt", None),
                ("GET", f"/api/portal/service-requests/{ticket['id']}", None),
                ("POST", f"/api/portal/service-requests/{ticket['id']}/replies",
                 {"message": "我也来说两句"}),
                ("POST", f"/api/portal/messages/{message['id']}/read", None)):
            r = await a.request(method, path, **({"json": body} if body is not None else {}))
            assert r.status_code in (403, 404), (method, path, r.status_code, r.text)

        seen = json.dumps([(await a.get(p)).json() for p in (
            "/api/portal/orders", "/api/portal/invoices", "/api/portal/service-requests",
            "/api/portal/messages", "/api/portal/points/movements")], ensure_ascii=False)
        for secret in (order["id"], order["number"], invoice["id"], ticket["id"],
                       message["id"], b_id):
            assert secret not in seen
        points = (await a.get("/api/portal/points")).json()
        assert (points["pending"], points["total"]) == (0, 0)
        # B's things are untouched
        assert await b_state() == before
        unread = (await b.get("/api/portal/messages", params={"unread": "true"})).json()
        assert message["id"] in {m["id"] for m in unread}
