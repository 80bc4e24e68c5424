"""Benchmark: time from an outbox commit to the consumer's commit, through the real
PostgreSQL and RabbitMQ (target: the relay wakes within 100 ms of a commit).

    make bench   (or: uv run python bench/outbox_latency.py [N])
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime

from dinghuo_contracts import OrderApproved
from servicekit.db import Database, make_metadata
from servicekit.logging import configure_logging
from servicekit.messaging import (
    Consumer,
    HandlerRegistry,
    OutboxRelay,
    Topology,
    add_event,
    define_messaging_tables,
)
from servicekit.migrations import create_database, drop_database

PG = "postgresql+asyncpg://postgres@127.0.0.1:5432"
AMQP = "amqp://guest:guest@127.0.0.1:5672/"


async def drop_topology(topo: Topology, service: str) -> None:
    """Delete a bench run's queue, dead-letter queue and exchanges from the shared broker
    (left over, quorum queues pile up in RabbitMQ)."""
    import aio_pika

    conn = await aio_pika.connect(AMQP)
    try:
        ch = await conn.channel()
        for q in (topo.queue_name(service), topo.dlq_name(service)):
            await ch.queue_delete(q)
        await ch.exchange_delete(topo.exchange)
        await ch.exchange_delete(topo.dlx)
    finally:
        await conn.close()


async def main(n: int) -> None:
    configure_logging("bench", "WARNING", json=False)
    run = uuid.uuid4().hex[:6]
    url = f"{PG}/dinghuo_bench_{run}"
    await create_database(url, drop_first=True)
    md = make_metadata()
    define_messaging_tables(md)
    db = Database(url)
    async with db.engine.begin() as conn:
        await conn.run_sync(md.create_all)
    exchange = f"dinghuo.bench.{run}"
    topo = Topology(exchange, f"bench{run}.")
    arrived: dict[uuid.UUID, float] = {}
    registry = HandlerRegistry()

    @registry.on(OrderApproved)
    async def on(session, event, env):
        arrived[env.id] = time.perf_counter()

    consumer = Consumer("bench", db.sessionmaker, AMQP, topo, registry)
    await consumer.start()
    relay = OutboxRelay(db.sessionmaker, url, AMQP, exchange, poll_seconds=5)
    task = asyncio.create_task(relay.run())
    await asyncio.sleep(1)
    latencies = []
    try:
        for _ in range(n):
            async with db.sessionmaker() as s, s.begin():
                env = await add_event(s, OrderApproved(
                    order_id=uuid.uuid4(), number="B", customer_id=uuid.uuid4(),
                    reviewed_by="bench", reviewed_at=datetime.now(UTC)), source="bench")
            committed = time.perf_counter()
            while env.id not in arrived:
                await asyncio.sleep(0.001)
            latencies.append((arrived[env.id] - committed) * 1000)
    finally:
        relay.stop()
        await task
        await consumer.stop()
        await db.dispose()
        await drop_database(url)
        await drop_topology(topo, "bench")
    latencies.sort()
    p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]  # noqa: E731
    print(f"outbox commit → consumer handler, {n} events, one at a time (poll fallback 5 s):")
    print(f"  median {statistics.median(latencies):.1f} ms, p95 {p(0.95):.1f} ms, "
          f"max {latencies[-1]:.1f} ms   target: p95 < 100 ms "
          f"{'OK' if p(0.95) < 100 else 'MISSED'}")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 200))
