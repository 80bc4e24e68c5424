"""Integration: the customer service's HTTP API and handlers on its real database
(migrations applied), with events written to the outbox (C-1..C-5, C-7, X-1)."""

import asyncio
import uuid
from datetime import date
from decimal import Decimal

from customer_service.messaging import registry
from dinghuo_contracts import PaymentReceived
from servicekit.testing import helpers as h
from sqlalchemy import text

CONSUMABLES = [
    {"name": "墨水", "model": "INK-B-1L", "unit_price": "160.30", "list_price": "200.00"},
    {"name": "清洗液", "model": "CL-500", "unit_price": "45.00"},
    {"name": "喷头", "model": "PH-01", "unit_price": "1200", "category": "accessory"},
]


def company(**overrides):
    body = {"name": "上海印美科技有限公司", "contact_person": "王芳",
            "mobile": "+86 138-1234-5678", "address": "上海市浦东新区张江路1号",
            "email": "Buyer@Yinmei.CN", "area": "华东", "tax_number": "91310000ma1fl0xx1x"}
    body.update(overrides)
    return {"company": body}


async def register(app, **overrides):
    principal = h.customer()
    async with h.client(app, principal) as c:
        r = await c.post("/api/portal/register", json=company(**overrides))
    assert r.status_code == 201, r.text
    return principal, r.json()


async def outbox_types(db, customer_id):
    async with db.engine.connect() as c:
        rows = await c.execute(text(
            "SELECT event_type FROM outbox WHERE envelope->'data'->>'customer_id' = :id "
            "ORDER BY seq"), {"id": str(customer_id)})
        return [r[0] for r in rows]


async def outbox_data(db, customer_id, event_type):
    async with db.engine.connect() as c:
        rows = await c.execute(text(
            "SELECT envelope->'data' FROM outbox WHERE envelope->'data'->>'customer_id' = :id "
            "AND event_type = :t ORDER BY seq"), {"id": str(customer_id), "t": event_type})
        return [r[0] for r in rows]


class TestRegister:
    async def test_registers_pending_with_number_and_event_C2(self, customer_app, customer_db):
        principal, body = await register(customer_app)
        assert body["customer_id"] == str(principal.customer_id)
        assert body["status"] == "pending_review"
        assert body["customer_number"].startswith("KH") and len(body["customer_number"]) == 8
        async with h.client(customer_app, principal) as c:
            profile = (await c.get("/api/portal/profile")).json()
        assert profile["mobile"] == "13812345678"
        assert profile["email"] == "buyer@yinmei.cn"
        assert profile["tax_number"] == "91310000MA1FL0XX1X"
        assert profile["grade"] == "normal" and profile["paid_total"] == "0.00"
        assert profile["rejection_reason"] is None
        assert await outbox_types(customer_db, principal.customer_id) == ["customer.registered"]

    async def test_same_customer_id_twice_is_409(self, customer_app):
        principal, _ = await register(customer_app)
        async with h.client(customer_app, principal) as c:
            r = await c.post("/api/portal/register", json=company(name="另一家"))
        assert r.status_code == 409
        assert r.json()["error"] == "Conflict" and "already registered" in r.json()["detail"]

    async def test_bad_input_gets_clear_422_naming_the_field_C1(self, customer_app):
        cases = {
            "company.mobile": company(mobile="12345"),
            "company.email": company(email="not-an-email"),
            "company.name": company(name="   "),
            "company.tax_number": company(tax_number="123"),
            "company.address": company(address=""),
        }
        async with h.client(customer_app, h.customer()) as c:
            for field, body in cases.items():
                r = await c.post("/api/portal/register", json=body)
                assert r.status_code == 422, (field, r.text)
                assert r.json()["detail"].startswith(field), r.json()
            missing = await c.post("/api/portal/register", json={"company": {"name": "x"}})
            assert missing.status_code == 422 and "contact_person" in missing.json()["detail"]
            too_long = await c.post("/api/portal/register", json=company(fax="1" * 41))
            assert too_long.status_code == 422 and "company.fax" in too_long.json()["detail"]
            not_json = await c.post("/api/portal/register", content=b"{",
                                    headers={"content-type": "application/json"})
            assert not_json.status_code == 422

    async def test_concurrent_registrations_get_distinct_numbers(self, customer_app):
        results = await asyncio.gather(*[register(customer_app) for _ in range(10)])
        numbers = {body["customer_number"] for _, body in results}
        assert len(numbers) == 10

    async def test_profile_of_unregistered_customer_is_404(self, customer_app):
        async with h.client(customer_app, h.customer()) as c:
            assert (await c.get("/api/portal/profile")).status_code == 404


