"""A small client of the public API, as a user's program would use it."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import httpx
from servicekit.testing.helpers import eventually  # noqa: F401  (re-exported)


class Api:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.client = httpx.AsyncClient(base_url=base_url, timeout=30)
        self.token: str | None = None

    async def __aenter__(self) -> Api:
        return self

    async def __aexit__(self, *exc) -> None:
        await self.client.aclose()

    def as_user(self) -> Api:
        """A second client (its own token) against the same gateway."""
        return Api(self.base_url)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    async def request(self, method: str, path: str, **kw: Any) -> httpx.Response:
        headers = {**self.headers, **kw.pop("headers", {})}
        return await self.client.request(method, path, headers=headers, **kw)

    async def get(self, path: str, **kw: Any) -> httpx.Response:
        return await self.request("GET", path, **kw)

    async def post(self, path: str, **kw: Any) -> httpx.Response:
        return await self.request("POST", path, **kw)

    async def put(self, path: str, **kw: Any) -> httpx.Response:
        return await self.request("PUT", path, **kw)

    async def patch(self, path: str, **kw: Any) -> httpx.Response:
        return await self.request("PATCH", path, **kw)

    async def login(self, username: str, password: str) -> httpx.Response:
        r = await self.client.post("/api/auth/login",
                                   json={"username": username, "password": password})
        assert r.status_code == 200, r.text
        self.token = r.json()["access_token"]
        return r

    async def register(self, username: str | None = None, password: str = "secret-123",
                       **company: Any) -> tuple[str, str, str]:
        username = username or f"u{uuid.uuid4().hex[:10]}"
        body = {"username": username, "password": password, "company": {
            "name": f"测试公司{username[-4:]}", "contact_person": "张三",
            "mobile": "13900001111", "address": "杭州市西湖区文三路 1 号",
            "email": f"{username}@example.cn", **company}}
        r = await self.client.post("/api/portal/register", json=body)
        assert r.status_code == 201, r.text
        assert r.json()["status"] == "pending_review"
        return r.json()["customer_id"], username, password


def order_body(lines: list[tuple[str, int]], bill_type: str = "ordinary_vat",
               days: int = 3) -> dict[str, Any]:
    return {"delivery_date": (date.today() + timedelta(days=days)).isoformat(),
            "bill_type": bill_type,
            "lines": [{"product_id": pid, "quantity": q} for pid, q in lines]}
