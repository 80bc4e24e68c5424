"""Proof of the messaging mechanism against the real RabbitMQ and PostgreSQL (X-2):
events are never lost and never applied twice, poison messages do not block a queue."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from urllib.parse import urlparse

import aio_pika
import pytest
from dinghuo_contracts import (
    CatalogLine,
    CustomerApproved,
    InvoiceIssued,
    OrderApproved,
    OrderSubmitted,
    parse_event,
)
from order_service.app import create_app
from order_service.config import Settings
from order_service.messaging import registry as order_registry
from servicekit.messaging import Consumer, OutboxRelay, Topology
from servicekit.testing import helpers as h
from sqlalchemy import text

from .conftest import ROOT, eventually
from .probe import count_effects, counting_registry, effect_refs, record_effect
from .tcp_proxy import TcpProxy

pytestmark = pytest.mark.integration


def with_port(amqp_url: str, port: int) -> str:
    u = urlparse(amqp_url)
    netloc = f"{u.username}:{u.password}@127.0.0.1:{port}" if u.username else f"127.0.0.1:{port}"
    return f"{u.scheme}://{netloc}{u.path or '/'}?reconnect_interval=0.5"


def order_approved(order_id: uuid.UUID | None = None) -> OrderApproved:
    return OrderApproved(order_id=order_id or uuid.uuid4(), number="DH20261123-0001",
                         customer_id=uuid.uuid4(), reviewed_by="admin",
                         reviewed_at=datetime.now(UTC))


def invoice_issued() -> InvoiceIssued:
    """An event the poison tests' handler always fails on."""
    return InvoiceIssued(invoice_id=uuid.uuid4(), customer_id=uuid.uuid4(), order_ids=[],
                         invoice_number="X", invoice_date=date.today(), amount=Decimal("1"))


async def dead_lettered(infra, queue: str):
    """The first message that reaches `queue`'s dead-letter queue (taken off it)."""
    conn = await aio_pika.connect(infra.amqp_url)
    try:
        dlq = await (await conn.channel()).declare_queue(f"{queue}.dlq", passive=True)

        async def dead():
            msg = await dlq.get(no_ack=False, fail=False)
            if msg is not None:
                await msg.ack()
            return msg

        return await eventually(dead, timeout=30)
    finally:
        await conn.close()


async def publish(amqp_url: str, exchange: str, env, *, times: int = 1) -> None:
    conn = await aio_pika.connect(amqp_url)
    try:
        ch = await conn.channel(publisher_confirms=True)
        ex = await ch.declare_exchange(exchange, aio_pika.ExchangeType.TOPIC, durable=True)
        for _ in range(times):
            await ex.publish(aio_pika.Message(env.model_dump_json().encode(),
                                              message_id=str(env.id), type=env.type,
                                              delivery_mode=aio_pika.DeliveryMode.PERSISTENT),
                             routing_key=env.type, mandatory=True)
    finally:
        await conn.close()


async def unsent(db) -> int:
    async with db.engine.connect() as c:
        return (await c.execute(text("SELECT count(*) FROM outbox WHERE sent_at IS NULL"))
                ).scalar_one()


