"""Forwarding to the services with a short-lived internal token."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import Response
from servicekit.auth import HEADER, Principal, sign_internal_token
from servicekit.errors import ServiceUnavailable
from servicekit.logging import get_logger

from ..config import Settings

log = get_logger(__name__)

PASS_REQUEST = ("content-type", "accept", "accept-language", "x-request-id")
PASS_RESPONSE = ("content-type", "x-total-count", "content-disposition", "location",
                 "cache-control")

SERVICE_NAMES = {"customer": "customer", "order": "order", "invoice": "invoice",
                 "points": "points", "servicedesk": "service desk", "notify": "notification"}


class Forwarder:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.urls = settings.service_urls()
        self.client = httpx.AsyncClient(timeout=settings.upstream_timeout)

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

    @staticmethod
    def relay(resp: httpx.Response) -> Response:
        headers = {k: v for k, v in resp.headers.items() if k.lower() in PASS_RESPONSE}
        return Response(content=resp.content, status_code=resp.status_code, headers=headers)
