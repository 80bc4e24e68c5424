"""Forwarding to the services with a short-lived internal token.

Two rules hold for every proxied request, whatever the client sends (issue 8):
- the path and query go upstream exactly as the client percent-encoded them
  (`upstream_target`), with any byte that is not printable ASCII percent-encoded, so no
  path parameter (control characters, raw UTF-8) can make an invalid upstream URL;
- an upstream answer is never buffered when it is a stream: whether the client asked for
  `text/event-stream` or not, an event stream is relayed chunk by chunk, ends when the
  client goes away (the upstream connection is closed, shielded from cancellation) and
  ends when the caller's session does (`still_valid`).
A `Location` naming an internal service address is never passed to the client."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

import anyio
from fastapi import Response
from fastapi.responses import StreamingResponse
from servicekit.auth import HEADER, Principal, sign_internal_token
from servicekit.auth import TTL_SECONDS as TOKEN_TTL_SECONDS
from servicekit.errors import BadRequest, ServiceUnavailable
from servicekit.imports import DEV_ONLY, without_optional
from servicekit.logging import get_logger
from servicekit.tracing import instrument_httpx_client

from ..config import Settings

with without_optional(*DEV_ONLY):  # not httpx's CLI (servicekit.imports)
    import httpx

log = get_logger(__name__)

PASS_REQUEST = ("content-type", "accept", "accept-language", "x-request-id", "last-event-id",
                "if-match")
# The public payment routes (B-2) also pass the providers' signature headers: WeChat Pay's
# Wechatpay-Timestamp/-Nonce/-Signature/-Serial/-Signature-Type and the sandbox's
# X-Sandbox-Timestamp/-Nonce/-Signature (Alipay signs its form body).
PASS_PUBLIC_PREFIXES = ("wechatpay-", "x-sandbox-")
# retry-after: a service whose database is away answers 503 with it (X-2, issue 14).
PASS_RESPONSE = ("content-type", "x-total-count", "content-disposition", "location",
                 "cache-control", "etag", "retry-after")

STREAM_IDLE_SECONDS = 60.0
# How often an open event stream re-checks that the caller's session is still valid.
STREAM_SESSION_CHECK_SECONDS = 2.0

SERVICE_NAMES = {"customer": "customer", "order": "order", "invoice": "invoice",
                 "points": "points", "servicedesk": "service desk", "notify": "notification"}

# Bytes allowed unencoded in the upstream target: RFC 3986 unreserved, sub-delims, ":@/?%"
_SAFE = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                  b"-._~!$&'()*+,;=:@/?%")

_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")

SessionCheck = Callable[[], Awaitable[bool]]


def public_request_headers(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    """What a public (no login) request passes on: the usual request headers and the
    payment providers' signature headers, nothing else (no cookie, no internal token)."""
    return {k: v for k, v in headers
            if k.lower() in PASS_REQUEST or k.lower().startswith(PASS_PUBLIC_PREFIXES)}


def _encode(raw: bytes) -> str:
    return "".join(chr(b) if b in _SAFE else f"%{b:02X}" for b in raw)


def upstream_target(raw_path: bytes, query_string: bytes) -> str:
    """The path and query for the upstream request, as the client encoded them; every
    byte outside printable ASCII (control characters, raw UTF-8, spaces) and every stray
    `%` not starting an escape is percent-encoded."""
    # A '%' not followed by two hex digits would make an invalid URL upstream.
    path = _fix_percent(_encode(raw_path))
    target = path if path.startswith("/") else "/" + path
    if query_string:
        target += "?" + _fix_percent(_encode(query_string))
    return target


def _fix_percent(text: str) -> str:
    return _STRAY_PERCENT.sub("%25", text)


# Connections kept open to each service (issue 16): a request takes an idle one instead
# of connecting; beyond MAX_KEEPALIVE idle ones a connection is closed after its answer.
# MAX_CONNECTIONS bounds what one gateway process opens to one service (a request waits
# for a free one, within the upstream timeout); event streams hold theirs while open.
MAX_CONNECTIONS = 512
MAX_KEEPALIVE = 128
KEEPALIVE_SECONDS = 30.0
MAX_CACHED_TOKENS = 10_000


