"""Integration: online payment (B-2, O-6) on the order service's real database, with the
development sandbox provider (its notifications are HMAC-signed like a real provider's).

The customer asks for an intent for its approved order's outstanding amount (an open one
is given again), the provider's verified notification records the payment once (a replay
changes nothing) and the payment that completes the order writes order.payment_received
to the outbox once; a forged notification (401), one for another amount (400) and an
unknown intent record nothing; another customer's order is a 404, an order owing nothing
a 409, a provider that is not enabled a 422. The sandbox's page pays through the same
callback path."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from dinghuo_contracts import CatalogLine, CustomerApproved
from order_service.app import create_app
from order_service.config import Settings
from order_service.messaging import registry
from order_service.payments.providers.sandbox import sandbox_notification
from order_service.payments.providers.settings import DEV_SANDBOX_SECRET
from servicekit.testing import helpers as h
from servicekit.timeutil import business_date
from sqlalchemy import text

TODAY = business_date()
CALLBACK = "/api/payments/callbacks/sandbox"


async def approved_customer(order_db, price="80.15"):
    cid, pid = uuid.uuid4(), uuid.uuid4()
    await h.deliver(order_db.sessionmaker, "order", registry, CustomerApproved(
        customer_id=cid, customer_number=f"C{cid.hex[:6]}", company_name=f"公司{cid.hex[:4]}",
        area="华东", approved_by="admin", payment_terms_days=30,
        catalog=[CatalogLine(product_id=pid, name="墨水", model="INK-1L",
                             unit_price=Decimal(price), list_price=None)]))
    return cid, pid


async def place(app, cid, pid, qty=2) -> dict:
    async with h.client(app, h.customer(cid)) as c:
        r = await c.post("/api/portal/orders", json={
            "delivery_date": (TODAY + timedelta(days=3)).isoformat(), "bill_type": "none",
            "lines": [{"product_id": str(pid), "quantity": qty}]})
    assert r.status_code == 201, r.text
    return r.json()


async def approved_order(app, order_db, qty=2) -> tuple[uuid.UUID, dict]:
    """An approved order of 2 × 80.15 = 160.30 of a new customer."""
    cid, pid = await approved_customer(order_db)
    order = await place(app, cid, pid, qty)
    async with h.client(app, h.staff(username="reviewer")) as s:
        r = await s.post("/api/console/orders/review",
                         json={"order_ids": [order["id"]], "decision": "approve"})
    assert r.status_code == 200, r.text
    return cid, order


async def pay(app, cid, order_id, provider="sandbox"):
    async with h.client(app, h.customer(cid)) as c:
        return await c.post(f"/api/portal/orders/{order_id}/pay", json={"provider": provider})


async def notify(app, out_trade_no, amount, **kw):
    headers, body = sandbox_notification(out_trade_no, Decimal(amount), DEV_SANDBOX_SECRET,
                                         **kw)
    async with h.client(app) as c:  # no internal token: the providers have none
        return await c.post(CALLBACK, content=body, headers=headers)


async def db_rows(order_db, sql, **params):
    async with order_db.engine.connect() as c:
        return (await c.execute(text(sql), params)).all()


async def payments_of(order_db, order_id):
    return await db_rows(order_db, "SELECT amount, method, reference, paid_on, recorded_by "
                         "FROM payments WHERE order_id = :id", id=uuid.UUID(order_id))


async def payment_received(order_db, order_id):
    return [r[0] for r in await db_rows(
        order_db, "SELECT envelope->'data' FROM outbox WHERE event_type = "
        "'order.payment_received' AND envelope->'data'->>'order_id' = :id", id=order_id)]


async def order_of(app, cid, order_id):
    async with h.client(app, h.customer(cid)) as c:
        r = await c.get(f"/api/portal/orders/{order_id}")
    assert r.status_code == 200, r.text
    return r.json()


@pytest.fixture(scope="module")
async def no_online_app(order_db_url):
    """The service with online payment off (production's default)."""
    app = create_app(Settings(database_url=order_db_url, environment="test",
                              payment_provider="none"))
    yield app
    await app.state.db.dispose()


class TestIntents:
    async def test_the_enabled_providers_are_listed_B2(self, order_app, no_online_app):
        async with h.client(order_app, h.customer()) as c:
            r = await c.get("/api/portal/payment-providers")
        assert r.status_code == 200
        assert r.json() == [{"provider": "sandbox", "method": "sandbox"}]
        async with h.client(no_online_app, h.customer()) as c:
            assert (await c.get("/api/portal/payment-providers")).json() == []

    async def test_an_intent_for_the_outstanding_amount_is_reused_B2_O6(self, order_app,
                                                                       order_db):
        cid, order = await approved_order(order_app, order_db)
        r = await pay(order_app, cid, order["id"])
        assert r.status_code == 200, r.text
        intent = r.json()
        assert intent["provider"] == "sandbox" and intent["status"] == "created"
        assert intent["amount"] == "160.30" and intent["currency"] == "CNY"
        [(number, status)] = await db_rows(
            order_db, "SELECT out_trade_no, status FROM payment_intents WHERE id = :id",
            id=uuid.UUID(intent["intent_id"]))
        assert status == "created" and number.isalnum() and len(number) <= 32
        assert intent["code_url"] == f"/api/payments/sandbox/{number}"
        # asking again gives the same open intent, not a second trade
        again = await pay(order_app, cid, order["id"])
        assert again.json()["intent_id"] == intent["intent_id"]
        async with h.client(order_app, h.customer(cid)) as c:
            polled = await c.get(f"/api/portal/orders/{order['id']}/payment-intents/"
                                 f"{intent['intent_id']}")
        assert polled.status_code == 200 and polled.json()["status"] == "created"

    async def test_an_expired_intent_is_replaced_B2(self, order_app, order_db):
        cid, order = await approved_order(order_app, order_db)
        first = (await pay(order_app, cid, order["id"])).json()
        async with order_db.engine.begin() as c:
            await c.execute(text("UPDATE payment_intents SET expires_at = now() - "
                                 "interval '1 minute' WHERE id = :id"),
                            {"id": uuid.UUID(first["intent_id"])})
        async with h.client(order_app, h.customer(cid)) as c:
            polled = await c.get(f"/api/portal/orders/{order['id']}/payment-intents/"
                                 f"{first['intent_id']}")
        assert polled.json()["status"] == "expired"
        second = (await pay(order_app, cid, order["id"])).json()
        assert second["intent_id"] != first["intent_id"] and second["status"] == "created"
        [(status,)] = await db_rows(order_db, "SELECT status FROM payment_intents "
                                    "WHERE id = :id", id=uuid.UUID(first["intent_id"]))
        assert status == "expired"

    async def test_another_customers_order_and_intent_are_not_found_B2(self, order_app,
                                                                       order_db):
        cid, order = await approved_order(order_app, order_db)
        intent = (await pay(order_app, cid, order["id"])).json()
        other, _ = await approved_customer(order_db)
        r = await pay(order_app, other, order["id"])
        assert r.status_code == 404
        async with h.client(order_app, h.customer(other)) as c:
            r = await c.get(f"/api/portal/orders/{order['id']}/payment-intents/"
                            f"{intent['intent_id']}")
        assert r.status_code == 404

    async def test_an_order_owing_nothing_is_409_B2_O6(self, order_app, order_db):
        cid, pid = await approved_customer(order_db)
        submitted = await place(order_app, cid, pid)
        r = await pay(order_app, cid, submitted["id"])
        assert r.status_code == 409 and "approved" in r.json()["detail"]
        _, order = await approved_order(order_app, order_db)
        async with h.client(order_app, h.staff()) as s:
            r = await s.post(f"/api/console/orders/{order['id']}/payments", json={
                "amount": "160.30", "paid_on": TODAY.isoformat(), "method": "bank_transfer"})
            assert r.status_code == 201, r.text
        r = await pay(order_app, order["customer_id"], order["id"])
        assert r.status_code == 409 and "fully paid" in r.json()["detail"]
        assert r.json()["error"] == "NothingOutstanding"

    async def test_a_provider_that_is_not_enabled_is_422_B2(self, order_app, no_online_app,
                                                            order_db):
        cid, order = await approved_order(order_app, order_db)
        r = await pay(order_app, cid, order["id"], provider="wechat")
        assert r.status_code == 422 and "'sandbox'" in r.json()["detail"]
        r = await pay(order_app, cid, order["id"], provider="paypal")
        assert r.status_code == 422
        r = await pay(no_online_app, cid, order["id"])
        assert r.status_code == 422 and "not enabled" in r.json()["detail"]


class TestCallbacks:
    async def test_a_verified_notification_records_the_payment_once_B2_O6(self, order_app,
                                                                         order_db):
        cid, order = await approved_order(order_app, order_db)
        intent = (await pay(order_app, cid, order["id"])).json()
        number = intent["code_url"].rsplit("/", 1)[1]
        headers, body = sandbox_notification(number, Decimal("160.30"), DEV_SANDBOX_SECRET,
                                             transaction_id="SANDBOX-T1")
        async with h.client(order_app) as c:
            first = await c.post(CALLBACK, content=body, headers=headers)
            replay = await c.post(CALLBACK, content=body, headers=headers)
        assert first.status_code == replay.status_code == 200
        assert first.json() == replay.json() == {"code": "SUCCESS"}
        [(amount, method, reference, paid_on, recorded_by)] = await payments_of(
            order_db, order["id"])
        assert (amount, method, reference) == (Decimal("160.30"), "sandbox", "SANDBOX-T1")
        assert paid_on == TODAY and recorded_by == "online:sandbox"
        detail = await order_of(order_app, cid, order["id"])
        assert detail["paid_total"] == "160.30" and detail["payment_status"] == "paid"
        # the payment that completes the order emits order.payment_received, once
        [event] = await payment_received(order_db, order["id"])
        assert event["amount_paid"] == "160.30" and event["paid_on"] == TODAY.isoformat()
        async with h.client(order_app, h.customer(cid)) as c:
            polled = (await c.get(f"/api/portal/orders/{order['id']}/payment-intents/"
                                  f"{intent['intent_id']}")).json()
        assert polled["status"] == "paid" and polled["paid_at"]
        # a second notification of another transaction for the paid intent changes nothing
        assert (await notify(order_app, number, "160.30")).status_code == 200
        assert len(await payments_of(order_db, order["id"])) == 1
        assert len(await payment_received(order_db, order["id"])) == 1
        # the timeline shows it, as the system's doing
        async with h.client(order_app, h.customer(cid)) as c:
            timeline = (await c.get(f"/api/portal/orders/{order['id']}/timeline")).json()
        [entry] = [e for e in timeline if e["action"] == "payment_recorded"]
        assert entry["actor_kind"] == "system" and entry["data"]["provider"] == "sandbox"

    async def test_a_forged_notification_is_401_and_records_nothing_B2(self, order_app,
                                                                      order_db):
        cid, order = await approved_order(order_app, order_db)
        number = (await pay(order_app, cid, order["id"])).json()["code_url"].rsplit("/", 1)[1]
        headers, body = sandbox_notification(number, Decimal("160.30"), "a-guessed-secret")
        async with h.client(order_app) as c:
            r = await c.post(CALLBACK, content=body, headers=headers)
            assert r.status_code == 401 and r.json()["code"] == "FAIL"
            headers, body = sandbox_notification(number, Decimal("1.00"), DEV_SANDBOX_SECRET)
            tampered = body.replace(b'"1.00"', b'"160.30"')
            r = await c.post(CALLBACK, content=tampered, headers=headers)
            assert r.status_code == 401
            r = await c.post(CALLBACK, content=body)  # no signature headers at all
            assert r.status_code == 401
        assert await payments_of(order_db, order["id"]) == []
        [(status,)] = await db_rows(order_db, "SELECT status FROM payment_intents "
                                    "WHERE out_trade_no = :n", n=number)
        assert status == "created"

    async def test_another_amount_is_refused_and_records_nothing_B2(self, order_app,
                                                                   order_db):
        cid, order = await approved_order(order_app, order_db)
        number = (await pay(order_app, cid, order["id"])).json()["code_url"].rsplit("/", 1)[1]
        for amount in ("160.29", "0.01", "1160.30"):
            r = await notify(order_app, number, amount)
            assert r.status_code == 400, r.text
            assert "amount" in r.json()["message"]
        r = await notify(order_app, number, "160.30", currency="USD")
        assert r.status_code == 400
        assert (await notify(order_app, "DH0000NOSUCHINTENT", "160.30")).status_code == 404
        assert await payments_of(order_db, order["id"]) == []
        assert await payment_received(order_db, order["id"]) == []

    async def test_a_closed_trade_fails_the_intent_B2(self, order_app, order_db):
        cid, order = await approved_order(order_app, order_db)
        intent = (await pay(order_app, cid, order["id"])).json()
        number = intent["code_url"].rsplit("/", 1)[1]
        r = await notify(order_app, number, "160.30", trade_state="CLOSED")
        assert r.status_code == 200
        async with h.client(order_app, h.customer(cid)) as c:
            polled = (await c.get(f"/api/portal/orders/{order['id']}/payment-intents/"
                                  f"{intent['intent_id']}")).json()
        assert polled["status"] == "failed"
        assert await payments_of(order_db, order["id"]) == []

    async def test_paid_meanwhile_by_other_means_notes_it_and_records_nothing_B2_O6(
            self, order_app, order_db):
        cid, order = await approved_order(order_app, order_db)
        intent = (await pay(order_app, cid, order["id"])).json()
        number = intent["code_url"].rsplit("/", 1)[1]
        async with h.client(order_app, h.staff()) as s:  # a transfer arrives meanwhile
            r = await s.post(f"/api/console/orders/{order['id']}/payments", json={
                "amount": "100.00", "paid_on": TODAY.isoformat(), "method": "bank_transfer"})
            assert r.status_code == 201, r.text
        r = await notify(order_app, number, "160.30", transaction_id="SANDBOX-LATE")
        assert r.status_code == 200  # acknowledged: the provider must stop resending
        [(status, txn, note, payment_id)] = await db_rows(
            order_db, "SELECT status, provider_transaction_id, note, payment_id "
            "FROM payment_intents WHERE out_trade_no = :n", n=number)
        assert (status, txn, payment_id) == ("paid", "SANDBOX-LATE", None)
        assert "refund" in note
        assert [p[1] for p in await payments_of(order_db, order["id"])] == ["bank_transfer"]
        assert (await order_of(order_app, cid, order["id"]))["paid_total"] == "100.00"
        assert await payment_received(order_db, order["id"]) == []
        async with h.client(order_app, h.customer(cid)) as c:
            timeline = (await c.get(f"/api/portal/orders/{order['id']}/timeline")).json()
        assert timeline[-1]["action"] == "online_payment_unapplied"
        # what is still owed gets its own intent
        rest = (await pay(order_app, cid, order["id"])).json()
        assert rest["amount"] == "60.30" and rest["intent_id"] != intent["intent_id"]

    async def test_a_partial_online_payment_does_not_complete_the_order_B2_O6(
            self, order_app, order_db):
        cid, order = await approved_order(order_app, order_db)
        async with h.client(order_app, h.staff()) as s:
            await s.post(f"/api/console/orders/{order['id']}/payments", json={
                "amount": "60.30", "paid_on": TODAY.isoformat(), "method": "cash"})
        intent = (await pay(order_app, cid, order["id"])).json()
        assert intent["amount"] == "100.00"
        assert (await notify(order_app, intent["code_url"].rsplit("/", 1)[1],
                             "100.00")).status_code == 200
        assert (await order_of(order_app, cid, order["id"]))["payment_status"] == "paid"
        assert len(await payment_received(order_db, order["id"])) == 1


class TestSandboxPage:
    async def test_the_page_pays_through_the_callback_path_B2(self, order_app, order_db):
        cid, order = await approved_order(order_app, order_db)
        intent = (await pay(order_app, cid, order["id"])).json()
        async with h.client(order_app) as c:  # the browser sends no internal token
            page = await c.get(intent["code_url"])
            assert page.status_code == 200
            assert page.headers["content-type"].startswith("text/html")
            assert "¥160.30" in page.text and order["number"] in page.text
            assert "确认支付" in page.text and "取消" in page.text
            assert '<form method="post"' in page.text and "<script" not in page.text
            assert f'href="/orders/{order["id"]}"' in page.text
            done = await c.post(intent["code_url"] + "/pay")
            assert done.status_code == 200 and "支付成功" in done.text
            assert f'href="/orders/{order["id"]}"' in done.text
            # the page now says it is paid; paying again records nothing more
            assert "此订单已支付" in (await c.get(intent["code_url"])).text
            assert (await c.post(intent["code_url"] + "/pay")).status_code == 200
        [(amount, method, *_)] = await payments_of(order_db, order["id"])
        assert (amount, method) == (Decimal("160.30"), "sandbox")
        assert len(await payment_received(order_db, order["id"])) == 1

    async def test_an_expired_code_cannot_be_paid_B2(self, order_app, order_db):
        cid, order = await approved_order(order_app, order_db)
        intent = (await pay(order_app, cid, order["id"])).json()
        async with order_db.engine.begin() as c:
            await c.execute(text("UPDATE payment_intents SET expires_at = now() - "
                                 "interval '1 minute' WHERE id = :id"),
                            {"id": uuid.UUID(intent["intent_id"])})
        async with h.client(order_app) as c:
            page = await c.get(intent["code_url"])
            assert "已失效" in page.text and "<form" not in page.text
            r = await c.post(intent["code_url"] + "/pay")
            assert r.status_code == 409 and "已失效" in r.text
        assert await payments_of(order_db, order["id"]) == []

    async def test_unknown_numbers_and_a_disabled_sandbox_are_404_B2(
            self, order_app, no_online_app, order_db):
        cid, order = await approved_order(order_app, order_db)
        intent = (await pay(order_app, cid, order["id"])).json()
        async with h.client(order_app) as c:
            assert (await c.get("/api/payments/sandbox/NOSUCH")).status_code == 404
            assert (await c.post("/api/payments/sandbox/NOSUCH/pay")).status_code == 404
        async with h.client(no_online_app) as c:
            assert (await c.get(intent["code_url"])).status_code == 404
            assert (await c.post(intent["code_url"] + "/pay")).status_code == 404
            r = await c.post(CALLBACK, content=b"{}")
            assert r.status_code == 404
        assert await payments_of(order_db, order["id"]) == []


class TestSettings:
    def test_online_payment_is_off_in_production_unless_chosen_B2(self):
        prod = {"environment": "production", "internal_token_secret": "s" * 40}
        assert Settings(**prod).payment_provider == "none"
        assert Settings(**prod).payment_providers_enabled == []
        assert Settings(**prod, payment_provider="").payment_provider == "none"
        assert Settings().payment_providers_enabled == ["sandbox"]
        assert Settings(environment="test").payment_provider == "sandbox"
        with pytest.raises(ValueError, match="PAYMENT_SANDBOX_SECRET"):
            Settings(**prod, payment_provider="sandbox", payment_sandbox_secret="")
        chosen = Settings(**prod, payment_provider="sandbox",
                          payment_sandbox_secret="p" * 40)
        assert chosen.payment_providers_enabled == ["sandbox"]

    def test_a_real_provider_needs_the_public_address_B2(self):
        alipay = {"payment_provider": "alipay", "alipay_app_id": "2021000000000001",
                  "alipay_app_private_key": "x", "alipay_public_key": "y"}
        with pytest.raises(ValueError, match="PAYMENT_PUBLIC_BASE_URL"):
            Settings(**alipay)
        ok = Settings(**alipay, payment_public_base_url="https://dinghuo.example.com/")
        assert ok.payment_providers_enabled == ["alipay"]


def test_callback_bodies_are_documented_for_the_fuzzer(order_app):
    doc = order_app.openapi()
    op = doc["paths"]["/api/payments/callbacks/{provider}"]["post"]
    assert "security" not in op  # no login
    assert json.dumps(op["requestBody"]["content"])
