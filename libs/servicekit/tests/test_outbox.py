"""The outbox: written in the caller's transaction (gone with a rollback), relayed with
publisher confirms, marked sent after the ack, woken by NOTIFY, shared by two relays."""

import asyncio
import uuid
from datetime import UTC, datetime

import aio_pika
from dinghuo_contracts import EventEnvelope, OrderApproved
from servicekit.messaging import OutboxRelay, add_event
from sqlalchemy import text


def event() -> OrderApproved:
    return OrderApproved(order_id=uuid.uuid4(), number="DH1", customer_id=uuid.uuid4(),
                         reviewed_by="t", reviewed_at=datetime.now(UTC))


async def bound_queue(infra, broker, name):
    exchange = broker.exchange(f"kit.{name}")
    qname = broker.queue(name)
    conn = await aio_pika.connect(infra.amqp_url)
    ch = await conn.channel()
    ex = await ch.declare_exchange(exchange, aio_pika.ExchangeType.TOPIC, durable=True)
    q = await ch.declare_queue(qname, durable=True)
    await q.bind(ex, "#")
    return conn, q, exchange


async def drain(q, want: int, timeout: float = 10.0) -> list[EventEnvelope]:
    got: list[EventEnvelope] = []
    deadline = asyncio.get_running_loop().time() + timeout
    while len(got) < want and asyncio.get_running_loop().time() < deadline:
        msg = await q.get(no_ack=True, fail=False)
        if msg is None:
            await asyncio.sleep(0.05)
            continue
        got.append(EventEnvelope.model_validate_json(msg.body))
    return got


async def test_rolled_back_transaction_leaves_no_event(kit_db):
    ev = event()
    async with kit_db.sessionmaker() as s:
        async with s.begin():
            env = await add_event(s, ev, source="kit")
            await s.rollback()
    async with kit_db.engine.connect() as c:
        n = (await c.execute(text("SELECT count(*) FROM outbox WHERE event_id=:i"),
                             {"i": env.id})).scalar_one()
    assert n == 0


async def test_two_relays_publish_each_event_once_and_mark_sent(kit_db, infra, broker):
    conn, q, exchange = await bound_queue(infra, broker, "kit_two_relays")
    relays = [OutboxRelay(kit_db.sessionmaker, kit_db.url, infra.amqp_url, exchange,
                          poll_seconds=0.2, batch_size=7) for _ in range(2)]
    tasks = [asyncio.create_task(r.run()) for r in relays]
    try:
        ids = set()
        for _ in range(40):
            async with kit_db.sessionmaker() as s, s.begin():
                ids.add((await add_event(s, event(), source="kit")).id)
        got = await drain(q, 40)
        assert sorted(e.id for e in got if e.id in ids) == sorted(ids)
        assert len(got) == 40
        async with kit_db.engine.connect() as c:
            unsent = (await c.execute(text(
                "SELECT count(*) FROM outbox WHERE sent_at IS NULL"))).scalar_one()
        assert unsent == 0
        assert sum(r.published for r in relays) >= 40
    finally:
        for r in relays:
            r.stop()
        await asyncio.gather(*tasks)
        await conn.close()


async def test_notify_wakes_the_relay_without_polling(kit_db, infra, broker):
    """With polling effectively off (60 s), a commit still reaches the broker at once."""
    conn, q, exchange = await bound_queue(infra, broker, "kit_notify")
    relay = OutboxRelay(kit_db.sessionmaker, kit_db.url, infra.amqp_url, exchange,
                        poll_seconds=60)
    task = asyncio.create_task(relay.run())
    try:
        await asyncio.sleep(1.0)  # LISTEN is in place; the first catch-up round is done
        async with kit_db.sessionmaker() as s, s.begin():
            env = await add_event(s, event(), source="kit")
        got = await drain(q, 1, timeout=5)
        assert [e.id for e in got] == [env.id]
    finally:
        relay.stop()
        await task
        await conn.close()


async def test_unroutable_event_is_kept_and_retried_not_lost(kit_db, infra, broker):
    """mandatory + returns: an event no queue is bound for stays unsent with its error."""
    exchange = broker.exchange("kit.unrouted")
    relay = OutboxRelay(kit_db.sessionmaker, kit_db.url, infra.amqp_url, exchange,
                        poll_seconds=0.2)
    async with kit_db.sessionmaker() as s, s.begin():
        env = await add_event(s, event(), source="kit")
    # other tests' rows may be due too; run one batch
    await relay.relay_once()
    async with kit_db.engine.connect() as c:
        row = (await c.execute(text(
            "SELECT sent_at, attempts, last_error FROM outbox WHERE event_id=:i"),
            {"i": env.id})).one()
    await relay._drop_broker()
    assert row.sent_at is None and row.attempts == 1 and "NO_ROUTE" in (row.last_error or "")
    async with kit_db.engine.begin() as c:  # do not leave it for other tests' relays
        await c.execute(text("DELETE FROM outbox WHERE event_id=:i"), {"i": env.id})
