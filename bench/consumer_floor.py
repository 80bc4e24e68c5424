"""Benchmark (issue 16): the floor of one event's cost on this machine — what publishing an
event to the consumers of an order and consuming it costs in CPU, PostgreSQL and RabbitMQ
included, with handlers that do nothing but their inbox row and one row of effect.

    make bench   (or: uv run python bench/consumer_floor.py [N])

An order of the system publishes order.submitted, which four services consume (points,
notify, invoice, customer: each an inbox row and its read model or entry), so the CPU an
order needs is at least

    ceiling's order (bench/orders.py) + publish + 4 × consume

with every handler free, no gateway hop, no relay reading its outbox, no second event.
This measures, through the real PostgreSQL and RabbitMQ, on uvloop as the services run:

- publish: an envelope published with publisher confirms to an exchange whose event four
  quorum queues (with their dead-letter settings, servicekit's Topology) take in — the
  publishing process and RabbitMQ;
- consume, one by one as in steady traffic: (a) servicekit's `Consumer` (`max_batch=1`:
  inbox row, handler, commit, ack; its span and logging as configured) and (b) a bare
  consumer of the same libraries — aio-pika and asyncpg, no session, no span — doing the
  same inbox row and effect row in one transaction before its ack: what any consumer
  of this stack costs at least. Each with the process's CPU and PostgreSQL's and
  RabbitMQ's during the run.

It prints the floor of one order's CPU from these and the orders per second two cores
could carry at that floor.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
import uuid
from pathlib import Path

import aio_pika
import asyncpg
from consumer_catchup import effect_registry, envelopes, metadata, publish_each
from dinghuo_contracts import OrderApproved
from orders import cpu_of, infra_pids
from outbox_latency import AMQP, PG, drop_topology  # sibling scripts of bench/
from servicekit.db import Database
from servicekit.logging import configure_logging
from servicekit.messaging import Consumer, Topology
from servicekit.migrations import create_database, drop_database

FANOUT = ("points", "notify", "invoice", "customer")  # the consumers of order.submitted


def infra_cpu() -> dict[str, float]:
    """CPU seconds so far of PostgreSQL's and RabbitMQ's processes (looked up anew each
    time, so backends started meanwhile count)."""
    return {kind: cpu_of(pids) for kind, pids in infra_pids().items()}


class Meter:
    """CPU milliseconds per event of this process, PostgreSQL and RabbitMQ over a block."""

    def __enter__(self) -> Meter:
        self.cpu, self.infra = time.process_time(), infra_cpu()
        return self

    def done(self, n: int) -> dict[str, float]:
        infra = infra_cpu()
        return {"process": (time.process_time() - self.cpu) / n * 1000,
                "postgres": (infra["postgres"] - self.infra["postgres"]) / n * 1000,
                "rabbitmq": (infra["rabbitmq"] - self.infra["rabbitmq"]) / n * 1000}

    def __exit__(self, *exc: object) -> None:
        return None


async def publish(exchange: str, events: list[tuple[bytes, str, str]]) -> dict[str, float]:
    """Publish with confirms, one at a time as a relay's batch does, measured."""
    conn = await aio_pika.connect(AMQP)
    try:
        ch = await conn.channel(publisher_confirms=True)
        ex = await ch.declare_exchange(exchange, aio_pika.ExchangeType.TOPIC, durable=True)
        with Meter() as m:
            await publish_each(ex, events)
            return m.done(len(events))
    finally:
        await conn.close()


async def consume_servicekit(db: Database, topo: Topology, n: int) -> dict[str, float]:
    consumer = Consumer(FANOUT[0], db.sessionmaker, AMQP, topo, effect_registry(),
                        max_batch=1)
    with Meter() as m:
        await consumer.start()
        while consumer.processed < n:
            await asyncio.sleep(0.01)
        result = m.done(n)
    await consumer.stop()
    return result


