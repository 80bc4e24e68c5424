"""Dead letters (B-7): what a dead-lettered message says about itself (pure), and the
outbox rows the relay gives up on, handed back by an operator."""

import uuid
from datetime import UTC, datetime, timedelta

import aio_pika
from servicekit.app import create_service_app
from servicekit.messaging import OutboxRelay, add_event
from servicekit.messaging import deadletters as dl
from servicekit.messaging.outbox import failed_rows, replay_failed
from servicekit.settings import ServiceSettings
from servicekit.testing import helpers as h
from sqlalchemy import text

from .test_outbox import drain, event

NOW = datetime(2026, 12, 8, 1, 0, tzinfo=UTC)


def envelope_body(event_id: uuid.UUID, kind: str = "order.approved") -> bytes:
    return (f'{{"id": "{event_id}", "type": "{kind}", "version": 1, '
            f'"data": {{"order_id": "x"}}}}').encode()


class TestDescribe:
    def test_the_inbox_error_and_reason_win_B7(self):
        eid = uuid.uuid4()
        dead = dl.describe(envelope_body(eid), {
            dl.ERROR_HEADER: "RuntimeError('boom')", dl.REASON_HEADER: "handler_failed",
            dl.FAILED_AT_HEADER: "2026-12-08T00:59:00+00:00",
            dl.ROUTING_KEY_HEADER: "order.approved", dl.EXCHANGE_HEADER: "dinghuo.events",
            "traceparent": "00-abc"}, queue="points.events", message_id=str(eid), now=NOW)
        assert (dead.message_key, dead.event_id, dead.event_type) == (str(eid), eid,
                                                                      "order.approved")
        assert (dead.reason, dead.error, dead.routing_key) == (
            "handler_failed", "RuntimeError('boom')", "order.approved")
        assert dead.death_count == 1 and dead.exchange == "dinghuo.events"
        assert dead.first_death_at == dead.last_death_at == NOW - timedelta(minutes=1)

    def test_the_brokers_x_death_is_read_when_the_broker_dead_lettered_it_B7(self):
        eid = uuid.uuid4()
        earlier = NOW - timedelta(hours=2)
        dead = dl.describe(envelope_body(eid), {
            "x-death": [
                {"count": 2, "reason": "delivery_limit", "queue": "points.events",
                 "time": NOW, "exchange": "dinghuo.events",
                 "routing-keys": ["order.approved"]},
                {"count": 1, "reason": "rejected", "queue": "other.events",
                 "time": earlier, "exchange": "", "routing-keys": ["x"]}],
            "x-first-death-reason": "delivery_limit",
            "x-first-death-queue": "points.events"}, queue="points.events", now=NOW)
        assert dead.reason == "delivery_limit" and dead.error is None
        assert dead.death_count == 2 and dead.routing_key == "order.approved"
        assert dead.first_death_at == earlier and dead.last_death_at == NOW
        assert dead.headers["x-death"][0]["time"] == NOW.isoformat()

    def test_a_body_that_is_no_envelope_is_keyed_by_its_hash_B7(self):
        dead = dl.describe(b"\xff{not json", {dl.REASON_HEADER: "unreadable"},
                           queue="points.events", now=NOW)
        assert dead.event_id is None and dead.event_type is None
        assert dead.message_key.startswith("sha256:") and len(dead.message_key) <= 100
        assert dl.describe(b"\xff{not json", {}, queue="q", now=NOW).message_key == \
            dead.message_key
        assert dead.reason == "unreadable" and dead.first_death_at == NOW

    def test_a_message_id_keys_a_message_without_an_envelope_id_B7(self):
        dead = dl.describe(b"[]", None, queue="q", message_id="m-1", type_="t", now=NOW)
        assert (dead.message_key, dead.event_type, dead.reason) == ("m-1", "t", "unknown")

    def test_a_replay_carries_no_death_records_and_no_error_B7(self):
        headers = {"x-death": [], "x-first-death-reason": "rejected", "x-delivery-count": 3,
                   dl.ERROR_HEADER: "e", dl.REASON_HEADER: "r", "traceparent": "00-abc"}
        assert dl.replay_headers(headers) == {"traceparent": "00-abc"}

    def test_header_values_become_json_B7(self):
        assert dl.jsonable({"a": b"x", "b": b"\xff", "c": [NOW]}) == {
            "a": "x", "b": "base64:/w==", "c": [NOW.isoformat()]}


