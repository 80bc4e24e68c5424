"""The broker names of one test run on the real RabbitMQ (127.0.0.1:5672 unless
DINGHUO_TEST_AMQP_URL says otherwise): an exchange and a queue prefix of its own,
removed afterwards."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import aio_pika
import pytest
from dinghuo_contracts import EventEnvelope


@dataclass
class Broker:
    url: str
    exchange: str
    queue_prefix: str
    connection: aio_pika.abc.AbstractRobustConnection
    channel: aio_pika.abc.AbstractChannel
    queues: set[str] = field(default_factory=set)

    @property
    def finance_queue(self) -> str:
        return f"{self.queue_prefix}finance.invoice-events"

    async def declare(self, name: str, keys: tuple[str, ...], **kwargs: Any):
        exchange = await self.channel.get_exchange(self.exchange)
        self.queues.add(name)
        queue = await self.channel.declare_queue(name, durable=True, **kwargs)
        for key in keys:
            await queue.bind(exchange, routing_key=key)
        return queue

    async def publish(self, body: bytes, routing_key: str,
                      message_id: str | None = None) -> None:
        exchange = await self.channel.get_exchange(self.exchange)
        await exchange.publish(
            aio_pika.Message(body=body, message_id=message_id or str(uuid.uuid4()),
                             content_type="application/json",
                             delivery_mode=aio_pika.DeliveryMode.PERSISTENT),
            routing_key=routing_key)

    async def publish_envelope(self, envelope: EventEnvelope) -> None:
        await self.publish(envelope.model_dump_json().encode(), envelope.type,
                           str(envelope.id))


@pytest.fixture
async def mq() -> AsyncIterator[Broker]:
    url = os.environ.get("DINGHUO_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
    run = uuid.uuid4().hex[:8]
    connection = await aio_pika.connect_robust(url, timeout=10)
    channel = await connection.channel()
    b = Broker(url, f"dinghuo.events.finance-t{run}", f"finance-t{run}.", connection, channel)
    await channel.declare_exchange(b.exchange, aio_pika.ExchangeType.TOPIC, durable=True)
    try:
        yield b
    finally:
        cleanup = await connection.channel()
        for name in sorted(b.queues):
            try:
                await cleanup.queue_delete(name)
            except Exception:  # noqa: BLE001 - already gone
                cleanup = await connection.channel()
        try:
            await cleanup.exchange_delete(b.exchange)
            await cleanup.exchange_delete(f"{b.exchange}.dlx")
        except Exception:  # noqa: BLE001, S110
            pass
        await connection.close()
