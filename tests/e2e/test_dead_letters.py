"""Dead letters for operators through the running system (B-7): a message the points
service cannot read lands in its DLQ, the gateway's worker takes it in, an operator
sees it with its reason and discards it with a reason; an event the notify service gave
up on is replayed and applied exactly once, even when a copy comes back; without `ops`
permissions, or limited to areas, staff get 403 (X-1, C-7); every step is audited (X-3).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import aio_pika
import pytest
from dinghuo_contracts import OrderApproved

from .access_helpers import new_staff
from .api import Api, eventually

pytestmark = pytest.mark.e2e

PRODUCTS = [{"name": "UV 墨水（黑）", "model": "INK-UV-K-1L", "unit_price": "160.30"}]


async def publish(system, body: bytes, *, exchange: str | None, routing_key: str,
                  message_id: str, headers: dict | None = None) -> None:
    """Straight onto the running system's broker (`exchange` None: the default one)."""
    conn = await aio_pika.connect(system.config.amqp_url)
    try:
        ch = await conn.channel(publisher_confirms=True)
        ex = ch.default_exchange if exchange is None else await ch.declare_exchange(
            exchange, aio_pika.ExchangeType.DIRECT, durable=True)
        await ex.publish(aio_pika.Message(body, message_id=message_id, headers=headers or {},
                                          content_type="application/json",
                                          delivery_mode=aio_pika.DeliveryMode.PERSISTENT),
                         routing_key=routing_key, mandatory=True)
    finally:
        await conn.close()


async def listed(ops: Api, service: str, key: str, status: str = "open") -> dict:
    async def find():
        r = await ops.get("/api/console/ops/dead-letters",
                          params={"service": service, "status": status, "limit": 200})
        assert r.status_code == 200, r.text
        return next((d for d in r.json() if d["message_key"] == key), None)
    return await eventually(find, timeout=60)


async def approved_customer(api: Api, admin: Api) -> tuple[Api, str]:
    cid, user, pw = await api.register()
    r = await admin.post(f"/api/console/customers/{cid}/approve", json={"products": PRODUCTS})
    assert r.status_code == 200, r.text
    customer = api.as_user()
    await customer.login(user, pw)
    return customer, cid


class TestDiscard:
    async def test_an_unreadable_message_is_listed_and_discarded_with_a_reason_B7(
            self, system, api, admin):
        prefix = system.config.queue_prefix
        key = f"garbage-{uuid.uuid4().hex[:8]}"
        await publish(system, b'{"this is": "not an event envelope"', exchange=None,
                      routing_key=f"{prefix}points.events", message_id=key)
        ops, me = await new_staff(admin, ["ops:query", "ops:modify"])
        row = await listed(ops, "points", key)
        assert row["queue"] == f"{prefix}points.events" and row["reason"] == "unreadable"
        assert "not an event envelope" in row["error"] and row["event_id"] is None
        detail = (await ops.get(f"/api/console/ops/dead-letters/{row['id']}")).json()
        assert detail["payload"].startswith('{"this is"') and detail["payload_json"] is None

        url = f"/api/console/ops/dead-letters/{row['id']}/discard"
        assert (await ops.post(url, json={})).status_code == 422
        r = await ops.post(url, json={"reason": "测试时手工发送的坏消息"})
        assert r.status_code == 200 and r.json()["status"] == "discarded", r.text
        again = await ops.post(url, json={"reason": "再来一次"})
        assert again.status_code == 409
        assert f"already discarded by {me['username']}" in again.json()["detail"]
        kept = await listed(ops, "points", key, status="discarded")
        assert kept["resolved_by"] == me["username"]

        audit = (await admin.get("/api/console/audit", params={
            "type": "dead_letter_discarded", "user": me["username"]})).json()
        assert audit and audit[0]["after"]["reason"] == "测试时手工发送的坏消息"
        assert audit[0]["after"]["message_key"] == key


