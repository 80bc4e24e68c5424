"""Issue 8 (security and robustness), X-3: security headers on every gateway response, a
strict Content-Security-Policy on its HTML pages, /api/docs served without a public CDN
and without inline script, and the merged OpenAPI document's 422s as really sent.

The gateway app is built in-process (no database: none of these requests needs one)."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import httpx
import pytest
from dinghuo_gateway.app import SWAGGER_STATIC, create_app
from dinghuo_gateway.config import Settings
from dinghuo_gateway.proxy.openapi import merge
from dinghuo_gateway.security.headers import CONTENT_SECURITY_POLICY, SecurityHeadersMiddleware
from fastapi import FastAPI
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel

WEB = Path(__file__).resolve().parents[2] / "web"
ALWAYS = {"x-content-type-options": "nosniff",
          "referrer-policy": "strict-origin-when-cross-origin",
          "x-frame-options": "DENY"}


@pytest.fixture
def app(dist: Path) -> FastAPI:
    return create_app(Settings(web_dist=str(dist)))


async def get(app: FastAPI, path: str, method: str = "GET", **kwargs) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://gw") as c:
        return await c.request(method, path, **kwargs)


def csp(response: httpx.Response) -> dict[str, list[str]]:
    """The response's CSP as {directive: [sources]}."""
    policy = response.headers["content-security-policy"]
    parts = (p.split() for p in policy.split(";") if p.strip())
    return {p[0]: p[1:] for p in parts}


def assert_always(response: httpx.Response) -> None:
    for name, value in ALWAYS.items():
        assert response.headers.get(name) == value, (name, dict(response.headers))


@pytest.mark.parametrize("path", ["/", "/orders/new", "/console", "/console/customers/7",
                                  "/api/docs"])
async def test_html_pages_get_the_headers_and_a_strict_csp_X3(app, path):
    """X-3: the portal, the console and /api/docs: nosniff, referrer policy, no framing,
    and a CSP allowing scripts only from the gateway, never inline."""
    r = await get(app, path)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert_always(r)
    directives = csp(r)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["connect-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["style-src"] == ["'self'", "'unsafe-inline'"]


async def test_landing_pages_get_the_csp_too_X3():
    """X-3: before the web application is built, the landing pages are HTML as well."""
    app = create_app(Settings(web_dist=None))
    for path in ("/", "/console"):
        r = await get(app, path)
        assert_always(r)
        assert r.headers["content-security-policy"] == CONTENT_SECURITY_POLICY


def test_no_script_may_be_inline_or_evaluated_X3():
    """X-3: script-src is 'self' only: no 'unsafe-inline', no 'unsafe-eval', no host."""
    script_src = next(d for d in CONTENT_SECURITY_POLICY.split("; ")
                      if d.startswith("script-src "))
    assert script_src == "script-src 'self'"
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src


def test_the_web_pages_have_no_inline_script_X3():
    """X-3: the CSP holds for the web application: its pages (sources, and the build when
    there is one) load every script from a file. Vite turns the sources' external module
    script into an external /assets script and emits no inline one."""
    pages = [WEB / "index.html", WEB / "console" / "index.html",
             *(p for p in (WEB / "dist" / "index.html", WEB / "dist" / "console" / "index.html")
               if p.is_file())]
    for page in pages:
        scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", page.read_text(), re.S)
        assert scripts, page
        for attributes, body in scripts:
            assert 'src="/' in attributes and not body.strip(), (page, attributes, body)


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/api/nothing-here", 404),       # unknown API path
    ("GET", "/assets/missing.js", 404),      # unknown asset
    ("DELETE", "/healthz", 405),             # method not allowed
    ("POST", "/api/docs", 405),
])
async def test_json_errors_get_the_headers_X3(app, method, path, status):
    r = await get(app, path, method)
    assert r.status_code == status
    assert r.headers["content-type"].startswith("application/json")
    assert "error" in r.json()
    assert_always(r)


class Thing(BaseModel):
    name: str


async def test_validation_errors_and_unexpected_errors_get_the_headers_X3(dist):
    """X-3: also a 422 and a 500 (sent by Starlette's ServerErrorMiddleware, outside the
    app's own middleware)."""
    app = create_app(Settings(web_dist=str(dist)))

    @app.post("/api/test-only/things")
    async def add(thing: Thing) -> dict:
        return {"name": thing.name}

    @app.post("/api/test-only/boom")
    async def boom() -> dict:
        raise RuntimeError("unexpected")

    r = await get(app, "/api/test-only/things", "POST", json={})
    assert r.status_code == 422 and r.json()["error"] == "ValidationError"
    assert_always(r)
    r = await get(app, "/api/test-only/boom", "POST")
    assert r.status_code == 500 and r.json()["error"] == "InternalError"
    assert_always(r)


async def test_headers_a_route_set_are_kept_X3():
    """X-3: the middleware adds what is missing and never overrides a route's choice."""
    inner = FastAPI()

    @inner.get("/framed")
    async def framed() -> JSONResponse:
        return JSONResponse({}, headers={"X-Frame-Options": "SAMEORIGIN",
                                         "Referrer-Policy": "no-referrer"})

    @inner.get("/page")
    async def page() -> JSONResponse:
        return JSONResponse({}, media_type="text/html",
                            headers={"Content-Security-Policy": "sandbox"})

    app = SecurityHeadersMiddleware(inner)
    r = await get(app, "/framed")  # type: ignore[arg-type]
    assert r.headers["x-frame-options"] == "SAMEORIGIN"
    assert r.headers["referrer-policy"] == "no-referrer"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" not in r.headers  # JSON: no CSP added
    r = await get(app, "/page")  # type: ignore[arg-type]
    assert r.headers.get_list("content-security-policy") == ["sandbox"]
    assert r.headers["x-frame-options"] == "DENY"


