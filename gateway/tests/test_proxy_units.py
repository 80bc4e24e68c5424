"""The proxy's rules that hold for every request (issue 8): any path a client sends makes
a valid upstream URL, no internal address leaves the gateway, and no process of ours
believes X-Forwarded-For on its own."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from dinghuo_gateway.config import Settings
from dinghuo_gateway.proxy.forwarder import Forwarder, upstream_target

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("raw", [
    b"/api/console/invoices/\x01\x1a\x7f", b"/api/console/customers/%1A%C3%B7/audit",
    "/api/portal/orders/订单".encode(), b"/api/portal/orders/%", b"/api/portal/orders/%zz",
    b"/api/portal/orders/a b", b"/api/portal/orders/\\..\\", b"/api/portal/orders/%E2%80%AE",
    b"api/portal/orders", b"/api/portal/orders/#frag", b"/api/portal/orders/\xff\xfe",
])
def test_every_path_makes_a_valid_upstream_url_X3(raw):
    target = upstream_target(raw, b"q=%00\x01&x=\xe4\xb8\xad%")
    assert target.startswith("/")
    url = httpx.URL("http://127.0.0.1:8102" + target)  # raises on an invalid URL
    assert url.host == "127.0.0.1"
    assert all(0x21 <= ord(c) < 0x7f for c in target)


def test_encoded_bytes_stay_as_the_client_sent_them_X3():
    assert upstream_target(b"/api/portal/orders/a%2Fb", b"status=a%26b") == \
        "/api/portal/orders/a%2Fb?status=a%26b"
    assert upstream_target(b"/x/\x01", b"") == "/x/%01"


def test_a_location_naming_a_service_becomes_a_gateway_path_X3():
    fwd = Forwarder(Settings(order_url="http://10.1.2.3:8102"))
    assert fwd.public_location("http://10.1.2.3:8102/api/portal/orders?x=1") == \
        "/api/portal/orders?x=1"
    assert fwd.public_location("/api/portal/orders/1") == "/api/portal/orders/1"
    assert fwd.public_location("https://pay.example.cn/x") == "https://pay.example.cn/x"


def test_a_services_503_reaches_the_client_with_retry_after_X2():
    """A service whose database is away answers 503 with Retry-After (issue 14): the
    gateway passes the header on, so clients know when to try again."""
    fwd = Forwarder(Settings())
    upstream = httpx.Response(503, headers={"Retry-After": "5"}, json={
        "error": "ServiceUnavailable", "detail": "try again in a few seconds"})
    relayed = fwd.relay(upstream)
    assert relayed.status_code == 503
    assert relayed.headers["retry-after"] == "5"


def launch_commands() -> list[tuple[str, str]]:
    """Every uvicorn command line in the files that start our processes."""
    files = [ROOT / "docker-compose.yml", ROOT / "deploy" / "entrypoint.sh",
             ROOT / "tools" / "system.py",
             *sorted((ROOT / "deploy" / "k8s" / "base").rglob("*.yaml"))]
    out = []
    for f in files:
        text = f.read_text().replace("\\\n", " ")  # shell line continuations
        for m in re.finditer(r'(?:\["uvicorn"|exec uvicorn|"-m", "uvicorn")[^\n]*', text):
            out.append((f.name, m.group(0)))
    return out


def test_no_process_believes_forwarded_headers_by_itself_X3():
    """uvicorn rewrites the client address from X-Forwarded-For when the peer is
    127.0.0.1 (its default) or anyone (`--forwarded-allow-ips *`): the login rate limit
    and the audit's addresses could be spoofed. Only the gateway decides, from
    GATEWAY_TRUSTED_PROXIES."""
    commands = launch_commands()
    assert len(commands) >= 15, commands
    system_py = (ROOT / "tools" / "system.py").read_text()
    assert '"--no-proxy-headers"' in system_py
    for name, cmd in commands:
        if name == "system.py":
            continue
        assert "--no-proxy-headers" in cmd, (name, cmd)
        assert "forwarded-allow-ips" not in cmd, (name, cmd)


async def test_bodies_beyond_the_limit_are_413_declared_or_streamed_X3(gateway_url):
    """An absurd body is refused before it is held in memory (issue 8)."""
    from dinghuo_gateway.app import create_app

    from .conftest import client, gateway_settings

    app = create_app(gateway_settings(gateway_url, max_body_bytes=1024 * 1024))
    try:
        async with client(app) as c:
            big = b"x" * (1024 * 1024 + 1)
            r = await c.post("/api/auth/login", content=big,
                             headers={"content-type": "application/json"})
            assert r.status_code == 413 and r.json()["error"] == "PayloadTooLarge"
            assert "MB" in r.json()["detail"]

            async def chunks():
                for _ in range(20):
                    yield b"y" * 65536

            r = await c.post("/api/auth/login", content=chunks(),
                             headers={"content-type": "application/json"})
            assert r.status_code == 413 and r.json()["error"] == "PayloadTooLarge"
            r = await c.post("/api/auth/login", json={"username": "x", "password": "y"})
            assert r.status_code in (401, 422)
    finally:
        await app.state.db.dispose()


async def test_one_pooled_keep_alive_client_per_service_issue16():
    """issue 16: each service has its own HTTP client, made once with room for many
    idle connections; forwarded requests reuse one open connection instead of
    connecting each time, and closing the forwarder closes them all."""
    import asyncio
    import socket

    import uvicorn

    async def upstream(scope, receive, send):
        if scope["type"] != "http":
            return
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": b"[]"})

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(upstream, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off"))
    serving = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    url = f"http://127.0.0.1:{port}"
    forwarder = Forwarder(Settings(order_url=url, customer_url=url))
    try:
        assert set(forwarder.clients) == set(Settings().service_urls())
        assert forwarder.clients["order"] is not forwarder.clients["customer"]
        peers = set()
        for _ in range(5):
            r = await forwarder.forward("order", "GET", "/api/portal/orders", None)
            assert r.status_code == 200 and r.body == b"[]"
            pool = forwarder.clients["order"]._transport._pool  # noqa: SLF001
            peers.update(c._connection._network_stream  # noqa: SLF001
                         .get_extra_info("socket").getsockname() for c in pool.connections)
        assert len(peers) == 1  # one connection, kept alive and reused
        assert pool._max_keepalive_connections >= 100  # noqa: SLF001
    finally:
        await forwarder.close()
        server.should_exit = True
        await serving
    assert all(c.is_closed for c in forwarder.clients.values())


async def test_internal_tokens_are_signed_once_per_caller_and_half_minute_issue16(
        monkeypatch):
    """issue 16: the internal token is reused for the same caller while it has more than
    half its life left; another permission, area or sensitive state is another token."""
    import dataclasses
    import uuid

    from dinghuo_gateway.proxy import forwarder as fw
    from servicekit.auth import Principal, verify_internal_token

    settings = Settings()
    forwarder = Forwarder(settings)
    signed: list[Principal] = []
    real_sign = fw.sign_internal_token
    monkeypatch.setattr(fw, "sign_internal_token",
                        lambda p, secret: signed.append(p) or real_sign(p, secret))
    staff = Principal(subject=str(uuid.uuid4()), kind="staff", username="s",
                      permissions=frozenset({"orders:query"}), areas=frozenset({"华东"}))
    try:
        first = forwarder.internal_token(staff)
        assert forwarder.internal_token(staff) == first and signed == [staff]
        assert verify_internal_token(first, settings.internal_token_secret) == staff
        fewer = dataclasses.replace(staff, permissions=frozenset())
        other = forwarder.internal_token(fewer)
        assert not verify_internal_token(other, settings.internal_token_secret).permissions
        unlocked = dataclasses.replace(staff, sensitive=True)
        assert verify_internal_token(forwarder.internal_token(unlocked),
                                     settings.internal_token_secret).sensitive
        assert signed == [staff, fewer, unlocked]
        token, good_until = forwarder._tokens[staff]  # noqa: SLF001
        assert good_until - fw.time.monotonic() <= fw.TOKEN_TTL_SECONDS / 2
        forwarder._tokens[staff] = (token, fw.time.monotonic() - 1)  # noqa: SLF001
        forwarder.internal_token(staff)  # re-signed past half its life
        assert signed == [staff, fewer, unlocked, staff]
    finally:
        await forwarder.close()