class TestOutboxGivenUp:
    async def test_the_relay_gives_up_and_an_operator_hands_it_back_B7(self, kit_db, infra,
                                                                      broker):
        """Refused `max_attempts` times (unroutable), a row is given up: listed with its
        error, no longer tried; handed back, it is published once the cause is fixed."""
        exchange = broker.exchange("kit.givenup")
        relay = OutboxRelay(kit_db.sessionmaker, kit_db.url, infra.amqp_url, exchange,
                            poll_seconds=0.2, max_attempts=2)
        async with kit_db.sessionmaker() as s, s.begin():
            env = await add_event(s, event(), source="kit")

        async def state():
            async with kit_db.engine.connect() as c:
                return (await c.execute(text(
                    "SELECT sent_at, attempts, last_error FROM outbox WHERE event_id=:i"),
                    {"i": env.id})).one()

        async def due_now():
            async with kit_db.engine.begin() as c:
                await c.execute(text("UPDATE outbox SET next_attempt_at = now() "
                                     "WHERE event_id=:i"), {"i": env.id})
        conn = None
        try:
            await relay.relay_once()
            assert (await state()).attempts == 1
            await due_now()
            await relay.relay_once()
            await relay.relay_once()  # given up: not tried again
            row = await state()
            assert row.sent_at is None and row.attempts == 2 and "NO_ROUTE" in row.last_error
            async with kit_db.sessionmaker() as s:
                listed = {r.event_id: r for r in await failed_rows(s, 2)}
            assert listed[env.id].event_type == env.type
            assert listed[env.id].envelope["id"] == str(env.id)

            # the cause is fixed (a queue is bound), and an operator hands it back
            conn = await aio_pika.connect(infra.amqp_url)
            ch = await conn.channel()
            ex = await ch.declare_exchange(exchange, aio_pika.ExchangeType.TOPIC,
                                           durable=True)
            q = await ch.declare_queue(broker.queue("kit_givenup"), durable=True)
            await q.bind(ex, "#")
            async with kit_db.sessionmaker() as s, s.begin():
                assert (await replay_failed(s, env.id, 2)) is not None
            async with kit_db.sessionmaker() as s, s.begin():
                assert (await replay_failed(s, env.id, 2)) is None  # not waiting any more
            await relay.relay_once()
            assert [e.id for e in await drain(q, 1)] == [env.id]
            assert (await state()).sent_at is not None
            async with kit_db.sessionmaker() as s:
                assert env.id not in {r.event_id for r in await failed_rows(s, 2)}
        finally:
            await relay._drop_broker()
            if conn is not None:
                await conn.close()
            async with kit_db.engine.begin() as c:
                await c.execute(text("DELETE FROM outbox WHERE event_id=:i"), {"i": env.id})


class TestInternalRoutes:
    async def test_a_service_lists_and_hands_back_its_given_up_rows_B7(self, kit_db, infra):
        """/internal/ops/outbox-failures, which the gateway asks with the caller's token:
        ops:query to list, ops:entry to hand back, no area limit (C-7); not public."""
        settings = ServiceSettings(database_url=kit_db.url, amqp_url=infra.amqp_url,
                                   service_name="kit", environment="test",
                                   outbox_max_attempts=3)
        app = create_service_app(settings, [], title="kit")
        async with kit_db.sessionmaker() as s, s.begin():
            env = await add_event(s, event(), source="kit")
            await s.execute(text("UPDATE outbox SET attempts = 3, last_error = 'refused' "
                                 "WHERE event_id = :i"), {"i": env.id})
        url = "/internal/ops/outbox-failures"
        try:
            assert not [p for p in app.openapi()["paths"] if p.startswith("/internal")]
            async with h.client(app, h.staff("ops:query")) as c:
                rows = {r["event_id"]: r for r in (await c.get(url)).json()}
                assert rows[str(env.id)]["service"] == "kit"
                assert rows[str(env.id)]["envelope"]["id"] == str(env.id)
                assert (await c.post(f"{url}/{env.id}/replay")).status_code == 403
            async with h.client(app, h.staff("ops:*", areas=("华东",))) as c:
                r = await c.get(url)
                assert r.status_code == 403 and "area" in r.json()["detail"]
            async with h.client(app, h.staff("orders:*")) as c:
                assert (await c.get(url)).status_code == 403
            async with h.client(app) as c:
                assert (await c.get(url)).status_code == 401
            async with h.client(app, h.staff("ops:entry")) as c:
                r = await c.post(f"{url}/{env.id}/replay")
                assert r.status_code == 200 and r.json()["attempts"] == 3
                again = await c.post(f"{url}/{env.id}/replay")
                assert again.status_code == 404 and "no longer waiting" in again.json()["detail"]
        finally:
            await app.state.db.dispose()
            async with kit_db.engine.begin() as c:
                await c.execute(text("DELETE FROM outbox WHERE event_id=:i"), {"i": env.id})
