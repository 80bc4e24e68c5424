"""Inbox consumer: one durable quorum queue per service, manual ack after commit.

For each message: one session, one transaction holding the inbox row
`(consumer, event id)` and the handler's effects. A duplicate (the row exists) is acked
and skipped; a handler error rolls back and nacks with requeue, so the quorum queue
counts the delivery and dead-letters the message after the limit while later messages
keep flowing. A message that can never be understood goes to the DLQ at once.
Messages are handled one at a time (ordered per consumer) with a bounded prefetch.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

import aio_pika
from aio_pika.abc import AbstractIncomingMessage, AbstractQueue, AbstractRobustConnection
from dinghuo_contracts import Event, EventEnvelope, UnknownEvent, parse_event
from opentelemetry import trace
from pydantic import ValidationError
from sqlalchemy import MetaData
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..logging import get_logger
from ..tracing import extract_context, get_tracer
from .tables import define_messaging_tables
from .topology import Topology

log = get_logger(__name__)
_, _INBOX = define_messaging_tables(MetaData())

Handler = Callable[[AsyncSession, Any, EventEnvelope], Awaitable[None]]


class HandlerRegistry:
    """Event type → handler. `@registry.on(OrderSubmitted)` registers a coroutine
    `(session, event, envelope)`; the bindings of the service's queue follow from it."""

    def __init__(self) -> None:
        self.handlers: dict[str, Handler] = {}

    def on(self, event_cls: type[Event]) -> Callable[[Handler], Handler]:
        def deco(fn: Handler) -> Handler:
            self.handlers[event_cls.type] = fn
            return fn

        return deco

    @classmethod
    def combine(cls, *registries: HandlerRegistry) -> HandlerRegistry:
        combined = cls()
        for r in registries:
            clash = set(combined.handlers) & set(r.handlers)
            if clash:
                raise ValueError(f"two handlers for {sorted(clash)}")
            combined.handlers.update(r.handlers)
        return combined

    @property
    def binding_keys(self) -> list[str]:
        return sorted(self.handlers)


async def record_inbox(session: AsyncSession, consumer: str, envelope: EventEnvelope) -> bool:
    """Insert the inbox row; False when this consumer already processed the event."""
    result = await session.execute(
        insert(_INBOX)
        .values(consumer=consumer, event_id=envelope.id, event_type=envelope.type)
        .on_conflict_do_nothing()
        .returning(_INBOX.c.event_id)
    )
    return result.first() is not None


async def handle_envelope(
    session: AsyncSession, consumer: str, registry: HandlerRegistry, envelope: EventEnvelope
) -> bool:
    """Apply one envelope in the session's open transaction; False if it was a duplicate."""
    if not await record_inbox(session, consumer, envelope):
        return False
    handler = registry.handlers.get(envelope.type)
    if handler is not None:
        await handler(session, parse_event(envelope), envelope)
    return True


class Consumer:
    def __init__(
        self,
        name: str,
        sessionmaker: async_sessionmaker[AsyncSession],
        amqp_url: str,
        topology: Topology,
        registry: HandlerRegistry,
        *,
        prefetch: int = 16,
    ) -> None:
        self.name = name
        self.sessionmaker = sessionmaker
        self.amqp_url = amqp_url
        self.topology = topology
        self.registry = registry
        self.prefetch = prefetch
        self._lock = asyncio.Lock()
        self._connection: AbstractRobustConnection | None = None
        self._queue: AbstractQueue | None = None
        self._tag: str | None = None
        self.processed = 0
        self.duplicates = 0
        self.failures = 0

    async def start(self) -> None:
        self._connection = await aio_pika.connect_robust(self.amqp_url, timeout=10)
        channel = await self._connection.channel()
        await channel.set_qos(prefetch_count=self.prefetch)
        self._queue = await self.topology.declare_service(
            channel, self.name, self.registry.binding_keys
        )
        self._tag = await self._queue.consume(self._on_message)
        log.info("consumer_started", queue=self._queue.name,
                 bindings=self.registry.binding_keys)

    async def stop(self) -> None:
        if self._queue is not None and self._tag is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._queue.cancel(self._tag), 5)
        async with self._lock:  # let the message in hand finish
            pass
        if self._connection is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._connection.close(), 5)

    async def _on_message(self, message: AbstractIncomingMessage) -> None:
        async with self._lock:
            await self._process(message)

    async def _process(self, message: AbstractIncomingMessage) -> None:
        try:
            envelope = EventEnvelope.model_validate_json(message.body)
        except ValidationError as exc:
            log.error("message_unreadable", message_id=message.message_id, error=str(exc))
            await message.reject(requeue=False)
            return
        tracer = get_tracer("servicekit.inbox")
        with tracer.start_as_current_span(
            f"{envelope.type} process",
            context=extract_context(message.headers),
            kind=trace.SpanKind.CONSUMER,
            attributes={"messaging.system": "rabbitmq",
                        "messaging.operation": "process",
                        "messaging.destination.name": self.topology.queue_name(self.name),
                        "messaging.message.id": str(envelope.id),
                        "dinghuo.event_type": envelope.type},
        ) as span:
            try:
                async with self.sessionmaker() as session, session.begin():
                    fresh = await handle_envelope(session, self.name, self.registry, envelope)
            except (UnknownEvent, ValidationError) as exc:
                # A contract we cannot read will not get better by retrying.
                log.error("event_unreadable", event_id=str(envelope.id),
                          event_type=envelope.type, error=str(exc))
                span.record_exception(exc)
                await message.reject(requeue=False)
                self.failures += 1
                return
            except Exception as exc:  # noqa: BLE001
                self.failures += 1
                span.record_exception(exc)
                span.set_status(trace.Status(trace.StatusCode.ERROR))
                log.warning("event_handler_failed", event_id=str(envelope.id),
                            event_type=envelope.type, error=repr(exc),
                            redelivered=message.redelivered)
                with contextlib.suppress(Exception):
                    await message.nack(requeue=True)
                return
            await message.ack()
            if fresh:
                self.processed += 1
                log.info("event_processed", event_id=str(envelope.id), event_type=envelope.type)
            else:
                self.duplicates += 1
                span.set_attribute("dinghuo.duplicate", True)
                log.info("event_duplicate_skipped", event_id=str(envelope.id),
                         event_type=envelope.type)
