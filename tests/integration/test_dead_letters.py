"""Dead letters for operators (B-7) against the real RabbitMQ and PostgreSQL: a poison
message is dead-lettered with the consumer's error, moved into the gateway's store,
listed, and replayed once the handler is fixed — applied exactly once; a message that is
no envelope is discarded with a reason; listing neither loses nor reorders anything, with
two ingesters (two gateway workers) and two operators at once.

Also the measurement behind the design (`servicekit.messaging.deadletters`): browsing a
quorum queue in place counts deliveries and reorders it."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

import aio_pika
import pytest
from dinghuo_contracts import OrderApproved
from dinghuo_gateway.auth.caller import Caller
from dinghuo_gateway.config import Settings as GatewaySettings
from dinghuo_gateway.models import AuditEvent, User
from dinghuo_gateway.ops.broker import Republisher
from dinghuo_gateway.ops.domain import AlreadyHandled
from dinghuo_gateway.ops.repository import DeadLetterRepository
from dinghuo_gateway.ops.service import DeadLetterService
from servicekit.db import Database
from servicekit.messaging import Consumer, HandlerRegistry, Topology
from servicekit.messaging.deadletters import DeadLetterIngester
from sqlalchemy import select

from .conftest import ROOT, eventually
from .probe import count_effects, record_effect

pytestmark = pytest.mark.integration

GATEWAY_INI = ROOT / "gateway" / "alembic.ini"


@pytest.fixture(scope="session")
async def gateway_db(databases):
    db = Database(await databases.get("dl_gateway", GATEWAY_INI))
    yield db
    await db.dispose()


def operator(name: str = "ops") -> Caller:
    user = User(id=uuid.uuid4(), username=f"{name}-{uuid.uuid4().hex[:6]}", kind="staff",
                permissions=["ops:*"], areas=[])
    return Caller(user=user, session_id="s", permissions=frozenset({"ops:*"}), role_ids=(),
                  sensitive=False)


def approved() -> OrderApproved:
    return OrderApproved(order_id=uuid.uuid4(), number="DH20261208-0001",
                         customer_id=uuid.uuid4(), reviewed_by="admin",
                         reviewed_at=datetime.now(UTC))


async def publish(infra, exchange: str, env) -> None:
    conn = await aio_pika.connect(infra.amqp_url)
    try:
        ch = await conn.channel(publisher_confirms=True)
        ex = await ch.declare_exchange(exchange, aio_pika.ExchangeType.TOPIC, durable=True)
        await ex.publish(aio_pika.Message(env.model_dump_json().encode(),
                                          message_id=str(env.id), type=env.type,
                                          delivery_mode=aio_pika.DeliveryMode.PERSISTENT),
                         routing_key=env.type, mandatory=True)
    finally:
        await conn.close()


async def queue_depth(infra, name: str) -> int:
    conn = await aio_pika.connect(infra.amqp_url)
    try:
        ch = await conn.channel()
        return (await ch.declare_queue(name, passive=True)).declaration_result.message_count
    finally:
        await conn.close()


class Rig:
    """One consumer `name` with a handler that fails for the poisoned order ids, the
    gateway's ingester(s) on its DLQ, and the operators' service."""

    def __init__(self, infra, broker, probe_db, gateway_db, name: str, ingesters: int = 1):
        self.infra, self.probe_db, self.gateway_db = infra, probe_db, gateway_db
        self.exchange = broker.exchange(f"dl.{name}")
        self.queue = broker.queue(f"{name}.events")
        self.topology = Topology(self.exchange, infra.queue_prefix, delivery_limit=2)
        self.poisoned: set[uuid.UUID] = set()
        registry = HandlerRegistry()

        @registry.on(OrderApproved)
        async def handle(session, event, env):
            if event.order_id in self.poisoned:
                raise RuntimeError(f"cannot handle order {event.order_id}")
            await record_effect(session, env, str(event.order_id))

        self.consumer = Consumer(name, probe_db.sessionmaker, infra.amqp_url, self.topology,
                                 registry)
        self.ingesters = [DeadLetterIngester(infra.amqp_url, [self.queue], self.store,
                                             retry_seconds=0.5) for _ in range(ingesters)]
        self.settings = GatewaySettings(database_url=gateway_db.url, environment="test",
                                        amqp_url=infra.amqp_url, exchange=self.exchange,
                                        queue_prefix=infra.queue_prefix)
        self.republisher = Republisher(infra.amqp_url)
        self.tasks: list[asyncio.Task] = []

    async def store(self, dead) -> None:
        async with self.gateway_db.sessionmaker() as s, s.begin():
            await DeadLetterRepository(s).upsert(dead, "probe")

    async def __aenter__(self) -> Rig:
        await self.consumer.start()
        self.tasks = [asyncio.create_task(i.run()) for i in self.ingesters]
        return self

    async def __aexit__(self, *exc) -> None:
        await self.consumer.stop()
        for i in self.ingesters:
            i.stop()
        await asyncio.gather(*self.tasks)
        await self.republisher.close()

    async def listed(self, status: str | None = "open"):
        async with self.gateway_db.sessionmaker() as s:
            rows, _ = await DeadLetterRepository(s).list(
                service=None, status=status, event_type=None, limit=200, offset=0)
        return [r for r in rows if r.queue == self.queue]

    async def replay(self, actor: Caller, dead_letter_id, reason: str | None = None):
        async with self.gateway_db.sessionmaker() as s, s.begin():
            return await DeadLetterService(s, self.settings, self.republisher).replay(
                actor, dead_letter_id, reason, "127.0.0.1")

    async def discard(self, actor: Caller, dead_letter_id, reason: str):
        async with self.gateway_db.sessionmaker() as s, s.begin():
            return await DeadLetterService(s, self.settings, self.republisher).discard(
                actor, dead_letter_id, reason, "127.0.0.1")


async def audit_of(gateway_db, type_: str, event_id) -> list[AuditEvent]:
    async with gateway_db.sessionmaker() as s:
        return list((await s.scalars(select(AuditEvent).where(
            AuditEvent.type == type_, AuditEvent.target_id == event_id))).all())


class TestPoisonReplayed:
    async def test_listed_with_its_error_and_applied_once_after_the_fix_B7(
            self, infra, broker, probe_db, gateway_db):
        async with Rig(infra, broker, probe_db, gateway_db, "dl_poison") as rig:
            poison = approved()
            rig.poisoned.add(poison.order_id)
            env = poison.envelope("test")
            await publish(infra, rig.exchange, env)
            good = approved().envelope("test")
            await publish(infra, rig.exchange, good)  # later messages keep flowing
            await eventually(lambda: count_effects(rig.probe_db, good.id))

            async def one_listed():
                rows = await rig.listed()
                return rows if rows else None
            [row] = await eventually(one_listed, timeout=30)
            assert (row.event_id, row.event_type, row.service) == (env.id, "order.approved",
                                                                   "probe")
            assert row.reason == "handler_failed" and row.death_count == 1
            assert f"cannot handle order {poison.order_id}" in row.error
            assert row.routing_key == "order.approved" and row.message_key == str(env.id)
            assert await count_effects(rig.probe_db, env.id) == 0
            assert await queue_depth(infra, f"{rig.queue}.dlq") == 0  # moved, acked

            rig.poisoned.clear()  # the handler is fixed
            first, second = operator("ann"), operator("bob")
            results = await asyncio.gather(rig.replay(first, row.id, "handler fixed"),
                                           rig.replay(second, row.id),
                                           return_exceptions=True)
            refused = [r for r in results if isinstance(r, AlreadyHandled)]
            assert len(refused) == 1, results
            assert "already replayed by" in refused[0].message
            await eventually(lambda: count_effects(rig.probe_db, env.id))
            [after] = await rig.listed(status="replayed")
            assert after.id == row.id and after.resolved_by in (first.username,
                                                                second.username)
            [audit] = await audit_of(gateway_db, "dead_letter_replayed", env.id)
            assert audit.actor_username == after.resolved_by
            assert audit.after["queue"] == rig.queue and audit.after["status"] == "replayed"

            # a copy of the applied event reaches the DLQ after all (dead-lettering is
            # at-least-once) and is replayed too: the inbox has the event already, so
            # nothing is applied twice
            conn = await aio_pika.connect(infra.amqp_url)
            try:
                ch = await conn.channel(publisher_confirms=True)
                dlx = await ch.declare_exchange(rig.topology.dlx, aio_pika.ExchangeType.DIRECT,
                                                durable=True)
                await dlx.publish(aio_pika.Message(
                    env.model_dump_json().encode(), message_id=str(env.id), type=env.type,
                    headers={"x-dinghuo-reason": "handler_failed",
                             "x-dinghuo-error": "a copy"}), routing_key=rig.queue,
                    mandatory=True)
            finally:
                await conn.close()

            async def open_again():
                rows = await rig.listed()
                return rows if rows else None
            [again] = await eventually(open_again, timeout=30)
            assert again.id != row.id and again.event_id == env.id
            await rig.replay(first, again.id)

            async def skipped():
                return rig.consumer.duplicates >= 1
            await eventually(skipped)
            assert await count_effects(rig.probe_db, env.id) == 1
            assert await rig.listed() == []


class TestDiscard:
    async def test_a_message_that_is_no_envelope_is_discarded_with_a_reason_B7(
            self, infra, broker, probe_db, gateway_db):
        async with Rig(infra, broker, probe_db, gateway_db, "dl_garbage") as rig:
            conn = await aio_pika.connect(infra.amqp_url)
            try:
                ch = await conn.channel(publisher_confirms=True)
                await ch.default_exchange.publish(
                    aio_pika.Message(b"{this is not an envelope", message_id="garbage-1"),
                    routing_key=rig.queue, mandatory=True)
            finally:
                await conn.close()

            async def listed():
                rows = await rig.listed()
                return rows if rows else None
            [row] = await eventually(listed, timeout=30)
            assert row.reason == "unreadable" and "not an event envelope" in row.error
            assert row.message_key == "garbage-1" and row.event_id is None

            ops = operator()
            with pytest.raises(Exception, match="say why"):
                await rig.discard(ops, row.id, "   ")
            done = await rig.discard(ops, row.id, "test garbage, nobody sends this")
            assert done.status == "discarded"
            with pytest.raises(AlreadyHandled, match="already discarded by"):
                await rig.discard(operator(), row.id, "again")
            with pytest.raises(AlreadyHandled):
                await rig.replay(operator(), row.id)
            assert await rig.listed() == []
            [kept] = await rig.listed(status="discarded")
            assert kept.resolution_reason == "test garbage, nobody sends this"
            assert await queue_depth(infra, rig.queue) == 0
            assert await queue_depth(infra, f"{rig.queue}.dlq") == 0


class TestListingKeepsEverything:
    async def test_many_dead_letters_two_ingesters_nothing_lost_or_reordered_B7(
            self, infra, broker, probe_db, gateway_db):
        async with Rig(infra, broker, probe_db, gateway_db, "dl_many", ingesters=2) as rig:
            envs = []
            for _ in range(6):
                event = approved()
                rig.poisoned.add(event.order_id)
                envs.append(event.envelope("test"))
                await publish(infra, rig.exchange, envs[-1])

            async def all_listed():
                rows = await rig.listed()
                return rows if len(rows) >= len(envs) else None
            rows = await eventually(all_listed, timeout=60)
            assert sorted(r.event_id for r in rows) == sorted(e.id for e in envs)
            assert all(r.death_count == 1 for r in rows)  # each once, by one ingester
            order = [r.id for r in rows]
            for _ in range(3):  # looking changes nothing
                assert [r.id for r in await rig.listed()] == order
            # newest death first: the reverse of publishing (one consumer, in order)
            assert [r.event_id for r in rows] == [e.id for e in reversed(envs)]
            assert sum(i.ingested for i in rig.ingesters) == len(envs)
            assert await queue_depth(infra, f"{rig.queue}.dlq") == 0


class TestBrokerDeadLettering:
    async def test_a_message_the_broker_dead_letters_is_read_from_x_death_B7(
            self, infra, broker, probe_db, gateway_db):
        """A consumer without our inbox (an external subscriber) rejects a message: the
        broker's own dead-lettering, with `x-death`, reaches the store too."""
        rig = Rig(infra, broker, probe_db, gateway_db, "dl_native")
        conn = await aio_pika.connect(infra.amqp_url)
        try:
            ch = await conn.channel(publisher_confirms=True)
            queue = await rig.topology.declare_queue(ch, rig.queue, ["order.approved"])
            task = asyncio.create_task(rig.ingesters[0].run())
            env = approved().envelope("test")
            await publish(infra, rig.exchange, env)
            msg = await eventually(lambda: queue.get(no_ack=False, fail=False))
            await msg.reject(requeue=False)

            async def listed():
                rows = await rig.listed()
                return rows if rows else None
            [row] = await eventually(listed, timeout=30)
            assert (row.reason, row.error, row.event_id) == ("rejected", None, env.id)
            assert row.routing_key == "order.approved" and row.exchange == rig.exchange
            assert row.headers["x-first-death-reason"] == "rejected"
            # replayed onto that queue only, without the broker's death records
            await rig.replay(operator(), row.id)
            back = await eventually(lambda: queue.get(no_ack=False, fail=False))
            assert back.message_id == str(env.id) and "x-death" not in (back.headers or {})
            await back.ack()
        finally:
            rig.ingesters[0].stop()
            await task
            await rig.republisher.close()
            await conn.close()


class TestWhyNotBrowseInPlace:
    async def test_getting_and_requeueing_counts_as_a_delivery_B7(self, infra, broker):
        """The measurement behind the store: on a quorum queue, looking at a message with
        basic.get and giving it back adds to its delivery count (so RabbitMQ 4's default
        delivery limit of 20 would drop a message browsed twenty times)."""
        name = broker.queue("dl_browse.events.dlq")
        conn = await aio_pika.connect(infra.amqp_url)
        try:
            ch = await conn.channel(publisher_confirms=True)
            q = await ch.declare_queue(name, durable=True,
                                       arguments={"x-queue-type": "quorum"})
            for body in (b"a", b"b"):
                await ch.default_exchange.publish(aio_pika.Message(body), routing_key=name)
            first = await eventually(lambda: q.get(no_ack=False, fail=False))
            await first.reject(requeue=True)
            seen = {}
            while (m := await q.get(no_ack=False, fail=False)) is not None:
                seen[m.body] = (m.headers or {}).get("x-delivery-count") or 0
                await m.ack()
            assert seen == {b"a": 1, b"b": 0}
        finally:
            await conn.close()
