"""I-4: the gateway serves the events' AsyncAPI document, publicly, as YAML and JSON —
the same document as docs/asyncapi.yaml — with the usual security headers; and what the
document says of the external queues is what the topology declares.

The gateway app is built in-process (no database: none of these requests needs one)."""

from __future__ import annotations

import httpx
import pytest
import yaml
from dinghuo_contracts import EXTERNAL_SUBSCRIBERS
from dinghuo_contracts.asyncapi import DELIVERY_LIMIT, QUEUE_ARGUMENTS, build, document_text
from dinghuo_gateway.app import create_app
from dinghuo_gateway.config import Settings
from servicekit.messaging import Topology

ALWAYS = {"x-content-type-options": "nosniff",
          "referrer-policy": "strict-origin-when-cross-origin",
          "x-frame-options": "DENY"}


@pytest.fixture(scope="module")
def app():
    return create_app(Settings(web_dist=None))


async def get(app, path: str, method: str = "GET", **headers: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://gw") as c:
        return await c.request(method, path, headers=headers)


async def test_the_yaml_document_is_public_and_lists_the_events_I4(app):
    r = await get(app, "/api/events/asyncapi.yaml")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/yaml"
    assert r.text == document_text()
    doc = yaml.load(r.text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    assert doc["asyncapi"] == "3.0.0"
    assert {"invoice.requested", "invoice.issued", "invoice.confirmed"} <= set(doc["channels"])
    for name, value in ALWAYS.items():
        assert r.headers[name] == value
    assert "content-security-policy" not in r.headers  # not HTML


async def test_the_json_document_is_the_same_I4(app):
    r = await get(app, "/api/events/asyncapi.json")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    assert r.json() == build()
    assert r.headers["x-content-type-options"] == "nosniff"


async def test_head_and_a_revalidation_I4(app):
    r = await get(app, "/api/events/asyncapi.yaml", "HEAD")
    assert r.status_code == 200 and r.content == b""
    etag = r.headers["etag"]
    again = await get(app, "/api/events/asyncapi.yaml", **{"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert (await get(app, "/api/events/asyncapi.xml")).status_code == 404


class FakeQueue:
    def __init__(self, name: str, arguments: dict | None) -> None:
        self.name, self.arguments, self.keys = name, arguments, []

    async def bind(self, exchange, routing_key: str) -> None:
        self.keys.append(routing_key)

    async def unbind(self, exchange, routing_key: str) -> None:
        pass


class FakeChannel:
    """Records what the topology declares."""

    def __init__(self) -> None:
        self.queues: dict[str, FakeQueue] = {}

    async def declare_exchange(self, name, kind, durable):
        return name

    async def declare_queue(self, name, durable, arguments=None):
        assert durable
        self.queues[name] = FakeQueue(name, arguments)
        return self.queues[name]


async def test_the_document_states_the_topologys_queues_I4():
    """The queue arguments, delivery limit and binding keys in the document are those
    servicekit's Topology declares for the external subscribers."""
    channel = FakeChannel()
    await Topology(queue_prefix="p.").declare_external(channel)
    doc = build()
    assert Topology().delivery_limit == DELIVERY_LIMIT
    for sub in EXTERNAL_SUBSCRIBERS:
        declared = channel.queues[f"p.{sub.queue}"]
        amqp = doc["channels"][sub.queue]["bindings"]["amqp"]
        assert amqp["x-binding-keys"] == sorted(declared.keys)
        expected = {**QUEUE_ARGUMENTS, "x-dead-letter-routing-key": f"p.{sub.queue}"}
        assert declared.arguments == expected
        assert amqp["x-arguments"] == {**expected,
                                       "x-dead-letter-routing-key": f"<prefix>{sub.queue}"}
