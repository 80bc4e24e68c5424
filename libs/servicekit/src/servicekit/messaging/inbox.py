"""Inbox consumer: one durable quorum queue per service, manual ack after commit.

For each message: one session, one transaction holding the inbox row
`(consumer, event id)` and the handler's effects. A duplicate (the row exists) is acked
and skipped; a handler error rolls back and rejects with requeue, so the quorum queue
counts the delivery (`basic.reject`, not `basic.nack`: from RabbitMQ 4.3 only a reject
counts towards the delivery limit) while later messages keep flowing. On the last
delivery the queue allows, and at once for a message that can never be understood, the
consumer dead-letters the message itself — a copy published to the dead-letter exchange
with the error in `x-dinghuo-error` (confirmed, then the original acked) — so operators
see why it failed (B-7, `messaging.deadletters`). Should that publish fail, the broker
dead-letters it as before, only without the error text.
Messages are handled in delivery order (ordered per consumer) with a bounded prefetch.
Those that arrived while the previous were being handled are applied together, in order,
in one transaction (issue 16: under load a session, a BEGIN, a COMMIT and a WAL flush per
message were a third of a consumer's cost); each keeps its inbox row, span and ack. Should
any of them fail, that transaction is rolled back and they are handled one by one as
above, so a failing event is retried, counted and dead-lettered alone.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

import aio_pika
from aio_pika.abc import (
    AbstractChannel,
    AbstractExchange,
    AbstractIncomingMessage,
    AbstractQueue,
    AbstractRobustConnection,
)
from dinghuo_contracts import Event, EventEnvelope, UnknownEvent, parse_event
from opentelemetry import trace
from pydantic import ValidationError
from sqlalchemy import MetaData, bindparam
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..errors import unavailable_detail
from ..logging import get_logger
from ..timeutil import utcnow
from ..tracing import extract_context, get_tracer
from ..upsert import insert
from . import deadletters as dl
from .tables import define_messaging_tables
from .topology import Topology

# The longest pause between two tries of an event whose database cannot be reached.
UNAVAILABLE_MAX_WAIT = 15.0

log = get_logger(__name__)
_, _INBOX = define_messaging_tables(MetaData())

Handler = Callable[[AsyncSession, Any, EventEnvelope], Awaitable[None]]


class HandlerRegistry:
    """Event type → handler. `@registry.on(OrderSubmitted)` registers a coroutine
    `(session, event, envelope)`; the bindings of the service's queue follow from it.

    `on(PointsEarned, when=...)`: a pure test of the event alone saying whether the
    handler has anything to do with it. An event it refuses is acknowledged without a
    transaction: no session, no inbox row (doing nothing twice is still nothing), no
    handler (issue 16: a consumed message that changes nothing cost a BEGIN, an inbox
    insert and a COMMIT per order)."""

    def __init__(self) -> None:
        self.handlers: dict[str, Handler] = {}
        self.conditions: dict[str, Callable[[Any], bool]] = {}

    def on(self, event_cls: type[Event], *, when: Callable[[Any], bool] | None = None
           ) -> Callable[[Handler], Handler]:
        def deco(fn: Handler) -> Handler:
            self.handlers[event_cls.type] = fn
            if when is not None:
                self.conditions[event_cls.type] = when
            return fn

        return deco

    def concerns(self, envelope: EventEnvelope) -> bool:
        """False when the handler has declared it has nothing to do with this event.
        Raises UnknownEvent/ValidationError for an event that cannot be read."""
        condition = self.conditions.get(envelope.type)
        return condition is None or bool(condition(parse_event(envelope)))

    @classmethod
    def combine(cls, *registries: HandlerRegistry) -> HandlerRegistry:
        combined = cls()
        for r in registries:
            clash = set(combined.handlers) & set(r.handlers)
            if clash:
                raise ValueError(f"two handlers for {sorted(clash)}")
            combined.handlers.update(r.handlers)
            combined.conditions.update(r.conditions)
        return combined

    @property
    def binding_keys(self) -> list[str]:
        return sorted(self.handlers)


# Built once (issue 16): a statement built per message cost more CPU in SQLAlchemy's
# construction and cache-key generation than its round trip; a constant one computes its
# cache key once and takes the values as parameters.
_RECORD = (insert(_INBOX)
           .values(consumer=bindparam("consumer"), event_id=bindparam("event_id"),
                   event_type=bindparam("event_type"))
           .on_conflict_do_nothing()
           .returning(_INBOX.c.event_id))


async def record_inbox(session: AsyncSession, consumer: str, envelope: EventEnvelope) -> bool:
    """Insert the inbox row; False when this consumer already processed the event."""
    result = await session.execute(
        _RECORD, {"consumer": consumer, "event_id": envelope.id, "event_type": envelope.type})
    return result.first() is not None


async def handle_envelope(
    session: AsyncSession, consumer: str, registry: HandlerRegistry, envelope: EventEnvelope
) -> bool:
    """Apply one envelope in the session's open transaction; False if it was a duplicate."""
    if not await record_inbox(session, consumer, envelope):
        return False
    handler = registry.handlers.get(envelope.type)
    if handler is not None:
        event = parse_event(envelope)
        condition = registry.conditions.get(envelope.type)
        if condition is None or condition(event):
            await handler(session, event, envelope)
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
        max_batch: int = 16,
    ) -> None:
        """`max_batch`: at most this many waiting messages in one transaction (1: each
        alone, as before issue 16; bench/consumer_catchup.py compares the two)."""
        self.name = name
        self.max_batch = max(1, max_batch)
        self.sessionmaker = sessionmaker
        self.amqp_url = amqp_url
        self.topology = topology
        self.registry = registry
        self.prefetch = prefetch
        self._lock = asyncio.Lock()
        self._connection: AbstractRobustConnection | None = None
        self._queue: AbstractQueue | None = None
        self._dl_channel: AbstractChannel | None = None
        self._dlx: AbstractExchange | None = None
        self._tag: str | None = None
        self.processed = 0
        self.duplicates = 0
        self.ignored = 0  # refused by the handler's `when` (no transaction)
        self.failures = 0
        self.batches = 0  # transactions that applied more than one message
        self.batch_failures = 0  # of those, rolled back and handled one by one
        self._waiting: list[AbstractIncomingMessage] = []
        self._stopping = False

    async def start(self) -> None:
        self._connection = await aio_pika.connect_robust(self.amqp_url, timeout=10)
        channel = await self._connection.channel()
        await channel.set_qos(prefetch_count=self.prefetch)
        self._queue = await self.topology.declare_service(
            channel, self.name, self.registry.binding_keys
        )
        # Dead-lettering with the error text: confirmed publishes to the DLX.
        self._dl_channel = await self._connection.channel(
            publisher_confirms=True, on_return_raises=True)
        self._dlx = await self._dl_channel.declare_exchange(
            self.topology.dlx, aio_pika.ExchangeType.DIRECT, durable=True)
        self._tag = await self._queue.consume(self._on_message)
        log.info("consumer_started", queue=self._queue.name,
                 bindings=self.registry.binding_keys)

    async def stop(self) -> None:
        self._stopping = True  # a message waiting for the database goes back at once
        if self._queue is not None and self._tag is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._queue.cancel(self._tag), 5)
        async with self._lock:  # let the message in hand finish
            pass
        if self._connection is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._connection.close(), 5)

    async def _on_message(self, message: AbstractIncomingMessage) -> None:
        # Each delivery is its own task; they queue here in delivery order, and whoever
        # holds the lock takes all that are waiting (a later task may find none left).
        self._waiting.append(message)
        async with self._lock:
            batch = self._waiting[:self.max_batch]
            del self._waiting[:len(batch)]
            if len(batch) == 1:
                await self._process(batch[0])
            elif batch:
                await self._process_batch(batch)

    async def _process_batch(self, messages: list[AbstractIncomingMessage]) -> None:
        """Apply `messages` in one transaction, in order; acknowledge each once it has
        committed. Anything unusual — an envelope or event that cannot be read, a handler
        error, a database out of reach — rolls the whole transaction back and
        leaves every message to `_process`, one by one, as if they had come singly."""
        try:
            envelopes = [EventEnvelope.model_validate_json(m.body) for m in messages]
            outcomes = await self._apply_batch(messages, envelopes)
        except Exception as exc:  # noqa: BLE001 - each message is retried alone
            self.batch_failures += 1
            log.info("event_batch_retried_singly", size=len(messages), error=repr(exc))
            for message in messages:
                await self._process(message)
            return
        self.batches += 1
        for envelope, outcome in zip(envelopes, outcomes, strict=True):
            self._count(envelope, outcome)
        for message in messages:
            await message.ack()

    def _count(self, envelope: EventEnvelope, outcome: bool | None) -> None:
        """Count and log a handled event — applied (True), a duplicate (False) or refused
        by its handler's `when` (None) — once committed, before its ack: an ack lost to a
        broker going down leaves it applied, and its redelivery counts as a duplicate."""
        if outcome is None:
            self.ignored += 1
        elif outcome:
            self.processed += 1
            log.info("event_processed", event_id=str(envelope.id), event_type=envelope.type)
        else:
            self.duplicates += 1
            log.info("event_duplicate_skipped", event_id=str(envelope.id),
                     event_type=envelope.type)

    def _span(self, message: AbstractIncomingMessage, envelope: EventEnvelope,
              batch: int | None = None):
        """The consumer span of one event, continuing the trace its publisher started;
        `batch`: how many were applied in its transaction."""
        return get_tracer("servicekit.inbox").start_as_current_span(
            f"{envelope.type} process",
            context=extract_context(message.headers),
            kind=trace.SpanKind.CONSUMER,
            attributes={"messaging.system": "rabbitmq",
                        "messaging.operation": "process",
                        "messaging.destination.name": self.topology.queue_name(self.name),
                        "messaging.message.id": str(envelope.id),
                        "dinghuo.event_type": envelope.type,
                        **({"dinghuo.batch": batch} if batch else {})})

    async def _apply_batch(self, messages: list[AbstractIncomingMessage],
                           envelopes: list[EventEnvelope]) -> list[bool | None]:
        """One transaction for all: per message True (applied), False (a duplicate) or
        None (its handler's `when` refused it). Each is applied as if alone: its changes
        are flushed and the session forgets its objects before the next one, so no
        handler sees another's objects as loaded (a Core statement of one could have
        made them stale)."""
        outcomes: list[bool | None] = []
        async with self.sessionmaker() as session, session.begin():
            for message, envelope in zip(messages, envelopes, strict=True):
                with self._span(message, envelope, batch=len(messages)) as span:
                    if not self.registry.concerns(envelope):
                        span.set_attribute("dinghuo.ignored", True)
                        outcomes.append(None)
                        continue
                    fresh = await handle_envelope(session, self.name, self.registry, envelope)
                    if not fresh:
                        span.set_attribute("dinghuo.duplicate", True)
                    await session.flush()
                    session.expunge_all()
                    outcomes.append(fresh)
        return outcomes

    async def _process(self, message: AbstractIncomingMessage) -> None:
        try:
            envelope = EventEnvelope.model_validate_json(message.body)
        except ValidationError as exc:
            log.error("message_unreadable", message_id=message.message_id, error=str(exc))
            self.failures += 1
            await self._dead_letter(message, "unreadable",
                                    f"not an event envelope: {exc}", requeue=False)
            return
        with self._span(message, envelope) as span:
            try:
                if not self.registry.concerns(envelope):
                    self._count(envelope, None)
                    await message.ack()
                    span.set_attribute("dinghuo.ignored", True)
                    return
                fresh = await self._apply(envelope)
            except (UnknownEvent, ValidationError) as exc:
                # A contract we cannot read will not get better by retrying.
                log.error("event_unreadable", event_id=str(envelope.id),
                          event_type=envelope.type, error=str(exc))
                span.record_exception(exc)
                self.failures += 1
                await self._dead_letter(message, "unreadable_event", repr(exc), requeue=False)
                return
            except Exception as exc:  # noqa: BLE001
                self.failures += 1
                span.record_exception(exc)
                span.set_status(trace.Status(trace.StatusCode.ERROR))
                log.warning("event_handler_failed", event_id=str(envelope.id),
                            event_type=envelope.type, error=repr(exc),
                            redelivered=message.redelivered,
                            deliveries=self._deliveries(message))
                if self._deliveries(message) > self.topology.delivery_limit:
                    await self._dead_letter(message, "handler_failed", repr(exc),
                                            requeue=True)
                else:
                    with contextlib.suppress(Exception):
                        await message.reject(requeue=True)
                return
            if not fresh:
                span.set_attribute("dinghuo.duplicate", True)
            self._count(envelope, fresh)
            await message.ack()

    async def _apply(self, envelope: EventEnvelope) -> bool:
        """Apply the event in one transaction. While the service's database cannot be
        reached the message stays in hand and is tried again with back-off (up to
        `UNAVAILABLE_MAX_WAIT` seconds apart): redeliveries would use up the delivery
        limit in a second and dead-letter an event nothing is wrong with. Any other
        error is the caller's to count."""
        wait = 0.5
        while True:
            try:
                async with self.sessionmaker() as session, session.begin():
                    return await handle_envelope(session, self.name, self.registry, envelope)
            except Exception as exc:
                if self._stopping or unavailable_detail(exc) is None:
                    raise
                log.warning("event_waits_for_database", event_id=str(envelope.id),
                            event_type=envelope.type, error=repr(exc), retry_in=wait)
                await asyncio.sleep(wait)
                wait = min(wait * 2, UNAVAILABLE_MAX_WAIT)

    @staticmethod
    def _deliveries(message: AbstractIncomingMessage) -> int:
        """This delivery's number: a quorum queue counts the earlier ones in
        `x-delivery-count`; it dead-letters a message rejected on delivery number
        delivery limit + 1."""
        count = (message.headers or {}).get("x-delivery-count")
        return (count if isinstance(count, int) and not isinstance(count, bool) else 0) + 1

    async def _dead_letter(self, message: AbstractIncomingMessage, reason: str, error: str,
                           *, requeue: bool) -> None:
        """Publish a copy carrying `error` to the DLX (routed to this queue's DLQ), then
        ack; if that publish fails, reject (`requeue`: let the queue count the delivery
        and dead-letter it after the limit; else dead-letter it now) — never lost."""
        queue = self.topology.queue_name(self.name)
        headers = dict(message.headers or {})
        headers.update({
            dl.ERROR_HEADER: error[:dl.MAX_ERROR], dl.REASON_HEADER: reason,
            dl.CONSUMER_HEADER: self.name, dl.FAILED_AT_HEADER: utcnow().isoformat(),
            dl.DELIVERIES_HEADER: self._deliveries(message),
            dl.ROUTING_KEY_HEADER: message.routing_key or "",
            dl.EXCHANGE_HEADER: message.exchange or "",
        })
        try:
            if self._dlx is None:
                raise RuntimeError("no dead-letter channel")
            await self._dlx.publish(
                aio_pika.Message(body=message.body, headers=headers,
                                 message_id=message.message_id, type=message.type,
                                 content_type=message.content_type,
                                 delivery_mode=aio_pika.DeliveryMode.PERSISTENT),
                routing_key=queue, mandatory=True, timeout=10)
        except Exception as exc:  # noqa: BLE001 - the broker's own dead-lettering remains
            log.warning("dead_letter_publish_failed", message_id=message.message_id,
                        error=repr(exc))
            with contextlib.suppress(Exception):
                await message.reject(requeue=requeue)
            return
        log.error("event_dead_lettered", message_id=message.message_id, reason=reason,
                  error=error[:300])
        with contextlib.suppress(Exception):
            await message.ack()
