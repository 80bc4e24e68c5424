"""Benchmark (issue 16): how fast a consumer works off a backlog — events that piled up
while it was down or busy — applying the waiting events one transaction each
(`max_batch=1`, as before) or together (`max_batch=16`, the default), side by side in
the same run, through the real PostgreSQL and RabbitMQ. Each event's handler writes one
row, like a read model's upsert; every event keeps its inbox row.

    make bench   (or: uv run python bench/consumer_catchup.py [N])
"""

from __future__ import annotations

import asyncio
import sys
import time
import uuid
from datetime import UTC, datetime

import aio_pika
from dinghuo_contracts import OrderApproved
from outbox_latency import AMQP, PG, drop_topology  # a sibling script of bench/
from servicekit.db import Database, make_metadata
from servicekit.logging import configure_logging
from servicekit.messaging import Consumer, HandlerRegistry, Topology, define_messaging_tables
from servicekit.migrations import create_database, drop_database
from sqlalchemy import Column, Integer, String, Table, func, insert, select, text
from sqlalchemy.dialects.postgresql import UUID

metadata = make_metadata()
define_messaging_tables(metadata)
effects = Table("effects", metadata,
                Column("id", Integer, primary_key=True, autoincrement=True),
                Column("order_id", UUID(as_uuid=True), nullable=False),
                Column("number", String(40), nullable=False))


def envelopes(n: int, tag: str = "B") -> list[tuple[bytes, str, str]]:
    """`n` events ready to publish: body, message id, type."""
    out = []
    for i in range(n):
        env = OrderApproved(order_id=uuid.uuid4(), number=f"{tag}{i}", customer_id=uuid.uuid4(),
                            reviewed_by="bench", reviewed_at=datetime.now(UTC)).envelope("bench")
        out.append((env.model_dump_json().encode(), str(env.id), env.type))
    return out


async def publish_each(ex: aio_pika.abc.AbstractExchange,
                       events: list[tuple[bytes, str, str]]) -> None:
    """Publish one at a time, persistent, as a relay does (confirms: the channel's)."""
    for body, mid, typ in events:
        await ex.publish(aio_pika.Message(body, message_id=mid, type=typ,
                                          delivery_mode=aio_pika.DeliveryMode.PERSISTENT),
                         routing_key=typ)


def effect_registry() -> HandlerRegistry:
    """A consumer's handlers that write one row per event, like a read model's upsert."""
    registry = HandlerRegistry()

    @registry.on(OrderApproved)
    async def on(session, event, env):
        await session.execute(insert(effects).values(order_id=event.order_id,
                                                     number=event.number))

    return registry


async def backlog(exchange: str, n: int) -> None:
    conn = await aio_pika.connect(AMQP)
    try:
        ch = await conn.channel(publisher_confirms=True)
        ex = await ch.declare_exchange(exchange, aio_pika.ExchangeType.TOPIC, durable=True)
        await publish_each(ex, envelopes(n))
    finally:
        await conn.close()


async def one(max_batch: int, n: int) -> tuple[float, float, int]:
    """Seconds to work off `n` waiting events, CPU seconds of this process meanwhile, and
    the transactions that applied more than one."""
    run = uuid.uuid4().hex[:6]
    url = f"{PG}/dinghuo_bench_catchup_{run}"
    await create_database(url, drop_first=True)
    db = Database(url)
    async with db.engine.begin() as c:
        await c.run_sync(metadata.create_all)
    exchange = f"dinghuo.bench.{run}"
    topo = Topology(exchange, f"bench{run}.")
    registry = effect_registry()
    conn = await aio_pika.connect(AMQP)
    try:
        await topo.declare_service(await conn.channel(), "bench", registry.binding_keys)
        await backlog(exchange, n)
        consumer = Consumer("bench", db.sessionmaker, AMQP, topo, registry,
                            max_batch=max_batch)
        cpu0, t0 = time.process_time(), time.perf_counter()
        await consumer.start()
        while consumer.processed < n:
            await asyncio.sleep(0.01)
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        await consumer.stop()
        async with db.sessionmaker() as s:
            applied = (await s.execute(select(func.count()).select_from(effects))).scalar_one()
            inbox = (await s.execute(text("SELECT count(*) FROM inbox"))).scalar_one()
        assert applied == inbox == n, (applied, inbox, n)
        return elapsed, cpu, consumer.batches
    finally:
        await conn.close()
        await drop_topology(topo, "bench")
        await db.dispose()
        await drop_database(url)


async def main(n: int) -> None:
    configure_logging("bench", "WARNING", json=False)
    results: dict[int, list[tuple[float, float, int]]] = {1: [], 16: []}
    for _ in range(2):  # alternated, so a slower moment of the machine hits both
        for max_batch in (1, 16):
            results[max_batch].append(await one(max_batch, n))
    print(f"consumer catch-up: {n} waiting events, one row each, best of 2 (issue 16):")
    best = {}
    for max_batch, runs in results.items():
        elapsed, cpu, batches = min(runs)
        best[max_batch] = elapsed
        print(f"  max_batch={max_batch:<2}  {n / elapsed:7.0f} events/s  "
              f"{cpu / n * 1000:.2f} ms CPU/event (consumer)  batches {batches}")
    print(f"  together / one by one: x{best[1] / best[16]:.2f} events/s")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000))