class Forwarder:
    """One pooled keep-alive HTTP client per service, made at start-up and closed at
    shutdown (app.py). `transport` replaces the network in tests."""

    def __init__(self, settings: Settings,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.settings = settings
        self.urls = settings.service_urls()
        self.origins = {_origin(u) for u in self.urls.values()}
        limits = httpx.Limits(max_connections=MAX_CONNECTIONS,
                              max_keepalive_connections=MAX_KEEPALIVE,
                              keepalive_expiry=KEEPALIVE_SECONDS)
        self._tokens: dict[Principal, tuple[str, float]] = {}
        self.clients: dict[str, httpx.AsyncClient] = {}
        for service in self.urls:
            client = httpx.AsyncClient(timeout=settings.upstream_timeout, limits=limits,
                                       transport=transport)
            instrument_httpx_client(client)
            self.clients[service] = client

    async def close(self) -> None:
        for client in self.clients.values():
            await client.aclose()

    def _headers(self, principal: Principal | None,
                 headers: dict[str, str] | None) -> dict[str, str]:
        hdrs = dict(headers or {})
        if principal is not None:
            hdrs[HEADER] = self.internal_token(principal)
        return hdrs

    def internal_token(self, principal: Principal) -> str:
        """The signed internal token for `principal`, reused while it has more than half
        of its life left (issue 16: one signature per caller and half-minute, not per
        request). A principal is its whole content (permissions, areas, the sensitive
        flag), so any change of those is a new token."""
        now = time.monotonic()
        hit = self._tokens.get(principal)
        if hit is not None and hit[1] > now:
            return hit[0]
        token = sign_internal_token(principal, self.settings.internal_token_secret)
        if len(self._tokens) >= MAX_CACHED_TOKENS:
            self._tokens.clear()
        self._tokens[principal] = (token, now + TOKEN_TTL_SECONDS / 2)
        return token

    def _request(self, service: str, method: str, path: str, principal: Principal | None, *,
                 params: Any = None, content: bytes | None = None, json: Any = None,
                 headers: dict[str, str] | None = None,
                 timeout: httpx.Timeout | None = None) -> httpx.Request:
        try:
            url = httpx.URL(self.urls[service] + path)
        except httpx.InvalidURL as exc:  # upstream_target makes this unreachable
            raise BadRequest("The address contains characters that are not allowed") from exc
        kwargs: dict[str, Any] = {}
        if timeout is not None:
            kwargs["timeout"] = timeout
        return self.clients[service].build_request(method, url, params=params, content=content,
                                         json=json, headers=self._headers(principal, headers),
                                         **kwargs)

    def _unavailable(self, service: str, exc: Exception) -> ServiceUnavailable:
        log.warning("upstream_unavailable", service=service, error=repr(exc))
        return ServiceUnavailable(
            f"The {SERVICE_NAMES.get(service, service)} service is unavailable; "
            "please try again shortly")

    async def call(
        self, service: str, method: str, path: str, principal: Principal | None, *,
        params: Any = None, content: bytes | None = None, json: Any = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        """A buffered call for the gateway's own use (never a stream)."""
        request = self._request(service, method, path, principal, params=params,
                                content=content, json=json, headers=headers)
        try:
            return await self.clients[service].send(request)
        except httpx.HTTPError as exc:
            raise self._unavailable(service, exc) from exc

    async def forward(self, service: str, method: str, path: str,
                      principal: Principal | None, *, content: bytes | None = None,
                      headers: dict[str, str] | None = None,
                      still_valid: SessionCheck | None = None) -> Response:
        """Proxy one client request. The answer is read as a stream: an event stream is
        relayed as it arrives, anything else is read whole and relayed."""
        request = self._request(
            service, method, path, principal, content=content, headers=headers,
            timeout=httpx.Timeout(self.settings.upstream_timeout, read=STREAM_IDLE_SECONDS))
        try:
            resp = await self.clients[service].send(request, stream=True)
        except httpx.HTTPError as exc:
            raise self._unavailable(service, exc) from exc
        if not resp.headers.get("content-type", "").startswith("text/event-stream"):
            try:
                await asyncio.wait_for(resp.aread(), self.settings.upstream_timeout)
            except (httpx.HTTPError, TimeoutError) as exc:
                raise self._unavailable(service, exc) from exc
            finally:
                await resp.aclose()
            return self.relay(resp)
        return StreamingResponse(
            self._chunks(service, resp, still_valid), status_code=resp.status_code,
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})

    async def _chunks(self, service: str, resp: httpx.Response,
                      still_valid: SessionCheck | None):
        """The upstream stream's chunks. Ends when the upstream ends or goes quiet for
        STREAM_IDLE_SECONDS (it sends a comment every 15 s), when the caller's session
        ends (checked every STREAM_SESSION_CHECK_SECONDS) and, through cancellation, when
        the client goes away; the upstream connection is closed in every case."""
        upstream = resp.aiter_raw().__aiter__()
        pending: asyncio.Task | None = None
        try:
            while True:
                if pending is None:
                    pending = asyncio.ensure_future(upstream.__anext__())
                done, _ = await asyncio.wait({pending}, timeout=STREAM_SESSION_CHECK_SECONDS)
                if not done:
                    if still_valid is not None and not await still_valid():
                        log.info("event_stream_session_ended", service=service)
                        break
                    continue
                task, pending = pending, None
                try:
                    chunk = task.result()
                except StopAsyncIteration:
                    break
                yield chunk
        except httpx.HTTPError as exc:
            log.info("event_stream_ended", service=service, error=repr(exc))
        finally:
            with anyio.CancelScope(shield=True):
                if pending is not None:
                    pending.cancel()
                    try:
                        await pending
                    except BaseException:  # noqa: BLE001 - cancelled on purpose
                        pass
                await resp.aclose()

    def relay(self, resp: httpx.Response) -> Response:
        headers = {k: v for k, v in resp.headers.items() if k.lower() in PASS_RESPONSE}
        if "location" in headers:
            headers["location"] = self.public_location(headers["location"])
        return Response(content=resp.content, status_code=resp.status_code, headers=headers)

    def public_location(self, location: str) -> str:
        """A Location naming a service's own address becomes a path on the gateway."""
        parts = urlsplit(location)
        if parts.scheme and f"{parts.scheme}://{parts.netloc}".lower() in self.origins:
            return parts.path + (f"?{parts.query}" if parts.query else "")
        return location


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()