async def consume_bare(dsn: str, queue: str, n: int) -> dict[str, float]:
    """aio-pika and asyncpg alone: the inbox row and the effect in one transaction, then
    the ack; a duplicate's inbox row stops it (as servicekit's inbox does)."""
    pg = await asyncpg.connect(dsn)
    conn = await aio_pika.connect(AMQP)
    done = asyncio.Event()
    count = 0
    try:
        ch = await conn.channel()
        await ch.set_qos(prefetch_count=32)
        q = await ch.get_queue(queue, ensure=False)
        inbox = await pg.prepare(
            "INSERT INTO inbox (consumer, event_id, event_type) VALUES ($1, $2, $3) "
            "ON CONFLICT DO NOTHING RETURNING event_id")
        effect = await pg.prepare("INSERT INTO effects (order_id, number) VALUES ($1, $2)")

        lock = asyncio.Lock()  # one connection: one event at a time, as a Consumer does

        async def on(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            nonlocal count
            payload = json.loads(message.body)["data"]
            async with lock:
                async with pg.transaction():
                    if await inbox.fetchval("bare", uuid.UUID(message.message_id),
                                            message.type):
                        await effect.fetch(uuid.UUID(payload["order_id"]), payload["number"])
                await message.ack()
            count += 1
            if count >= n:
                done.set()

        with Meter() as m:
            await q.consume(on)
            await done.wait()
            return m.done(n)
    finally:
        await conn.close()
        await pg.close()


async def run(n: int) -> dict[str, dict[str, float]]:
    tag = uuid.uuid4().hex[:6]
    url = f"{PG}/dinghuo_bench_floor_{tag}"
    await create_database(url, drop_first=True)
    db = Database(url)
    async with db.engine.begin() as c:
        await c.run_sync(metadata.create_all)
    topo = Topology(f"dinghuo.bench.{tag}", f"floor{tag}.")
    out: dict[str, dict[str, float]] = {}
    try:
        conn = await aio_pika.connect(AMQP)
        try:
            ch = await conn.channel()
            for service in FANOUT:
                await topo.declare_service(ch, service, [OrderApproved.type])
        finally:
            await conn.close()
        events = envelopes(2 * n, "F")
        out["publish"] = await publish(topo.exchange, events)
        # Each consumer works off n of the events waiting in its queue; the queues hold 2n.
        out["consume servicekit"] = await consume_servicekit(db, topo, n)
        dsn = url.replace("postgresql+asyncpg", "postgresql")
        out["consume bare"] = await consume_bare(dsn, topo.queue_name(FANOUT[1]), n)
    finally:
        await db.dispose()
        for service in FANOUT:
            await drop_topology(topo, service)
        await drop_database(url)
    return out


def total(r: dict[str, float]) -> float:
    return r["process"] + r["postgres"] + r["rabbitmq"]


async def measure(n: int) -> dict[str, dict[str, float]]:
    """The best (least total CPU) of two runs of each part, CPU ms per event."""
    runs = [await run(n) for _ in range(2)]
    return {k: min((r[k] for r in runs), key=total) for k in runs[0]}


def floor_ms(best: dict[str, dict[str, float]], kind: str, ceiling_ms: float) -> float:
    """One order's CPU at least: the ceiling's order, order.submitted published to and
    consumed by its four consumers (`kind`: servicekit or bare). Left out, so it stays a
    floor: the gateway's hop, the relay's outbox reads, the points service's own event,
    every handler's real work."""
    return ceiling_ms + total(best["publish"]) + len(FANOUT) * total(best[f"consume {kind}"])


def lines(best: dict[str, dict[str, float]], ceiling_ms: float,
          target_rps: float = 200.0) -> list[str]:
    """A markdown table of the parts and the floor they make (for docs/performance.md)."""
    cores = os.cpu_count() or 1
    budget = 1000 * cores / target_rps
    out = ["| part (per event) | process | PostgreSQL | RabbitMQ | CPU ms |",
           "|---|---:|---:|---:|---:|"]
    for k, r in best.items():
        out.append(f"| {k} | {r['process']:.2f} | {r['postgres']:.2f} | {r['rabbitmq']:.2f} "
                   f"| {total(r):.2f} |")
    out.append("")
    for kind in ("servicekit", "bare"):
        f = floor_ms(best, kind, ceiling_ms)
        out.append(f"- one order with {kind} consumers, free handlers, no gateway, no relay "
                   f"reads: ceiling's {ceiling_ms:.2f} + publish + {len(FANOUT)} × consume "
                   f"= **{f:.2f} ms** CPU → at most **{1000 * cores / f:.0f} orders/s** on "
                   f"{cores} cores; at {target_rps:.0f} orders/s an order may cost "
                   f"{budget:.1f} ms in all, "
                   + (f"so {budget - f:.2f} ms would remain for everything left out"
                      if f < budget else f"which this floor alone exceeds by {f - budget:.2f} ms"))
    return out


async def main(n: int, ceiling_ms: float, json_out: Path | None) -> None:
    configure_logging("bench", "WARNING", json=False)
    best = await measure(n)
    if json_out is not None:
        json_out.write_text(json.dumps({"events": n, "best": best}))
    print(f"event floor: {n} events, CPU ms per event, best of 2, uvloop (issue 16):")
    print("\n".join(lines(best, ceiling_ms)))


if __name__ == "__main__":
    import argparse

    import uvloop

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("events", nargs="?", type=int, default=2000)
    parser.add_argument("--ceiling-ms", type=float, default=0.0,
                        help="the ceiling's CPU ms per order (bench/orders.py measures it)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    a = parser.parse_args()
    uvloop.run(main(a.events, a.ceiling_ms, a.json))