class TestAccess:
    async def test_missing_token_is_401(self, customer_app):
        async with h.client(customer_app) as c:
            assert (await c.get("/api/portal/profile")).status_code == 401
            assert (await c.get("/api/console/customers")).status_code == 401

    async def test_customer_on_console_is_403_X3(self, customer_app):
        async with h.client(customer_app, h.customer()) as c:
            for path in ("/api/console/customers", "/api/console/products"):
                r = await c.get(path)
                assert r.status_code == 403 and r.json()["error"] == "Forbidden"

    async def test_review_needs_customers_review_X1(self, customer_app):
        principal, _ = await register(customer_app)
        cid = principal.customer_id
        async with h.client(customer_app, h.staff("customers:query", "customers:modify")) as s:
            r = await s.post(f"/api/console/customers/{cid}/approve",
                             json={"products": CONSUMABLES})
            assert r.status_code == 403 and "customers:review" in r.json()["detail"]
            r = await s.post(f"/api/console/customers/{cid}/reject", json={"reason": "x"})
            assert r.status_code == 403
            assert (await s.get(f"/api/console/customers/{cid}")).json()["status"] == (
                "pending_review")

    async def test_staff_bound_to_an_area_sees_only_its_customers_C7(self, customer_app):
        east, _ = await register(customer_app, area="华东", name="东区客户")
        north, _ = await register(customer_app, area="华北", name="北区客户")
        async with h.client(customer_app, h.staff("customers:*", areas=("华东",))) as s:
            assert (await s.get(f"/api/console/customers/{east.customer_id}")).status_code == 200
            r = await s.get(f"/api/console/customers/{north.customer_id}")
            assert r.status_code == 404
            listed = (await s.get("/api/console/customers", params={"limit": 200})).json()
            areas = {c["area"] for c in listed}
            assert areas == {"华东"}
            assert str(north.customer_id) not in {c["customer_id"] for c in listed}
            approve = await s.post(f"/api/console/customers/{north.customer_id}/approve",
                                   json={"products": CONSUMABLES})
            assert approve.status_code == 404


class TestList:
    async def test_status_filter_and_search(self, customer_app):
        mobile = f"139{uuid.uuid4().int % 10**8:08d}"
        principal, body = await register(customer_app, mobile=mobile, area="华南")
        async with h.client(customer_app, h.staff()) as s:
            r = await s.get("/api/console/customers", params={"status": "pending_review"})
            assert r.status_code == 200
            assert int(r.headers["x-total-count"]) >= 1
            assert {c["status"] for c in r.json()} == {"pending_review"}
            approved = await s.get("/api/console/customers", params={"status": "approved"})
            assert str(principal.customer_id) not in {c["customer_id"] for c in approved.json()}
            found = (await s.get("/api/console/customers", params={"q": mobile})).json()
            assert [c["customer_id"] for c in found] == [str(principal.customer_id)]
            assert set(found[0]) >= {"customer_id", "customer_number", "name", "contact_person",
                                     "mobile", "area", "status", "grade", "created_at"}
            by_number = (await s.get("/api/console/customers",
                                     params={"q": body["customer_number"].lower()})).json()
            assert [c["customer_id"] for c in by_number] == [str(principal.customer_id)]
            bad = await s.get("/api/console/customers", params={"status": "unknown"})
            assert bad.status_code == 422 and "status" in bad.json()["detail"]
            odd = await s.get("/api/console/customers", params={"q": "100%_\\"})
            assert odd.status_code == 200


