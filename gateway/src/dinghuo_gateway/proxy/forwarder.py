"""Forwarding to the services with a short-lived internal token."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import Response
from fastapi.responses import StreamingResponse
from servicekit.auth import HEADER, Principal, sign_internal_token
from servicekit.errors import ServiceUnavailable
from servicekit.logging import get_logger
from servicekit.tracing import instrument_httpx_client

from ..config import Settings

log = get_logger(__name__)

PASS_REQUEST = ("content-type", "accept", "accept-language", "x-request-id", "last-event-id",
                "if-match")
PASS_RESPONSE = ("content-type", "x-total-count", "content-disposition", "location",
                 "cache-control", "etag")

STREAM_IDLE_SECONDS = 60.0

SERVICE_NAMES = {"customer": "customer", "order": "order", "invoice": "invoice",
                 "points": "points", "servicedesk": "service desk", "notify": "notification"}


class Forwarder:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.urls = settings.service_urls()
        self.client = httpx.AsyncClient(timeout=settings.upstream_timeout)
        instrument_httpx_client(self.client)

    async def close(self) -> None:
        await self.client.aclose()

    async def call(
        self, service: str, method: str, path: str, principal: Principal | None, *,
        params: Any = None, content: bytes | None = None, json: Any = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        hdrs = dict(headers or {})
        if principal is not None:
            hdrs[HEADER] = sign_internal_token(principal, self.settings.internal_token_secret)
        url = self.urls[service] + path
        try:
            return await self.client.request(method, url, params=params, content=content,
                                             json=json, headers=hdrs)
        except httpx.HTTPError as exc:
            log.warning("upstream_unavailable", service=service, error=repr(exc))
            raise ServiceUnavailable(
                f"The {SERVICE_NAMES.get(service, service)} service is unavailable; "
                "please try again shortly") from exc

    async def stream(self, service: str, path: str, principal: Principal | None, *,
                     headers: dict[str, str] | None = None) -> Response:
        """A server-sent event stream, relayed chunk by chunk as it arrives (never
        buffered). The upstream sends a comment at least every 15 s, so a read that waits
        `STREAM_IDLE_SECONDS` means it is gone; the browser then reconnects."""
        hdrs = dict(headers or {})
        if principal is not None:
            hdrs[HEADER] = sign_internal_token(principal, self.settings.internal_token_secret)
        request = self.client.build_request(
            "GET", self.urls[service] + path, headers=hdrs,
            timeout=httpx.Timeout(self.settings.upstream_timeout, read=STREAM_IDLE_SECONDS))
        try:
            resp = await self.client.send(request, stream=True)
        except httpx.HTTPError as exc:
            log.warning("upstream_unavailable", service=service, error=repr(exc))
            raise ServiceUnavailable(
                f"The {SERVICE_NAMES.get(service, service)} service is unavailable; "
                "please try again shortly") from exc
        if resp.status_code != 200 or not resp.headers.get(
                "content-type", "").startswith("text/event-stream"):
            await resp.aread()
            await resp.aclose()
            return self.relay(resp)

        async def chunks():
            try:
                async for chunk in resp.aiter_raw():
                    yield chunk
            except httpx.HTTPError as exc:
                log.info("event_stream_ended", service=service, error=repr(exc))
            finally:
                await resp.aclose()

        return StreamingResponse(chunks(), status_code=200, media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache",
                                          "X-Accel-Buffering": "no"})

    @staticmethod
    def relay(resp: httpx.Response) -> Response:
        headers = {k: v for k, v in resp.headers.items() if k.lower() in PASS_RESPONSE}
        return Response(content=resp.content, status_code=resp.status_code, headers=headers)