class TestBrokerOutage:
    async def test_orders_accepted_while_broker_cut_and_every_event_arrives_once_X2(
            self, infra, broker, mech_order_db, probe_db):
        """(a) the broker is cut while orders are submitted: all accepted, all events
        arrive after it comes back, none twice."""
        exchange = broker.exchange("mech.a")
        topology = Topology(exchange, infra.queue_prefix, delivery_limit=5)
        broker.queue("probe_a.events")
        target = urlparse(infra.amqp_url)
        proxy = TcpProxy(target.hostname or "127.0.0.1", target.port or 5672)
        await proxy.start()
        via_proxy = with_port(infra.amqp_url, proxy.port)

        consumer = Consumer("probe_a", probe_db.sessionmaker, via_proxy, topology,
                            counting_registry(OrderSubmitted))
        await consumer.start()
        relay = OutboxRelay(mech_order_db.sessionmaker, mech_order_db.url, via_proxy, exchange,
                            poll_seconds=0.2)
        relay_task = asyncio.create_task(relay.run())

        cid, pid = uuid.uuid4(), uuid.uuid4()
        await h.deliver(mech_order_db.sessionmaker, "order", order_registry, CustomerApproved(
            customer_id=cid, customer_number="C1", company_name="断网测试",
            catalog=[CatalogLine(product_id=pid, name="墨水", model="K", unit_price=Decimal("10"))],
            approved_by="t"))
        app = create_app(Settings(database_url=mech_order_db.url, environment="test"))
        body = {"delivery_date": (date.today() + timedelta(days=2)).isoformat(),
                "bill_type": "none", "lines": [{"product_id": str(pid), "quantity": 1}]}
        ids: list[str] = []
        try:
            async with h.client(app, h.customer(cid)) as c:
                for _ in range(5):
                    r = await c.post("/api/portal/orders", json=body)
                    assert r.status_code == 201
                    ids.append(r.json()["id"])
                await eventually(lambda: _has(probe_db, ids))

                proxy.cut()
                for _ in range(10):
                    r = await c.post("/api/portal/orders", json=body)
                    assert r.status_code == 201, "accepted while the broker is away"
                    ids.append(r.json()["id"])
                await asyncio.sleep(1.5)
                assert len(await effect_refs(probe_db)) == 5
                assert await unsent(mech_order_db) >= 10

                proxy.restore()
                refs = await eventually(lambda: _has(probe_db, ids), timeout=60)
            assert sorted(refs) == sorted(ids), "every event applied exactly once"
            assert await unsent(mech_order_db) == 0
        finally:
            relay.stop()
            await asyncio.wait_for(relay_task, 15)
            await consumer.stop()
            await app.state.db.dispose()
            await proxy.close()


async def _has(db, ids):
    refs = await effect_refs(db)
    return refs if set(ids) <= set(refs) else None


class TestDuplicates:
    async def test_same_event_twice_changes_state_once_X2(self, infra, broker, probe_db):
        """(b) the same event delivered twice is applied once (inbox)."""
        exchange = broker.exchange("mech.b")
        broker.queue("probe_b.events")
        consumer = Consumer("probe_b", probe_db.sessionmaker, infra.amqp_url,
                            Topology(exchange, infra.queue_prefix),
                            counting_registry(OrderApproved))
        await consumer.start()
        try:
            env = order_approved().envelope("test")
            await publish(infra.amqp_url, exchange, env, times=2)
            later = order_approved().envelope("test")
            await publish(infra.amqp_url, exchange, later)
            await eventually(lambda: count_effects(probe_db, later.id))
            await eventually(lambda: _at_least(consumer, "duplicates", 1))
            assert await count_effects(probe_db, env.id) == 1
            assert consumer.duplicates == 1
        finally:
            await consumer.stop()


async def _at_least(obj, attr, n):
    return getattr(obj, attr) >= n


class TestNothingToDo:
    async def test_an_event_the_handler_refuses_is_acked_without_a_transaction_issue16(
            self, infra, broker, probe_db):
        """issue 16: `on(..., when=...)` — an event the handler declares it has nothing to
        do with is acknowledged (the queue empties, nothing is redelivered) with no inbox
        row and no handler call; the events it wants are applied once, in order."""
        exchange = broker.exchange("mech.w")
        queue = broker.queue("probe_w.events")
        wanted: set[uuid.UUID] = set()
        registry = counting_registry()
        calls: list[uuid.UUID] = []

        @registry.on(OrderApproved, when=lambda e: e.order_id in wanted)
        async def handle(session, event, env):
            calls.append(event.order_id)
            await record_effect(session, env, str(event.order_id))

        consumer = Consumer("probe_w", probe_db.sessionmaker, infra.amqp_url,
                            Topology(exchange, infra.queue_prefix), registry)
        await consumer.start()
        try:
            envs = [order_approved().envelope("test") for _ in range(6)]
            wanted.update(parse_event(e).order_id for e in envs[::2])
            for env in envs:
                await publish(infra.amqp_url, exchange, env)
            last = envs[-2]
            await eventually(lambda: count_effects(probe_db, last.id))
            await eventually(lambda: _at_least(consumer, "ignored", 3))
            assert calls == [parse_event(e).order_id for e in envs[::2]]
            assert consumer.processed == 3 and consumer.ignored == 3
            async with probe_db.sessionmaker() as s:
                inbox = set((await s.execute(text(
                    "SELECT event_id FROM inbox WHERE consumer = 'probe_w'"))).scalars())
            assert inbox == {e.id for e in envs[::2]}
        finally:
            await consumer.stop()
        conn = await aio_pika.connect(infra.amqp_url)
        try:
            ch = await conn.channel()
            q = await ch.declare_queue(queue, passive=True)
            assert q.declaration_result.message_count == 0  # all acked, none left unacked
        finally:
            await conn.close()