class TestApprove:
    async def test_approve_sets_own_prices_and_emits_events_C2_C3(self, customer_app,
                                                                  customer_db):
        principal, _ = await register(customer_app)
        cid = principal.customer_id
        async with h.client(customer_app, h.customer(cid)) as c:
            assert (await c.get("/api/portal/catalog")).json() == []
        async with h.client(customer_app, h.staff("customers:review", username="li")) as s:
            r = await s.post(f"/api/console/customers/{cid}/approve",
                             json={"products": CONSUMABLES})
        assert r.status_code == 200, r.text
        detail = r.json()
        assert detail["status"] == "approved" and detail["reviewed_by"] == "li"
        assert len(detail["catalog"]) == 3
        async with h.client(customer_app, h.customer(cid)) as c:
            r = await c.get("/api/portal/catalog")
        assert r.headers["x-total-count"] == "3"
        catalog = {(i["name"], i["model"]): i for i in r.json()}
        ink = catalog[("墨水", "INK-B-1L")]
        assert (ink["unit_price"], ink["list_price"]) == ("160.30", "200.00")
        assert catalog[("清洗液", "CL-500")]["list_price"] == "45.00"  # defaults to unit price
        assert catalog[("喷头", "PH-01")]["unit_price"] == "1200.00"
        assert await outbox_types(customer_db, cid) == ["customer.registered",
                                                        "customer.approved"]
        [event] = await outbox_data(customer_db, cid, "customer.approved")
        assert event["approved_by"] == "li"
        assert sorted(line["unit_price"] for line in event["catalog"]) == [
            "1200.00", "160.30", "45.00"]

    async def test_products_are_shared_and_prices_are_per_customer_C3(self, customer_app):
        first, _ = await register(customer_app)
        second, _ = await register(customer_app)
        async with h.client(customer_app, h.staff()) as s:
            await s.post(f"/api/console/customers/{first.customer_id}/approve",
                         json={"products": CONSUMABLES[:1]})
            products = (await s.get("/api/console/products", params={"q": "INK-B-1L"})).json()
            assert len(products) == 1
            pid = products[0]["id"]
            r = await s.post(f"/api/console/customers/{second.customer_id}/approve",
                             json={"products": [{"product_id": pid, "unit_price": "155.00"}]})
            assert r.status_code == 200, r.text
            assert [(i["product_id"], i["unit_price"]) for i in r.json()["catalog"]] == [
                (pid, "155.00")]
        async with h.client(customer_app, h.customer(first.customer_id)) as c:
            assert (await c.get("/api/portal/catalog")).json()[0]["unit_price"] == "160.30"

    async def test_approve_twice_is_409(self, customer_app):
        principal, _ = await register(customer_app)
        url = f"/api/console/customers/{principal.customer_id}/approve"
        async with h.client(customer_app, h.staff()) as s:
            assert (await s.post(url, json={"products": CONSUMABLES})).status_code == 200
            again = await s.post(url, json={"products": CONSUMABLES})
            assert again.status_code == 409
            assert "only a customer pending review" in again.json()["detail"]
            reject = await s.post(f"/api/console/customers/{principal.customer_id}/reject",
                                  json={"reason": "重复"})
            assert reject.status_code == 409

    async def test_bad_approvals_are_422_and_change_nothing(self, customer_app):
        principal, _ = await register(customer_app)
        url = f"/api/console/customers/{principal.customer_id}/approve"
        async with h.client(customer_app, h.staff()) as s:
            cases = [
                ({"products": []}, "products"),
                ({}, "products"),
                ({"products": [{"name": "墨水", "model": "X", "unit_price": "0"}]},
                 "unit_price"),
                ({"products": [{"name": "墨水", "model": "X", "unit_price": "-5"}]},
                 "unit_price"),
                ({"products": [{"name": "墨水", "unit_price": "5"}]}, "model"),
                ({"products": [{"product_id": str(uuid.uuid4()), "unit_price": "5"}]},
                 "no product"),
                ({"products": [CONSUMABLES[0], CONSUMABLES[0]]}, "more than once"),
                ({"products": [{"name": "墨水", "model": "X", "unit_price": "5",
                                "category": "food"}]}, "category"),
            ]
            for body, words in cases:
                r = await s.post(url, json=body)
                assert r.status_code == 422, (body, r.text)
                assert words in r.json()["detail"], r.json()
            assert (await s.get(f"/api/console/customers/{principal.customer_id}")).json()[
                "status"] == "pending_review"

    async def test_unknown_customer_is_404(self, customer_app):
        async with h.client(customer_app, h.staff()) as s:
            r = await s.post(f"/api/console/customers/{uuid.uuid4()}/approve",
                             json={"products": CONSUMABLES})
            assert r.status_code == 404
            assert (await s.get(f"/api/console/customers/{uuid.uuid4()}")).status_code == 404
            assert (await s.get("/api/console/customers/not-a-uuid")).status_code == 422


