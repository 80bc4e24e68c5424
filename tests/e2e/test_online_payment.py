"""Online payment end to end through the gateway (B-2, O-6, P-2): a customer pays its
approved order with the development sandbox — the intent, the sandbox's page (no login),
its 确认支付 form, whose signed notification goes through the same callback path a real
provider's would — and the payment is recorded once (a replay of the same notification
and a second click change nothing; a forged one is refused), the order is paid and its
points become effective downstream (order.payment_received)."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import httpx
import pytest
from order_service.payments.providers.sandbox import sandbox_notification
from order_service.payments.providers.settings import DEV_SANDBOX_SECRET

from .api import eventually, order_body
from .test_slice import approved_customer, place

pytestmark = pytest.mark.e2e


async def test_pay_an_approved_order_with_the_sandbox_B2_O6_P2(system, api, admin):
    customer, _, catalog = await approved_customer(api, admin)
    cleaner = next(p for p in catalog if p["model"] == "CLN-500ML")
    order = await place(customer, order_body([(cleaner["product_id"], 2)]))  # 91.00
    assert order["total"] == "91.00"
    oid = order["id"]

    # not approved yet: nothing to pay online
    r = await customer.post(f"/api/portal/orders/{oid}/pay", json={"provider": "sandbox"})
    assert r.status_code == 409, r.text
    r = await admin.post("/api/console/orders/review",
                         json={"order_ids": [oid], "decision": "approve"})
    assert r.status_code == 200, r.text

    r = await customer.get("/api/portal/payment-providers")
    assert r.json() == [{"provider": "sandbox", "method": "sandbox"}]
    r = await customer.post(f"/api/portal/orders/{oid}/pay", json={"provider": "wechat"})
    assert r.status_code == 422 and "sandbox" in r.json()["detail"]
    r = await customer.post(f"/api/portal/orders/{oid}/pay", json={"provider": "sandbox"})
    assert r.status_code == 200, r.text
    intent = r.json()
    assert (intent["amount"], intent["status"]) == ("91.00", "created")
    number = intent["code_url"].rsplit("/", 1)[1]
    assert intent["code_url"] == f"/api/payments/sandbox/{number}"

    # another customer sees nothing of it
    other, _, _ = await approved_customer(api, admin)
    r = await other.get(f"/api/portal/orders/{oid}/payment-intents/{intent['intent_id']}")
    assert r.status_code == 404

    async with httpx.AsyncClient(base_url=system.config.gateway_url, timeout=30) as browser:
        # the sandbox's page, as a phone or a new tab opens it: no login
        page = await browser.get(intent["code_url"])
        assert page.status_code == 200, page.text
        assert "¥91.00" in page.text and order["number"] in page.text
        assert "script-src 'self'" in page.headers["content-security-policy"]
        action = html.unescape(re.search(r'<form method="post" action="([^"]+)"',
                                         page.text).group(1))
        done = await browser.post(action)
        assert done.status_code == 200 and "支付成功" in done.text
        assert f'href="/orders/{oid}"' in done.text

        detail = (await customer.get(f"/api/portal/orders/{oid}")).json()
        assert detail["paid_total"] == detail["total"] == "91.00"
        assert detail["payment_status"] == "paid"
        [payment] = detail["payments"]
        assert payment["method"] == "sandbox" and Decimal(payment["amount"]) == Decimal("91")
        polled = await customer.get(
            f"/api/portal/orders/{oid}/payment-intents/{intent['intent_id']}")
        assert polled.json()["status"] == "paid"

        # the same notification again (providers resend until acknowledged) and a second
        # click on 确认支付 record nothing more; a forged notification is refused
        headers, body = sandbox_notification(number, Decimal("91.00"), DEV_SANDBOX_SECRET,
                                             transaction_id=payment["reference"])
        for _ in range(2):
            r = await browser.post("/api/payments/callbacks/sandbox", content=body,
                                   headers=headers)
            assert r.status_code == 200 and r.json() == {"code": "SUCCESS"}
        assert (await browser.post(action)).status_code == 200
        headers, body = sandbox_notification(number, Decimal("91.00"), "not-the-secret")
        r = await browser.post("/api/payments/callbacks/sandbox", content=body,
                               headers=headers)
        assert r.status_code == 401
    detail = (await customer.get(f"/api/portal/orders/{oid}")).json()
    assert len(detail["payments"]) == 1 and detail["paid_total"] == "91.00"
    r = await customer.post(f"/api/portal/orders/{oid}/pay", json={"provider": "sandbox"})
    assert r.status_code == 409

    # P-2: floor(91.00 / 20) = 4 points become effective once the order is paid
    async def effective():
        p = (await customer.get("/api/portal/points")).json()
        return p if (p["pending"], p["total"]) == (0, 4) else None
    await eventually(effective, timeout=60)
