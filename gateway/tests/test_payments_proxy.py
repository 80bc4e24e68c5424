"""/api/payments/* through the gateway (B-2, O-6): the payment providers' notifications
and the development sandbox's pages reach the order service without a login and without
an internal token, with the providers' signature headers and the raw path and body as
sent, never the caller's cookie; an oversized body is a 413 before it is forwarded; the
sandbox page gets the HTML security headers."""

from __future__ import annotations

import httpx
import pytest
from dinghuo_gateway.app import create_app
from dinghuo_gateway.proxy.forwarder import Forwarder
from dinghuo_gateway.proxy.openapi import merge
from dinghuo_gateway.proxy.routes import PUBLIC, service_for

from .conftest import client, gateway_settings

ORDER = "http://order.internal:8102"


@pytest.fixture
async def proxied(gateway_url):
    """The gateway with its order service faked: every upstream request is recorded."""
    app = create_app(gateway_settings(gateway_url, order_url=ORDER, max_body_bytes=4096))
    seen: list[httpx.Request] = []

    def upstream(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path.startswith("/api/payments/sandbox/"):
            return httpx.Response(200, text="<!doctype html><p>沙箱支付</p>",
                                  headers={"content-type": "text/html; charset=utf-8"})
        return httpx.Response(200, json={"code": "SUCCESS"})

    forwarder = Forwarder(app.state.settings, transport=httpx.MockTransport(upstream))
    app.state.forwarder = forwarder
    yield app, seen
    await forwarder.close()
    await app.state.db.dispose()


async def test_notifications_go_to_the_order_service_without_a_login_B2(proxied):
    app, seen = proxied
    body = b'{"out_trade_no":"DH1","amount":"1.00"}'
    async with client(app) as c:
        r = await c.post("/api/payments/callbacks/sandbox", content=body, headers={
            "Content-Type": "application/json", "X-Sandbox-Signature": "abc",
            "X-Sandbox-Timestamp": "1", "X-Sandbox-Nonce": "n",
            "Wechatpay-Serial": "PUB_KEY_ID_1", "Cookie": "dinghuo_session=stolen",
            "X-Internal-Token": "forged", "Authorization": "Bearer x"})
    assert r.status_code == 200 and r.json() == {"code": "SUCCESS"}
    [sent] = seen
    assert str(sent.url) == f"{ORDER}/api/payments/callbacks/sandbox"
    assert sent.content == body
    assert sent.headers["x-sandbox-signature"] == "abc"
    assert sent.headers["wechatpay-serial"] == "PUB_KEY_ID_1"
    for name in ("cookie", "x-internal-token", "authorization"):
        assert name not in sent.headers, name


async def test_the_sandbox_page_keeps_its_raw_path_and_gets_the_csp_B2(proxied):
    app, seen = proxied
    async with client(app) as c:
        r = await c.get("/api/payments/sandbox/DH%2F1?x=%E4%B8%AD")
        form = await c.post("/api/payments/sandbox/DH1/pay",
                            content=b"", headers={"Content-Type":
                                                  "application/x-www-form-urlencoded"})
    assert r.status_code == form.status_code == 200
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert seen[0].url.raw_path == b"/api/payments/sandbox/DH%2F1?x=%E4%B8%AD"
    assert seen[1].method == "POST"


async def test_an_oversized_notification_is_413_and_not_forwarded_B2(proxied):
    app, seen = proxied
    async with client(app) as c:
        r = await c.post("/api/payments/callbacks/wechat", content=b"x" * 5000)
    assert r.status_code == 413 and seen == []


def test_payments_are_public_and_documented_without_bearer_B2():
    assert PUBLIC == {"payments": "order"}
    assert service_for("portal", "payment-providers") == "order"
    own = {"openapi": "3.1.0", "info": {"title": "x"}, "paths": {}}
    svc = {"paths": {"/api/payments/callbacks/{provider}": {"post": {"responses": {}}},
                     "/api/portal/orders/{order_id}/pay": {"post": {"responses": {}}}}}
    doc = merge(own, {"order": svc})
    assert doc["paths"]["/api/payments/callbacks/{provider}"]["post"]["security"] == []
    assert doc["paths"]["/api/portal/orders/{order_id}/pay"]["post"]["security"] == [
        {"bearer": []}]
