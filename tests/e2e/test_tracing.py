"""One trace spans gateway → service → consumer: the W3C traceparent travels through the
outbox and the AMQP headers (issue 2, 9e)."""

from __future__ import annotations

import json
import secrets

import pytest

from .api import eventually, order_body
from .test_slice import approved_customer

pytestmark = pytest.mark.e2e


def spans_of(system, trace_id: str) -> list[dict]:
    found = []
    for path in (system.config.run_dir / "spans").glob("*.jsonl"):
        for line in path.read_text().splitlines():
            try:
                span = json.loads(line)
            except json.JSONDecodeError:
                continue
            if span.get("context", {}).get("trace_id", "").removeprefix("0x") == trace_id:
                found.append({**span, "_file": path.name})
    return found


class TestTrace:
    async def test_consumer_span_is_in_the_gateway_trace(self, system, api, admin):
        customer, _, catalog = await approved_customer(api, admin)
        await customer.get("/api/portal/catalog")
        trace_id = secrets.token_hex(16)
        traceparent = f"00-{trace_id}-{secrets.token_hex(8)}-01"

        async def submit():
            r = await customer.post("/api/portal/orders",
                                    json=order_body([(catalog[0]["product_id"], 2)]),
                                    headers={"traceparent": traceparent})
            return r if r.status_code == 201 else None

        r = await eventually(submit)
        assert r.headers.get("x-trace-id") == trace_id

        wanted = {("gateway-api.jsonl", "SpanKind.SERVER"),
                  ("order-api.jsonl", "SpanKind.SERVER"),
                  ("order-worker.jsonl", "SpanKind.PRODUCER"),
                  ("points-worker.jsonl", "SpanKind.CONSUMER"),
                  ("notify-worker.jsonl", "SpanKind.CONSUMER")}

        async def consumer_spans():
            spans = spans_of(system, trace_id)
            kinds = {(s["_file"], s["kind"]) for s in spans}
            return spans if wanted <= kinds else None

        spans = await eventually(consumer_spans, timeout=30)
        assert any(s["name"] == "order.submitted process" for s in spans)
