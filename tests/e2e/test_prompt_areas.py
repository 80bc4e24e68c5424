"""Staff prompts by area through the gateway, against the running system (C-7, N-3): a
staff user bound to an area does not see the prompt about a customer registered in
another area — not in the list, not by id, not in the prompt stream — while a staff user
bound to no area sees both."""

from __future__ import annotations

import asyncio
import json
import uuid

import httpx
import pytest

from .access_helpers import new_staff
from .api import Api, eventually

pytestmark = pytest.mark.e2e

URL = "/api/console/prompts"


async def registration_prompt(staff: Api, customer_id: str) -> dict | None:
    """The `customer_registered` prompt about the customer that `staff` sees, or None."""
    r = await staff.get(URL, params={"kind": "customer_registered", "limit": 200})
    assert r.status_code == 200, r.text
    return next((p for p in r.json() if p["data"].get("customer_id") == customer_id), None)


async def registration_prompts(lines, wanted: str) -> list[str]:
    """The customer ids of the registration prompts streamed, until `wanted`'s."""
    seen: list[str] = []
    event: dict[str, str] = {}
    async for line in lines:
        if line == "":
            if event.get("event") == "prompt":
                data = json.loads(event["data"])
                if data["kind"] == "customer_registered":
                    seen.append(data["data"]["customer_id"])
                    if seen[-1] == wanted:
                        return seen
            event = {}
        elif not line.startswith(":"):
            key, _, value = line.partition(": ")
            event[key] = value
    raise AssertionError("the stream ended")


class TestPromptAreas:
    async def test_area_bound_staff_do_not_see_another_areas_customer_prompt_C7(
            self, system, api: Api, admin: Api):
        area = f"测{uuid.uuid4().hex[:6]}"
        mine, _, _ = await api.register(area=area)
        other, _, _ = await api.register(area=f"{area}外")
        clerk, _ = await new_staff(admin, ["customers:query"], areas=[area])

        # Staff bound to no area see both prompts (once the events have travelled).
        other_prompt = await eventually(lambda: registration_prompt(admin, other))
        assert await eventually(lambda: registration_prompt(admin, mine))

        # The area-bound clerk sees its own area's prompt only.
        assert await eventually(lambda: registration_prompt(clerk, mine))
        assert await registration_prompt(clerk, other) is None
        r = await clerk.get(URL, params={"limit": 200})
        assert other not in {p["data"].get("customer_id") for p in r.json()}
        r = await clerk.post(f"{URL}/{other_prompt['id']}/read")
        assert r.status_code == 404, r.text
        assert (await registration_prompt(admin, other))["read_at"] is None

    async def test_prompt_stream_skips_another_areas_customer_C7(
            self, system, api: Api, admin: Api):
        area = f"测{uuid.uuid4().hex[:6]}"
        clerk, _ = await new_staff(admin, ["customers:query"], areas=[area])
        async with httpx.AsyncClient(base_url=system.config.gateway_url, timeout=30) as c:
            headers = {**clerk.headers, "Accept": "text/event-stream"}
            async with c.stream("GET", f"{URL}/stream", headers=headers) as r:
                assert r.status_code == 200
                lines = r.aiter_lines()
                assert (await anext(lines)).startswith("retry: ")  # the stream is open
                other, _, _ = await api.register(area=f"{area}外")
                mine, _, _ = await api.register(area=area)
                seen = await asyncio.wait_for(registration_prompts(lines, mine), 60)
        assert seen[-1] == mine and other not in seen
        # the other area's prompt exists: staff bound to no area see it
        assert await eventually(lambda: registration_prompt(admin, other))