class TestReplay:
    async def test_a_given_up_event_is_replayed_and_applied_once_B7(self, system, api,
                                                                    admin):
        customer, cid = await approved_customer(api, admin)
        ops, me = await new_staff(admin, ["ops:query", "ops:entry"])
        number = f"DLQ{uuid.uuid4().hex[:8].upper()}"
        env = OrderApproved(order_id=uuid.uuid4(), number=number, customer_id=cid,
                            reviewed_by="admin", reviewed_at=datetime.now(UTC)
                            ).envelope("order")
        queue = f"{system.config.queue_prefix}notify.events"
        # as the notify consumer dead-letters an event its handler kept failing on
        given_up = {"x-dinghuo-reason": "handler_failed",
                    "x-dinghuo-error": "OperationalError('database is restarting')",
                    "x-dinghuo-routing-key": env.type}

        async def dead_letter_it() -> None:
            await publish(system, env.model_dump_json().encode(),
                          exchange=f"{system.config.exchange}.dlx", routing_key=queue,
                          message_id=str(env.id), headers=given_up)

        async def messages_about_it() -> list[dict]:
            r = await customer.get("/api/portal/messages", params={"limit": 200})
            return [m for m in r.json() if m["data"].get("number") == number]

        await dead_letter_it()
        row = await listed(ops, "notify", str(env.id))
        assert (row["event_type"], row["reason"]) == ("order.approved", "handler_failed")
        assert "database is restarting" in row["error"]
        assert number in row["preview"]
        assert await messages_about_it() == []

        r = await ops.post(f"/api/console/ops/dead-letters/{row['id']}/replay",
                           json={"reason": "数据库已恢复"})
        assert r.status_code == 200 and r.json()["status"] == "replayed", r.text
        assert len(await eventually(messages_about_it, timeout=60)) == 1
        again = await ops.post(f"/api/console/ops/dead-letters/{row['id']}/replay")
        assert again.status_code == 409 and "already replayed" in again.json()["detail"]

        # a copy dead-lettered again (at-least-once) and replayed too: the inbox skips it
        await dead_letter_it()
        copy = await listed(ops, "notify", str(env.id))
        assert copy["id"] != row["id"]
        r = await ops.post(f"/api/console/ops/dead-letters/{copy['id']}/replay")
        assert r.status_code == 200, r.text
        # one consumer, in order: once a later event is applied, the copy was handled
        marker = OrderApproved(order_id=uuid.uuid4(), number=f"{number}-B", customer_id=cid,
                               reviewed_by="admin", reviewed_at=datetime.now(UTC)
                               ).envelope("order")
        await publish(system, marker.model_dump_json().encode(), exchange=None,
                      routing_key=queue, message_id=str(marker.id))

        async def marker_applied():
            r = await customer.get("/api/portal/messages", params={"limit": 200})
            return any(m["data"].get("number") == f"{number}-B" for m in r.json())
        await eventually(marker_applied, timeout=60)
        assert len(await messages_about_it()) == 1

        audit = (await admin.get("/api/console/audit", params={
            "type": "dead_letter_replayed", "target_id": str(env.id)})).json()
        assert len(audit) == 2 and {a["actor"] for a in audit} == {me["username"]}
        assert "数据库已恢复" in {a["after"]["reason"] for a in audit}


class TestWhoMay:
    async def test_without_ops_permissions_or_with_areas_it_is_403_X1_C7(self, system, api,
                                                                       admin):
        others, _ = await new_staff(admin, ["settings:query", "orders:query"])
        r = await others.get("/api/console/ops/dead-letters")
        assert r.status_code == 403 and "ops:query" in r.json()["detail"]
        bound, _ = await new_staff(admin, ["ops:query"], areas=["华东"])
        r = await bound.get("/api/console/ops/dead-letters")
        assert r.status_code == 403 and r.json()["error"] == "AreaBound"
        reader, _ = await new_staff(admin, ["ops:query"])
        assert (await reader.get("/api/console/ops/dead-letters")).status_code == 200
        some = uuid.uuid4()
        assert (await reader.post(f"/api/console/ops/dead-letters/{some}/replay")
                ).status_code == 403
        assert (await reader.post(f"/api/console/ops/dead-letters/{some}/discard",
                                  json={"reason": "x"})).status_code == 403
        customer, _ = await approved_customer(api, admin)
        assert (await customer.get("/api/console/ops/dead-letters")).status_code == 403

    async def test_unsent_events_are_gathered_from_every_service_B7(self, system, admin):
        ops, _ = await new_staff(admin, ["ops:query"])
        r = await ops.get("/api/console/ops/outbox-failures")
        assert r.status_code == 200, r.text
        assert "X-Unavailable-Services" not in r.headers  # every service answered
        queues = (await ops.get("/api/console/ops/dead-letters/queues")).json()
        assert {"points", "notify", "finance", "notifier"} <= {q["service"] for q in queues}
