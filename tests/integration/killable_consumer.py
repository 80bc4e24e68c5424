"""A consumer process for the crash test: its handler writes its effect, tells the test
(a marker file), then hangs before commit and ack until the test kills it."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from dinghuo_contracts import OrderApproved
from servicekit.db import Database
from servicekit.messaging import Consumer, HandlerRegistry, Topology

from tests.integration.probe import record_effect


async def main(db_url: str, amqp_url: str, exchange: str, prefix: str, marker: str) -> None:
    db = Database(db_url)
    registry = HandlerRegistry()

    @registry.on(OrderApproved)
    async def handler(session, event, env):
        await record_effect(session, env, str(event.order_id))
        await session.flush()  # the write has reached PostgreSQL, uncommitted
        Path(marker).write_text(str(env.id))
        await asyncio.sleep(3600)

    consumer = Consumer("crashy", db.sessionmaker, amqp_url, Topology(exchange, prefix),
                        registry, prefetch=1)
    await consumer.start()
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:6]))
