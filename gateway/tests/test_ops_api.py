"""Dead letters and unsent events for operators through the gateway's API (B-7, X-1,
C-7, X-3): `ops:query` to see, `ops:entry` to replay, `ops:modify` to discard with a
reason; staff limited to areas are refused; a second replay or discard is a 409 naming
who was first; every replay and discard is in the audit log; the services' unsent events
are gathered from each service, one that does not answer is named."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import httpx
import pytest
from dinghuo_contracts import OrderApproved
from dinghuo_gateway.app import create_app
from dinghuo_gateway.ops.broker import QueueMissing
from dinghuo_gateway.ops.repository import DeadLetterRepository
from dinghuo_gateway.proxy.forwarder import Forwarder
from servicekit.auth import HEADER, verify_internal_token
from servicekit.messaging import add_event
from servicekit.messaging import deadletters as dl
from sqlalchemy import text

from .conftest import client, gateway_settings, staff_token, unique

ORDER = "http://order.internal:8102"
POINTS = "http://points.internal:8104"
NOWHERE = "http://127.0.0.1:9"  # the fake refuses the connection


class FakeRepublisher:
    def __init__(self) -> None:
        self.sent: list[dict] = []
        self.refuse = False

    async def publish(self, queue, body, **kw) -> None:
        if self.refuse:
            raise QueueMissing(f"The broker did not take the message for queue {queue}")
        self.sent.append({"queue": queue, "body": body, **kw})

    async def close(self) -> None:
        pass


@pytest.fixture
async def ops(gateway_url):
    """The gateway with a fake broker for replays and faked services: the order service
    has one unsent event, the points service fails, the others have none."""
    app = create_app(gateway_settings(
        gateway_url, order_url=ORDER, points_url=POINTS, customer_url=NOWHERE,
        invoice_url=NOWHERE, servicedesk_url=NOWHERE, notify_url=NOWHERE))
    seen: list[httpx.Request] = []
    order_event = uuid.uuid4()

    def upstream(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.host == "127.0.0.1":
            raise httpx.ConnectError("refused", request=request)
        if request.url.host == "points.internal":
            return httpx.Response(500, json={"error": "InternalError", "detail": "x"})
        if request.method == "POST":
            if str(order_event) in request.url.path:
                return httpx.Response(200, json=failure("order", order_event))
            return httpx.Response(404, json={"error": "NotFound",
                                             "detail": "This unsent event is no longer "
                                                       "waiting for an operator"})
        return httpx.Response(200, json=[failure("order", order_event)])

    forwarder = Forwarder(app.state.settings, transport=httpx.MockTransport(upstream))
    app.state.forwarder = forwarder
    app.state.republisher = FakeRepublisher()
    app.state.order_event = order_event
    yield app, seen
    await forwarder.close()
    await app.state.db.dispose()


def failure(service: str, event_id: uuid.UUID) -> dict:
    return {"service": service, "event_id": str(event_id), "event_type": "order.approved",
            "attempts": 10, "last_error": "PublishError('NO_ROUTE')",
            "created_at": "2026-12-08T01:00:00+00:00",
            "given_up_at": "2026-12-08T01:05:00+00:00", "preview": "{}",
            "envelope": {"id": str(event_id), "type": "order.approved", "data": {}}}


async def dead_letter(app, *, service: str | None = None, body: bytes | None = None,
                      headers: dict | None = None) -> tuple[str, uuid.UUID]:
    """A dead letter as the ingester stores it; returns its service and event id."""
    service = service or unique("svc")
    event_id = uuid.uuid4()
    env = OrderApproved(order_id=uuid.uuid4(), number="DH20261208-0042",
                        customer_id=uuid.uuid4(), reviewed_by="admin",
                        reviewed_at=datetime.now(UTC)).envelope("order")
    env = env.model_copy(update={"id": event_id})
    dead = dl.describe(body if body is not None else env.model_dump_json().encode(),
                       headers if headers is not None else {
                           dl.REASON_HEADER: "handler_failed",
                           dl.ERROR_HEADER: "KeyError('customer_id')",
                           dl.ROUTING_KEY_HEADER: "order.approved",
                           "traceparent": "00-abc-def-01"},
                       queue=f"{service}.events", message_id=str(event_id),
                       type_="order.approved", content_type="application/json")
    async with app.state.db.sessionmaker() as s, s.begin():
        await DeadLetterRepository(s).upsert(dead, service)
    return service, event_id


async def only(app, token: str, service: str, status: str = "open") -> dict:
    async with client(app, token) as c:
        r = await c.get("/api/console/ops/dead-letters",
                        params={"service": service, "status": status})
    assert r.status_code == 200, r.text
    [row] = r.json()
    return row


class TestSeeing:
    async def test_listed_with_reason_error_and_preview_B7(self, ops):
        app, _ = ops
        service, event_id = await dead_letter(app)
        await dead_letter(app, service=service)  # another of the same consumer
        _, token = await staff_token(app, "ops:query")
        async with client(app, token) as c:
            r = await c.get("/api/console/ops/dead-letters",
                            params={"service": service, "limit": 1})
            assert r.status_code == 200 and r.headers["X-Total-Count"] == "2"
            r = await c.get("/api/console/ops/dead-letters", params={"service": service})
        rows = {x["event_id"]: x for x in r.json()}
        row = rows[str(event_id)]
        assert row["queue"] == f"{service}.events" and row["event_type"] == "order.approved"
        assert (row["reason"], row["error"]) == ("handler_failed", "KeyError('customer_id')")
        assert row["death_count"] == 1 and row["status"] == "open"
        assert "DH20261208-0042" in row["preview"]

    async def test_the_detail_shows_the_whole_payload_B7(self, ops):
        app, _ = ops
        service, event_id = await dead_letter(app)
        _, token = await staff_token(app, "ops:query")
        row = await only(app, token, service)
        async with client(app, token) as c:
            r = await c.get(f"/api/console/ops/dead-letters/{row['id']}")
            missing = await c.get(f"/api/console/ops/dead-letters/{uuid.uuid4()}")
        assert r.status_code == 200
        detail = r.json()
        assert detail["payload_json"]["id"] == str(event_id)
        assert detail["payload"].startswith("{\n  ")  # pretty
        assert detail["headers"]["traceparent"] == "00-abc-def-01"
        assert missing.status_code == 404 and missing.json()["detail"] == "No such dead letter"

    async def test_a_body_that_is_no_json_is_shown_as_text_B7(self, ops):
        app, _ = ops
        service, _ = await dead_letter(app, body=b"{garbage \xff", headers={
            dl.REASON_HEADER: "unreadable", dl.ERROR_HEADER: "not an event envelope"})
        _, token = await staff_token(app, "ops:query")
        row = await only(app, token, service)
        async with client(app, token) as c:
            detail = (await c.get(f"/api/console/ops/dead-letters/{row['id']}")).json()
        assert detail["payload_json"] is None and detail["payload"].startswith("{garbage")
        assert row["reason"] == "unreadable"

    async def test_every_consumers_queue_is_counted_B7(self, ops):
        app, _ = ops
        _, token = await staff_token(app, "ops:query")
        async with client(app, token) as c:
            r = await c.get("/api/console/ops/dead-letters/queues")
        assert r.status_code == 200
        queues = {q["service"]: q for q in r.json()}
        for name in ("customer", "order", "invoice", "points", "servicedesk", "notify",
                     "finance", "notifier"):
            assert name in queues, name
        assert queues["order"]["queue"] == "order.events"


class TestWhoMay:
    async def test_without_ops_query_it_is_403_X1(self, ops):
        app, _ = ops
        _, token = await staff_token(app, "settings:*", "orders:*")
        async with client(app, token) as c:
            for path in ("/api/console/ops/dead-letters", "/api/console/ops/dead-letters/queues",
                         "/api/console/ops/outbox-failures"):
                r = await c.get(path)
                assert r.status_code == 403 and "ops:query" in r.json()["detail"], path

    async def test_staff_limited_to_areas_are_refused_C7(self, ops):
        app, _ = ops
        _, token = await staff_token(app, "ops:*", areas=["华东"])
        async with client(app, token) as c:
            r = await c.get("/api/console/ops/dead-letters")
        assert r.status_code == 403
        assert r.json()["error"] == "AreaBound"
        assert "without an area limit" in r.json()["detail"]

    async def test_replay_needs_ops_entry_and_discard_ops_modify_X1(self, ops):
        app, _ = ops
        service, _ = await dead_letter(app)
        _, reader = await staff_token(app, "ops:query")
        row = await only(app, reader, service)
        _, replayer = await staff_token(app, "ops:entry")
        async with client(app, reader) as c:
            assert (await c.post(f"/api/console/ops/dead-letters/{row['id']}/replay",
                                 json={})).status_code == 403
        async with client(app, replayer) as c:
            r = await c.post(f"/api/console/ops/dead-letters/{row['id']}/discard",
                             json={"reason": "x"})
            assert r.status_code == 403 and "ops:modify" in r.json()["detail"]

    async def test_the_catalog_offers_the_ops_module_X1(self, ops):
        app, _ = ops
        _, token = await staff_token(app, "settings:query")
        async with client(app, token) as c:
            catalog = (await c.get("/api/console/permissions")).json()
        assert "ops" in catalog["modules"] and "ops:entry" in catalog["permissions"]


class TestReplay:
    async def test_replayed_onto_its_queue_once_and_audited_B7(self, ops):
        app, _ = ops
        service, event_id = await dead_letter(app)
        user, token = await staff_token(app, "ops:query", "ops:entry")
        row = await only(app, token, service)
        async with client(app, token) as c:
            r = await c.post(f"/api/console/ops/dead-letters/{row['id']}/replay",
                             json={"reason": "customer_id fixed in 1.4.2"})
            again = await c.post(f"/api/console/ops/dead-letters/{row['id']}/replay")
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "replayed" and r.json()["resolved_by"] == user.username
        [sent] = app.state.republisher.sent
        assert sent["queue"] == f"{service}.events" and sent["message_id"] == str(event_id)
        assert sent["headers"]["traceparent"] == "00-abc-def-01"
        assert again.status_code == 409
        assert f"already replayed by {user.username}" in again.json()["detail"]
        assert await only(app, token, service, "replayed")
        [record] = await audit(app, "dead_letter_replayed", event_id)
        assert record["actor_username"] == user.username
        assert record["after"]["reason"] == "customer_id fixed in 1.4.2"
        assert record["after"]["queue"] == f"{service}.events"

    async def test_a_refused_publish_leaves_it_open_B7(self, ops):
        app, _ = ops
        service, _ = await dead_letter(app)
        _, token = await staff_token(app, "ops:*")
        row = await only(app, token, service)
        app.state.republisher.refuse = True
        async with client(app, token) as c:
            r = await c.post(f"/api/console/ops/dead-letters/{row['id']}/replay")
        assert r.status_code == 409 and r.json()["error"] == "QueueMissing"
        assert (await only(app, token, service))["status"] == "open"


class TestDiscard:
    async def test_needs_a_reason_and_happens_once_audited_B7(self, ops):
        app, _ = ops
        service, event_id = await dead_letter(app)
        user, token = await staff_token(app, "ops:query", "ops:modify")
        row = await only(app, token, service)
        url = f"/api/console/ops/dead-letters/{row['id']}/discard"
        async with client(app, token) as c:
            assert (await c.post(url, json={})).status_code == 422
            blank = await c.post(url, json={"reason": "   "})
            assert blank.status_code == 422 and "say why" in blank.json()["detail"]
            r = await c.post(url, json={"reason": "测试数据，无需处理"})
            again = await c.post(url, json={"reason": "again"})
        assert r.status_code == 200 and r.json()["status"] == "discarded"
        assert r.json()["resolution_reason"] == "测试数据，无需处理"
        assert again.status_code == 409
        assert f"already discarded by {user.username}" in again.json()["detail"]
        async with client(app, token) as c:
            r = await c.get("/api/console/ops/dead-letters", params={"service": service})
        assert r.json() == []
        [audit_row] = await audit(app, "dead_letter_discarded", event_id)
        assert audit_row["after"]["reason"] == "测试数据，无需处理"


async def audit(app, type_: str, target_id: uuid.UUID) -> list[dict]:
    async with app.state.db.sessionmaker() as s:
        rows = await s.execute(text("SELECT * FROM audit_events WHERE type = :t AND "
                                    "target_id = :i"), {"t": type_, "i": target_id})
        return [dict(r._mapping) for r in rows]


class TestOutboxFailures:
    async def test_gathered_from_every_service_and_the_gateway_B7(self, ops):
        app, seen = ops
        async with app.state.db.sessionmaker() as s, s.begin():
            env = await add_event(s, OrderApproved(
                order_id=uuid.uuid4(), number="DH1", customer_id=uuid.uuid4(),
                reviewed_by="a", reviewed_at=datetime.now(UTC)), source="gateway")
            await s.execute(text("UPDATE outbox SET attempts = 10, last_error = 'refused' "
                                 "WHERE event_id = :i"), {"i": env.id})
        try:
            _, token = await staff_token(app, "ops:query")
            async with client(app, token) as c:
                r = await c.get("/api/console/ops/outbox-failures")
            assert r.status_code == 200, r.text
            assert r.headers["X-Unavailable-Services"].split(",") == [
                "customer", "invoice", "points", "servicedesk", "notify"]
            by_id = {x["event_id"]: x for x in r.json()}
            assert by_id[str(env.id)]["service"] == "gateway"
            assert by_id[str(env.id)]["last_error"] == "refused"
            assert by_id[str(app.state.order_event)]["service"] == "order"
            asked = [q for q in seen if q.url.path == "/internal/ops/outbox-failures"]
            principal = verify_internal_token(asked[0].headers[HEADER],
                                              app.state.settings.internal_token_secret)
            assert "ops:query" in principal.permissions
        finally:
            async with app.state.db.sessionmaker() as s, s.begin():
                await s.execute(text("DELETE FROM outbox WHERE event_id = :i"),
                                {"i": env.id})

    async def test_replay_hands_it_back_to_its_service_audited_B7(self, ops):
        app, seen = ops
        user, token = await staff_token(app, "ops:query", "ops:entry")
        event_id = app.state.order_event
        async with client(app, token) as c:
            r = await c.post(f"/api/console/ops/outbox-failures/order/{event_id}/replay",
                             json={"reason": "queue bound again"})
            gone = await c.post(f"/api/console/ops/outbox-failures/order/{uuid.uuid4()}/replay")
            nobody = await c.post(f"/api/console/ops/outbox-failures/nope/{event_id}/replay")
        assert r.status_code == 200, r.text
        assert seen[-2].method == "POST"
        assert seen[-2].url.path == f"/internal/ops/outbox-failures/{event_id}/replay"
        assert gone.status_code == 404 and "no longer waiting" in gone.json()["detail"]
        assert nobody.status_code == 404 and "No such service" in nobody.json()["detail"]
        [row] = await audit(app, "outbox_event_replayed", event_id)
        assert row["actor_username"] == user.username
        assert row["after"]["reason"] == "queue bound again"

    async def test_the_gateways_own_row_is_handed_back_here_B7(self, ops):
        app, _ = ops
        async with app.state.db.sessionmaker() as s, s.begin():
            env = await add_event(s, OrderApproved(
                order_id=uuid.uuid4(), number="DH2", customer_id=uuid.uuid4(),
                reviewed_by="a", reviewed_at=datetime.now(UTC)), source="gateway")
            await s.execute(text("UPDATE outbox SET attempts = 10 WHERE event_id = :i"),
                            {"i": env.id})
        try:
            _, token = await staff_token(app, "ops:entry")
            url = f"/api/console/ops/outbox-failures/gateway/{env.id}/replay"
            async with client(app, token) as c:
                r = await c.post(url)
                again = await c.post(url)
            assert r.status_code == 200 and again.status_code == 404
            async with app.state.db.sessionmaker() as s:
                attempts = (await s.execute(text(
                    "SELECT attempts FROM outbox WHERE event_id = :i"), {"i": env.id})
                ).scalar_one()
            assert attempts == 0
        finally:
            async with app.state.db.sessionmaker() as s, s.begin():
                await s.execute(text("DELETE FROM outbox WHERE event_id = :i"),
                                {"i": env.id})