async def _declared(infra, topology: Topology, name: str, registry) -> None:
    """The consumer's queue and bindings, so events published before it starts wait in
    it and reach it together (up to its prefetch)."""
    conn = await aio_pika.connect(infra.amqp_url)
    try:
        await topology.declare_service(await conn.channel(), name, registry.binding_keys)
    finally:
        await conn.close()


class TestBatches:
    """issue 16: events that arrived while the previous were being handled are applied
    together in one transaction, each still exactly once, in order, with its inbox row."""

    async def test_waiting_events_applied_in_one_transaction_in_order_once_X2_issue16(
            self, infra, broker, probe_db):
        exchange = broker.exchange("mech.batch")
        broker.queue("probe_batch.events")
        topology = Topology(exchange, infra.queue_prefix)
        wanted: set[uuid.UUID] = set()
        registry = counting_registry()
        calls: list[uuid.UUID] = []

        @registry.on(OrderApproved, when=lambda e: e.order_id in wanted)
        async def handle(session, event, env):
            calls.append(event.order_id)
            await record_effect(session, env, str(event.order_id))

        await _declared(infra, topology, "probe_batch", registry)
        envs = [order_approved().envelope("test") for _ in range(12)]
        refused = envs[3]
        wanted.update(parse_event(e).order_id for e in envs if e is not refused)
        for env in envs:
            await publish(infra.amqp_url, exchange, env)
        await publish(infra.amqp_url, exchange, envs[5])  # a duplicate, within the batch
        consumer = Consumer("probe_batch", probe_db.sessionmaker, infra.amqp_url, topology,
                            registry)
        await consumer.start()
        try:
            await eventually(lambda: _at_least(consumer, "duplicates", 1))
            await eventually(lambda: _at_least(consumer, "processed", 11))
            assert consumer.batches >= 1 and consumer.batch_failures == 0
            expected = [parse_event(e).order_id for e in envs if e is not refused]
            assert calls == expected  # in delivery order, each once
            assert await effect_refs(probe_db) == [str(o) for o in expected]
            assert (consumer.processed, consumer.duplicates, consumer.ignored) == (11, 1, 1)
            async with probe_db.sessionmaker() as s:
                inbox = set((await s.execute(text(
                    "SELECT event_id FROM inbox WHERE consumer = 'probe_batch'"))).scalars())
            assert inbox == {e.id for e in envs if e is not refused}
        finally:
            await consumer.stop()

    async def test_a_failing_event_in_a_batch_fails_alone_the_others_applied_once_X2_issue16(
            self, infra, broker, probe_db):
        """One handler error rolls the whole batch back; its events are then handled one
        by one: the failing one is retried and dead-lettered alone, the others are
        applied exactly once (none of them twice for having been in the failed batch)."""
        exchange = broker.exchange("mech.batchfail")
        queue = broker.queue("probe_batchfail.events")
        topology = Topology(exchange, infra.queue_prefix, delivery_limit=2)
        registry = counting_registry(OrderApproved)

        @registry.on(InvoiceIssued)
        async def always_fails(session, event, env):
            raise RuntimeError("this handler is broken")

        await _declared(infra, topology, "probe_batchfail", registry)
        good = [order_approved().envelope("test") for _ in range(8)]
        poison = invoice_issued().envelope("test")
        for env in good[:4]:
            await publish(infra.amqp_url, exchange, env)
        await publish(infra.amqp_url, exchange, poison)
        for env in good[4:]:
            await publish(infra.amqp_url, exchange, env)
        consumer = Consumer("probe_batchfail", probe_db.sessionmaker, infra.amqp_url,
                            topology, registry)
        await consumer.start()
        try:
            for env in good:
                await eventually(lambda env=env: count_effects(probe_db, env.id))
            msg = await dead_lettered(infra, queue)
            assert msg.message_id == str(poison.id)
            assert consumer.batch_failures >= 1
            for env in good:
                assert await count_effects(probe_db, env.id) == 1
            assert await effect_refs(probe_db) == [str(parse_event(e).order_id) for e in good]
        finally:
            await consumer.stop()