class TestRejectAndResubmit:
    async def test_reject_needs_a_reason_C2(self, customer_app):
        principal, _ = await register(customer_app)
        url = f"/api/console/customers/{principal.customer_id}/reject"
        async with h.client(customer_app, h.staff()) as s:
            for body in ({}, {"reason": "   "}, {"reason": "x" * 501}):
                r = await s.post(url, json=body)
                assert r.status_code == 422 and "reason" in r.json()["detail"], r.text

    async def test_rejected_customer_corrects_and_goes_back_to_review_C2_C5(
            self, customer_app, customer_db):
        principal, _ = await register(customer_app)
        cid = principal.customer_id
        async with h.client(customer_app, h.staff()) as s:
            r = await s.post(f"/api/console/customers/{cid}/reject",
                             json={"reason": " 税号与营业执照不符 "})
            assert r.status_code == 200, r.text
            assert r.json()["status"] == "rejected"
            assert r.json()["rejection_reason"] == "税号与营业执照不符"
        async with h.client(customer_app, principal) as c:
            profile = (await c.get("/api/portal/profile")).json()
            assert profile["status"] == "rejected"
            assert profile["rejection_reason"] == "税号与营业执照不符"
            r = await c.put("/api/portal/profile",
                            json=company(tax_number="91310000MA1FL0YY2Y", qq="123456"))
            assert r.status_code == 200, r.text
            assert r.json()["status"] == "pending_review"
            assert r.json()["rejection_reason"] is None
        assert await outbox_types(customer_db, cid) == [
            "customer.registered", "customer.rejected", "customer.updated"]
        [updated] = await outbox_data(customer_db, cid, "customer.updated")
        assert updated["changed_fields"] == ["qq", "tax_number", "status"]
        assert updated["changed_by_kind"] == "customer"
        async with h.client(customer_app, h.staff()) as s:
            r = await s.post(f"/api/console/customers/{cid}/approve",
                             json={"products": CONSUMABLES})
            assert r.status_code == 200

    async def test_approved_customer_update_prompts_staff_C5(self, customer_app, customer_db):
        principal, _ = await register(customer_app)
        cid = principal.customer_id
        async with h.client(customer_app, h.staff()) as s:
            await s.post(f"/api/console/customers/{cid}/approve", json={"products": CONSUMABLES})
        async with h.client(customer_app, principal) as c:
            same = await c.put("/api/portal/profile", json=company())
            assert same.status_code == 200
            r = await c.put("/api/portal/profile", json=company(mobile="13999998888"))
            assert r.json()["status"] == "approved" and r.json()["mobile"] == "13999998888"
            bad = await c.put("/api/portal/profile", json=company(email="x@"))
            assert bad.status_code == 422
        assert await outbox_types(customer_db, cid) == [
            "customer.registered", "customer.approved", "customer.updated"]
        [updated] = await outbox_data(customer_db, cid, "customer.updated")
        assert updated["changed_fields"] == ["mobile"]


class TestPrices:
    async def test_price_change_keeps_history_and_emits_event_C3(self, customer_app,
                                                                 customer_db):
        principal, _ = await register(customer_app)
        cid = principal.customer_id
        async with h.client(customer_app, h.staff(username="zhang")) as s:
            detail = (await s.post(f"/api/console/customers/{cid}/approve",
                                   json={"products": CONSUMABLES[:1]})).json()
            pid = detail["catalog"][0]["product_id"]
            url = f"/api/console/customers/{cid}/prices/{pid}"
            r = await s.put(url, json={"unit_price": "150.5"})
            assert r.status_code == 200, r.text
            assert r.json()["unit_price"] == "150.50" and r.json()["updated_by"] == "zhang"
            same = await s.put(url, json={"unit_price": "150.50"})  # no change, no history
            assert same.status_code == 200
            for bad in ("0", "-1", "abc", "1.234"):
                r = await s.put(url, json={"unit_price": bad})
                assert r.status_code == 422 and "unit_price" in r.json()["detail"]
            hist = await s.get(f"/api/console/customers/{cid}/prices/history")
            assert hist.headers["x-total-count"] == "2"
            rows = hist.json()
            assert [(x["old_price"], x["new_price"], x["reason"]) for x in rows] == [
                ("160.30", "150.50", "change"), (None, "160.30", "approval")]
            assert rows[0]["changed_by"] == "zhang" and rows[0]["name"] == "墨水"
        async with h.client(customer_app, principal) as c:
            assert (await c.get("/api/portal/catalog")).json()[0]["unit_price"] == "150.50"
        assert await outbox_types(customer_db, cid) == [
            "customer.registered", "customer.approved", "customer.price_changed"]
        [event] = await outbox_data(customer_db, cid, "customer.price_changed")
        assert (event["unit_price"], event["previous_price"], event["list_price"]) == (
            "150.50", "160.30", "200.00")

    async def test_adding_a_product_to_an_approved_customer(self, customer_app):
        principal, _ = await register(customer_app)
        cid = principal.customer_id
        async with h.client(customer_app, h.staff()) as s:
            await s.post(f"/api/console/customers/{cid}/approve",
                         json={"products": CONSUMABLES[:1]})
            model = f"M-{uuid.uuid4().hex[:8]}"
            product = (await s.post("/api/console/products", json={
                "name": "维修服务", "model": model, "category": "service",
                "list_price": "300"})).json()
            r = await s.put(f"/api/console/customers/{cid}/prices/{product['id']}",
                            json={"unit_price": "280"})
            assert r.status_code == 200, r.text
            assert len((await s.get(f"/api/console/customers/{cid}")).json()["catalog"]) == 2

    async def test_prices_need_an_approved_customer_and_permission(self, customer_app):
        pending, _ = await register(customer_app)
        approved, _ = await register(customer_app)
        async with h.client(customer_app, h.staff()) as s:
            detail = (await s.post(f"/api/console/customers/{approved.customer_id}/approve",
                                   json={"products": CONSUMABLES[:1]})).json()
            pid = detail["catalog"][0]["product_id"]
            r = await s.put(f"/api/console/customers/{pending.customer_id}/prices/{pid}",
                            json={"unit_price": "10"})
            assert r.status_code == 409 and "approved customer" in r.json()["detail"]
            r = await s.put(f"/api/console/customers/{approved.customer_id}/prices/"
                            f"{uuid.uuid4()}", json={"unit_price": "10"})
            assert r.status_code == 404 and r.json()["detail"] == "Product not found"
            r = await s.put(f"/api/console/customers/{uuid.uuid4()}/prices/{pid}",
                            json={"unit_price": "10"})
            assert r.status_code == 404 and r.json()["detail"] == "Customer not found"
        async with h.client(customer_app, h.staff("customers:query")) as s:
            r = await s.put(f"/api/console/customers/{approved.customer_id}/prices/{pid}",
                            json={"unit_price": "10"})
            assert r.status_code == 403
            assert (await s.get(f"/api/console/customers/{approved.customer_id}/prices/"
                                "history")).status_code == 200


