"""Broker topology: the topic exchange, each service's quorum queue with its dead-letter
exchange, DLQ and delivery limit, and the queues of external subscribers."""

from __future__ import annotations

from collections.abc import Iterable

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractExchange, AbstractQueue
from dinghuo_contracts import EXTERNAL_SUBSCRIBERS


class Topology:
    def __init__(self, exchange: str = "dinghuo.events", queue_prefix: str = "",
                 delivery_limit: int = 10) -> None:
        self.exchange = exchange
        self.queue_prefix = queue_prefix
        self.delivery_limit = delivery_limit

    @property
    def dlx(self) -> str:
        return f"{self.exchange}.dlx"

    def queue_name(self, service: str) -> str:
        return f"{self.queue_prefix}{service}.events"

    def dlq_name(self, service: str) -> str:
        return f"{self.queue_name(service)}.dlq"

    async def declare_exchange(self, channel: AbstractChannel) -> AbstractExchange:
        return await channel.declare_exchange(
            self.exchange, aio_pika.ExchangeType.TOPIC, durable=True
        )

    async def declare_queue(
        self, channel: AbstractChannel, name: str, binding_keys: Iterable[str]
    ) -> AbstractQueue:
        """A durable quorum queue bound to `binding_keys`, dead-lettering to `<name>.dlq`
        after `delivery_limit` deliveries (at-least-once dead-lettering)."""
        exchange = await self.declare_exchange(channel)
        dlx = await channel.declare_exchange(self.dlx, aio_pika.ExchangeType.DIRECT,
                                             durable=True)
        dlq = await channel.declare_queue(
            f"{name}.dlq", durable=True, arguments={"x-queue-type": "quorum"}
        )
        await dlq.bind(dlx, routing_key=name)
        queue = await channel.declare_queue(
            name,
            durable=True,
            arguments={
                "x-queue-type": "quorum",
                "x-delivery-limit": self.delivery_limit,
                "x-dead-letter-exchange": self.dlx,
                "x-dead-letter-routing-key": name,
                "x-dead-letter-strategy": "at-least-once",
                "x-overflow": "reject-publish",
            },
        )
        for key in sorted(set(binding_keys)):
            await queue.bind(exchange, routing_key=key)
        return queue

    async def declare_service(
        self, channel: AbstractChannel, service: str, binding_keys: Iterable[str]
    ) -> AbstractQueue:
        return await self.declare_queue(channel, self.queue_name(service), binding_keys)

    async def declare_external(self, channel: AbstractChannel) -> None:
        exchange = await self.declare_exchange(channel)
        for sub in EXTERNAL_SUBSCRIBERS:
            queue = await self.declare_queue(channel, f"{self.queue_prefix}{sub.queue}",
                                             sub.binding_keys)
            for key in sub.retired_binding_keys:  # unbinding a missing binding is a no-op
                await queue.unbind(exchange, routing_key=key)

    def consumers(self, services: Iterable[str]) -> dict[str, str]:
        """Every consuming queue (the services' and the external subscribers') → the
        name of its consumer; each has a `<queue>.dlq`."""
        out = {self.queue_name(s): s for s in services}
        out.update({f"{self.queue_prefix}{s.queue}": s.name for s in EXTERNAL_SUBSCRIBERS})
        return out

    def all_queue_names(self, services: Iterable[str]) -> list[str]:
        names = [self.queue_name(s) for s in services]
        names += [f"{self.queue_prefix}{s.queue}" for s in EXTERNAL_SUBSCRIBERS]
        return names + [f"{n}.dlq" for n in names]