class TestPoisonMessage:
    async def test_failing_handler_goes_to_dlq_and_others_flow_X2(self, infra, broker, probe_db):
        """(c) a handler that always raises: its message is dead-lettered after the
        delivery limit while later messages keep flowing."""
        exchange = broker.exchange("mech.c")
        queue = broker.queue("probe_c.events")
        topology = Topology(exchange, infra.queue_prefix, delivery_limit=2)
        registry = counting_registry(OrderApproved)

        @registry.on(InvoiceIssued)
        async def always_fails(session, event, env):
            raise RuntimeError("this handler is broken")

        consumer = Consumer("probe_c", probe_db.sessionmaker, infra.amqp_url, topology, registry)
        await consumer.start()
        try:
            poison = invoice_issued().envelope("test")
            await publish(infra.amqp_url, exchange, poison)
            good = [order_approved().envelope("test") for _ in range(5)]
            for env in good:
                await publish(infra.amqp_url, exchange, env)
            for env in good:
                await eventually(lambda env=env: count_effects(probe_db, env.id))

            msg = await dead_lettered(infra, queue)
            assert msg.message_id == str(poison.id)
            assert consumer.failures >= 2
        finally:
            await consumer.stop()


class TestConsumerCrash:
    async def test_killed_before_commit_is_redelivered_and_applied_once_X2(
            self, infra, broker, probe_db, tmp_path):
        """(d) a consumer process killed after its writes but before commit/ack: the
        message is redelivered and its effect applied exactly once."""
        exchange = broker.exchange("mech.d")
        broker.queue("crashy.events")
        topology = Topology(exchange, infra.queue_prefix)
        marker = tmp_path / "handled"
        env_vars = {**os.environ, "PYTHONPATH": str(ROOT)}
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.integration.killable_consumer", probe_db.url,
             infra.amqp_url, exchange, infra.queue_prefix, str(marker)],
            cwd=ROOT, env=env_vars, start_new_session=True)
        try:
            # Publish once the crashy consumer has declared its queue and bound it.
            async def bound():
                conn = await aio_pika.connect(infra.amqp_url)
                try:
                    ch = await conn.channel()
                    await ch.declare_queue(topology.queue_name("crashy"), passive=True)
                    return True
                except Exception:  # noqa: BLE001
                    return False
                finally:
                    await conn.close()

            await eventually(bound, timeout=30, interval=0.3)
            await asyncio.sleep(0.5)
            event = order_approved()
            env = event.envelope("test")
            await publish(infra.amqp_url, exchange, env)
            await eventually(lambda: _exists(marker), timeout=30)
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
        assert await count_effects(probe_db) == 0, "the uncommitted write died with the process"

        consumer = Consumer("crashy", probe_db.sessionmaker, infra.amqp_url, topology,
                            counting_registry(OrderApproved))
        await consumer.start()
        try:
            await eventually(lambda: count_effects(probe_db, env.id))
            await asyncio.sleep(0.5)
            assert await count_effects(probe_db, env.id) == 1
            assert await effect_refs(probe_db) == [str(event.order_id)]
        finally:
            await consumer.stop()


async def _exists(path):
    return path.exists()