class TestProducts:
    async def test_create_and_duplicate_is_409(self, customer_app):
        body = {"name": "墨盒", "model": f"CT-{uuid.uuid4().hex[:8]}", "category": "consumable",
                "list_price": "99.9"}
        async with h.client(customer_app, h.staff("customers:entry", "customers:query")) as s:
            r = await s.post("/api/console/products", json=body)
            assert r.status_code == 201, r.text
            assert r.json()["list_price"] == "99.90"
            dup = await s.post("/api/console/products",
                               json=body | {"name": " 墨盒 ", "list_price": "1"})
            assert dup.status_code == 409 and "already exists" in dup.json()["detail"]
            listed = await s.get("/api/console/products", params={"q": body["model"]})
            assert [p["model"] for p in listed.json()] == [body["model"]]
            bad = await s.post("/api/console/products", json=body | {"category": "food"})
            assert bad.status_code == 422 and "category" in bad.json()["detail"]
        async with h.client(customer_app, h.staff("customers:query")) as s:
            assert (await s.post("/api/console/products", json=body)).status_code == 403


class TestPaidConsumption:
    async def test_payment_received_twice_counts_once_C4(self, customer_app, customer_db):
        principal, _ = await register(customer_app)
        cid = principal.customer_id
        event = PaymentReceived(order_id=uuid.uuid4(), number="DH20261123-0001",
                                customer_id=cid, total=Decimal("801.50"),
                                amount_paid=Decimal("801.50"), paid_on=date(2026, 11, 23))
        env = await h.deliver(customer_db.sessionmaker, "customer", registry, event)
        await h.deliver(customer_db.sessionmaker, "customer", registry, env)  # redelivery
        await h.deliver(customer_db.sessionmaker, "customer", registry, event)  # new id
        second = PaymentReceived(order_id=uuid.uuid4(), number="DH20261123-0002",
                                 customer_id=cid, total=Decimal("100.25"),
                                 amount_paid=Decimal("100.25"), paid_on=date(2026, 11, 23))
        await h.deliver(customer_db.sessionmaker, "customer", registry, second)
        async with h.client(customer_app, principal) as c:
            assert (await c.get("/api/portal/profile")).json()["paid_total"] == "901.75"

    async def test_payment_for_unknown_customer_is_recorded_without_failing(self,
                                                                           customer_db):
        event = PaymentReceived(order_id=uuid.uuid4(), number="DH1", customer_id=uuid.uuid4(),
                                total=Decimal("1"), amount_paid=Decimal("1"),
                                paid_on=date(2026, 11, 23))
        await h.deliver(customer_db.sessionmaker, "customer", registry, event)