async def test_a_stream_is_not_buffered_X3(dist):
    """X-3: the event stream (as GET /api/console/prompts/stream) passes the whole
    middleware stack chunk by chunk: the first event reaches the client while the
    endpoint is still waiting to send the second, and the headers are on it."""
    app = create_app(Settings(web_dist=str(dist)))
    first_seen = asyncio.Event()

    @app.get("/api/test-only/stream")
    async def stream() -> StreamingResponse:
        async def events():
            yield b"data: one\n\n"
            await first_seen.wait()  # only once the client has the first event
            yield b"data: two\n\n"
        return StreamingResponse(events(), media_type="text/event-stream")

    app.router.routes.insert(0, app.router.routes.pop())  # before the web catch-all
    start: dict = {}
    chunks: list[bytes] = []

    async def receive() -> dict:
        await asyncio.Event().wait()  # the client never sends or leaves
        return {}

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            start.update(message)
        elif message["type"] == "http.response.body" and message.get("body"):
            chunks.append(message["body"])
            if b"one" in message["body"]:
                first_seen.set()

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "GET", "scheme": "http", "path": "/api/test-only/stream",
             "raw_path": b"/api/test-only/stream", "query_string": b"", "root_path": "",
             "headers": [(b"host", b"gw"), (b"accept", b"text/event-stream")],
             "client": ("127.0.0.1", 1), "server": ("gw", 80)}
    # A buffering middleware would wait for the end of the stream: a deadlock, caught here.
    await asyncio.wait_for(app(scope, receive, send), 30)
    assert b"".join(chunks) == b"data: one\n\ndata: two\n\n"
    headers = {k.decode().lower(): v.decode() for k, v in start["headers"]}
    assert headers["content-type"].startswith("text/event-stream")
    assert {k: headers.get(k) for k in ALWAYS} == ALWAYS


async def test_api_docs_page_has_no_inline_script_and_no_external_url_X3(app):
    """X-3: /api/docs loads Swagger UI from the gateway, not from a CDN, and its scripts
    are files (the initializer too), so the CSP's script-src 'self' holds on it."""
    r = await get(app, "/api/docs")
    assert r.status_code == 200
    html = r.text
    assert not re.search(r"https?://", html), html
    assert "cdn" not in html.lower()
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S)
    assert len(scripts) == 2
    for attributes, body in scripts:
        assert re.search(r'src="/api/docs/', attributes) and not body.strip()
    assert not re.search(r"\son[a-z]+\s*=", html)  # no inline event handlers
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        asset = await get(app, url)
        assert asset.status_code == 200, url
        assert "immutable" in asset.headers["cache-control"]
        assert_always(asset)
    init = await get(app, "/api/docs/init.js")
    assert init.headers["content-type"].startswith("text/javascript")
    assert 'url: "/api/openapi.json"' in init.text and "SwaggerUIBundle(" in init.text
    assert not re.search(r"https?://", init.text)


@pytest.mark.parametrize(("name", "content_type"), [
    ("swagger-ui-bundle.js", "text/javascript"), ("swagger-ui.css", "text/css"),
    ("favicon.png", "image/png")])
async def test_swagger_ui_files_are_served_from_the_gateway_X3(app, name, content_type):
    r = await get(app, f"/api/docs/static/{name}")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(content_type)
    assert r.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert r.content == (SWAGGER_STATIC / name).read_bytes()
    assert_always(r)


@pytest.mark.parametrize("path", [
    "/api/docs/static/nothing.js",
    "/api/docs/static/..%2f__init__.py",
    "/api/docs/static/..%2F..%2Fapp.py",
    "/api/docs/static/%2e%2e/core.py",
    "/api/docs/static/",
    "/api/docs/static//etc/passwd",
    "/api/docs/static/..%5c__init__.py",
])
async def test_only_the_swagger_ui_files_are_served_X3(app, path):
    """X-3: a name outside fastapi_offline's static directory is a JSON 404."""
    r = await get(app, path)
    assert r.status_code == 404
    assert r.json()["error"] == "NotFound"
    assert_always(r)


def test_merged_document_shows_the_real_422_whatever_a_service_sent_X3():
    """Issue 8: the gateway's merged document documents every 422 as really sent, even
    when a service (an older version) still documents FastAPI's HTTPValidationError."""
    fastapi_422 = {"description": "Validation Error", "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/HTTPValidationError"}}}}
    old_service = {
        "paths": {"/api/portal/things": {"post": {"responses": {"422": fastapi_422}}}},
        "components": {"schemas": {
            "HTTPValidationError": {"properties": {"detail": {
                "type": "array", "items": {"$ref": "#/components/schemas/ValidationError"}}}},
            "ValidationError": {"properties": {"loc": {}, "msg": {}, "type": {}}}}}}
    own = create_app(Settings(web_dist=None))
    doc = merge(own.openapi(), {"things": old_service})
    schemas = doc["components"]["schemas"]
    assert "HTTPValidationError" not in schemas and "ValidationError" not in schemas
    assert "errors" not in schemas["ValidationErrorBody"]["required"]
    refs = [op["responses"]["422"]["content"]["application/json"]["schema"]["$ref"]
            for ops in doc["paths"].values() for op in ops.values()
            if "422" in op.get("responses", {})]
    assert len(refs) > 1
    assert set(refs) == {"#/components/schemas/ValidationErrorBody"}
