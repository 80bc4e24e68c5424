"""The finance subscriber's consumer (I-4): takes the invoice events from its queue and
appends one ledger row per event, then acks.

- Deduplicated by the envelope id (= the AMQP message_id): an id already in the ledger
  is acked without a second row — delivery is at least once.
- Acked only after the row is flushed to disk; a failure to write nacks the message, it
  comes back (and after the queue's delivery limit goes to its dead-letter queue).
- A type or version this subscriber's contracts do not know is logged and acked: it must
  not block the queue (a newer platform may publish invoice.issued v2 before this
  subscriber is upgraded). An invoice event without an invoice id, likewise.
- A body that is not an envelope, or whose data does not match its contract, is
  rejected without requeue: the topology dead-letters it to `<queue>.dlq`, where an
  operator can look at it and move it back.
- The queue belongs to the platform's topology (a quorum queue with a delivery limit
  and a dead-letter exchange): it is only looked up (passive declare), never declared;
  while it (or the exchange) is missing the subscriber says so and looks again.
- Messages are handled one at a time, in the order they arrive.
"""

from __future__ import annotations

import asyncio
import contextlib

import aio_pika
from aio_pika.abc import (
    AbstractChannel,
    AbstractIncomingMessage,
    AbstractQueue,
    AbstractRobustConnection,
)
from aio_pika.exceptions import ChannelClosed
from dinghuo_contracts import EventEnvelope, UnknownEvent, parse_event
from pydantic import ValidationError

from .config import Settings
from .ledger import Ledger, row_for
from .logs import get_logger

log = get_logger(__name__)

# After a failure to write a row, wait this long before the message comes back.
REQUEUE_DELAY_SECONDS = 1.0


class FinanceSubscriber:
    def __init__(self, settings: Settings, *, ledger: Ledger | None = None) -> None:
        self.settings = settings
        self.ledger = ledger or Ledger(settings.ledger_path)
        self._connection: AbstractRobustConnection | None = None
        self._channel: AbstractChannel | None = None
        self._queue: AbstractQueue | None = None
        self._consumer_tag: str | None = None
        self._stopping = asyncio.Event()
        self._lock = asyncio.Lock()
        self._idle = asyncio.Event()
        self._idle.set()
        self._in_flight = 0
        self.handled = 0  # messages acked or rejected (recorded, duplicate or skipped)

    # ------------------------------------------------------------------ lifecycle
    async def run(self) -> None:
        """Consume until `stop()` is called (SIGTERM in `__main__`)."""
        await self.start()
        await self._stopping.wait()
        await self.close()

    async def start(self) -> None:
        """Open the ledger, connect, wait for the queue and the exchange, consume.
        Returns once consuming (or when stopped before that)."""
        s = self.settings
        if not self.ledger.is_open:
            self.ledger.open()
        log.info("finance_starting", queue=s.queue_name, exchange=s.exchange,
                 ledger=str(self.ledger.path))
        while not self._stopping.is_set():
            try:
                self._connection = await aio_pika.connect_robust(s.amqp_url, timeout=10)
                break
            except Exception as exc:  # noqa: BLE001 - broker not up yet
                log.warning("broker_unreachable", error=repr(exc),
                            retry_in=s.missing_queue_retry_seconds)
                await self._pause(s.missing_queue_retry_seconds)
        while not self._stopping.is_set():
            try:
                if await self._attach():
                    break
            except Exception as exc:  # noqa: BLE001 - e.g. the connection dropped meanwhile
                log.warning("finance_attach_failed", error=repr(exc),
                            retry_in=s.missing_queue_retry_seconds)
            await self._pause(s.missing_queue_retry_seconds)
        if self._queue is not None and not self._stopping.is_set():
            self._consumer_tag = await self._queue.consume(self._on_message)
            log.info("finance_consuming", queue=s.queue_name, prefetch=s.prefetch)

    def stop(self) -> None:
        self._stopping.set()

    async def close(self, drain_seconds: float = 30.0) -> None:
        """Stop taking messages, finish the ones in hand, disconnect, close the ledger."""
        self._stopping.set()
        if self._queue is not None and self._consumer_tag is not None:
            with contextlib.suppress(Exception):
                await self._queue.cancel(self._consumer_tag)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._idle.wait(), drain_seconds)
        if self._connection is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._connection.close(), 10)
        self.ledger.close()
        log.info("finance_stopped", handled=self.handled)

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)

    async def _attach(self) -> bool:
        """Look up (never declare) the queue and the exchange; False while either is
        missing."""
        assert self._connection is not None
        s = self.settings
        channel = await self._connection.channel()
        try:
            queue = await channel.get_queue(s.queue_name)
        except ChannelClosed as exc:
            log.error("finance_queue_missing", queue=s.queue_name, error=str(exc),
                      hint="the platform's topology declares it (make run); "
                           f"looking again in {s.missing_queue_retry_seconds:g}s")
            return False
        try:
            await channel.get_exchange(s.exchange)
        except ChannelClosed as exc:
            log.error("finance_exchange_missing", exchange=s.exchange, error=str(exc),
                      hint=f"looking again in {s.missing_queue_retry_seconds:g}s")
            return False
        await channel.set_qos(prefetch_count=s.prefetch)
        self._channel, self._queue = channel, queue
        return True

    # ------------------------------------------------------------------ messages
    async def _on_message(self, message: AbstractIncomingMessage) -> None:
        self._in_flight += 1
        self._idle.clear()
        try:
            async with self._lock:
                await self.handle(message)
        except Exception as exc:  # noqa: BLE001 - a failure here must not stall the queue
            log.error("event_not_recorded", message_id=message.message_id,
                      error=repr(exc), hint="nacked: it comes back (after the delivery "
                                            "limit it goes to the dead-letter queue)")
            await asyncio.sleep(REQUEUE_DELAY_SECONDS)
            with contextlib.suppress(Exception):
                await message.nack(requeue=True)
        finally:
            self._in_flight -= 1
            if self._in_flight == 0:
                self._idle.set()

    async def handle(self, message: AbstractIncomingMessage) -> None:
        try:
            envelope = EventEnvelope.model_validate_json(message.body)
        except ValidationError as exc:
            log.warning("message_dead_lettered", reason="not an event envelope",
                        message_id=message.message_id, size=len(message.body),
                        errors=_locations(exc))
            await self._done(message.reject(requeue=False))
            return
        fields = {"event_id": str(envelope.id), "type": envelope.type,
                  "version": envelope.version}
        if envelope.id in self.ledger:
            log.info("event_duplicate", **fields)
            await self._done(message.ack())
            return
        try:
            event = parse_event(envelope)
        except UnknownEvent:
            log.warning("event_skipped", reason="unknown type or version", **fields)
            await self._done(message.ack())
            return
        except ValidationError as exc:
            log.warning("message_dead_lettered", reason="data does not match the contract",
                        errors=_locations(exc), **fields)
            await self._done(message.reject(requeue=False))
            return
        row = row_for(envelope, event)
        if row is None:
            log.warning("event_skipped", reason="not an invoice event", **fields)
            await self._done(message.ack())
            return
        self.ledger.append(row)  # flushed and fsynced
        log.info("event_recorded", invoice_id=row["invoice_id"], status=row["status"],
                 **fields)
        await self._done(message.ack())

    async def _done(self, settle) -> None:
        await settle
        self.handled += 1


def _locations(exc: ValidationError) -> list[str]:
    return [".".join(str(p) for p in err["loc"]) or "(body)" for err in exc.errors()][:10]
