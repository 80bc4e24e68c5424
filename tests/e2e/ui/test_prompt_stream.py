"""The console's prompt stream through the gateway (N-3): `GET /api/console/prompts/stream`
is relayed as server-sent events without buffering, so a new order's prompt arrives while
the stream stays open; staff only."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from ..api import Api, order_body
from ..test_slice import approved_customer, place

pytestmark = pytest.mark.e2e


async def next_prompt(lines, number: str) -> dict:
    """Read events until the prompt of order `number` comes."""
    event: dict[str, str] = {}
    async for line in lines:
        if line == "":
            if event.get("event") == "prompt":
                data = json.loads(event["data"])
                if data["data"].get("number") == number:
                    return {**data, "event_id": event.get("id")}
            event = {}
        elif not line.startswith(":"):
            key, _, value = line.partition(": ")
            event[key] = value
    raise AssertionError("the stream ended")


async def test_new_order_prompt_streams_through_the_gateway_N3(system, api: Api, admin: Api):
    customer, _cid, catalog = await approved_customer(api, admin)
    async with httpx.AsyncClient(base_url=system.config.gateway_url, timeout=30) as c:
        headers = {**admin.headers, "Accept": "text/event-stream"}
        async with c.stream("GET", "/api/console/prompts/stream", headers=headers) as r:
            assert r.status_code == 200
            assert r.headers["content-type"].startswith("text/event-stream")
            lines = r.aiter_lines()
            assert (await anext(lines)).startswith("retry: ")  # the stream is open
            order = await place(customer, order_body([(catalog[0]["product_id"], 2)]))
            prompt = await asyncio.wait_for(next_prompt(lines, order["number"]), 60)
    assert prompt["kind"] == "new_order" and prompt["window"] is True
    assert prompt["event_id"] == prompt["id"]


async def test_stream_is_for_staff_only_N3(system, api: Api, admin: Api):
    customer, _cid, _catalog = await approved_customer(api, admin)
    r = await customer.get("/api/console/prompts/stream",
                           headers={"Accept": "text/event-stream"})
    assert r.status_code == 403
