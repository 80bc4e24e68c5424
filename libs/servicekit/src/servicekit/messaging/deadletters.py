"""Dead letters (B-7): what a dead-lettered message says about itself, the consumer that
moves every dead-letter queue's messages into a store, and the publish that puts one back
on its queue.

Why a store and not the DLQ browsed in place: reading a quorum queue without taking the
message (`basic.get`, then giving it back) counts as a delivery (measured in
`tests/integration/test_dead_letters.py`) and, on RabbitMQ 3.x, puts the message at the
back of the queue. Browsing would reorder the DLQ on every look, and from RabbitMQ 4.0 a
quorum queue has a default delivery limit of 20, so a DLQ — which has no dead-letter
exchange of its own — would silently drop a message after twenty looks. So the gateway's
worker consumes each `<queue>.dlq` and acks a message only once its row is committed (a
store failure is retried in place, never returned to the broker, which would count too);
operators read, replay and discard rows (the gateway's `dead_letters` table), which also
keeps who did what. The same design as NServiceBus ServiceControl's error-queue
ingestion.

A message reaches a DLQ two ways, and `describe` reads both:
- the broker dead-letters it (delivery limit reached, rejected without requeue): the
  `x-death` / `x-first-death-*` headers say why and when;
- the inbox consumer dead-letters it itself, with the error in `x-dinghuo-error`: on the
  last delivery the queue allows, and at once for a message it cannot read
  (`servicekit.messaging.inbox`). The broker cannot carry an error text on a nack.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import json
import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from functools import partial
from typing import Any

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractConnection, AbstractIncomingMessage
from aio_pika.exceptions import ChannelClosed

from ..logging import get_logger
from ..timeutil import utcnow

log = get_logger(__name__)

# Set by the inbox when it dead-letters a message itself (the broker cannot carry a reason).
ERROR_HEADER = "x-dinghuo-error"
REASON_HEADER = "x-dinghuo-reason"
CONSUMER_HEADER = "x-dinghuo-consumer"
FAILED_AT_HEADER = "x-dinghuo-failed-at"
DELIVERIES_HEADER = "x-dinghuo-deliveries"
ROUTING_KEY_HEADER = "x-dinghuo-routing-key"
EXCHANGE_HEADER = "x-dinghuo-exchange"
OWN_HEADERS = frozenset({ERROR_HEADER, REASON_HEADER, CONSUMER_HEADER, FAILED_AT_HEADER,
                         DELIVERIES_HEADER, ROUTING_KEY_HEADER, EXCHANGE_HEADER})
# Headers the broker owns; a replayed message starts without them (the store keeps them).
BROKER_HEADERS = frozenset({"x-death", "x-first-death-reason", "x-first-death-queue",
                            "x-first-death-exchange", "x-last-death-reason",
                            "x-last-death-queue", "x-last-death-exchange",
                            "x-delivery-count", "x-acquired-count"})
MAX_ERROR = 1000
DLQ_SUFFIX = ".dlq"


@dataclass(frozen=True)
class DeadLetter:
    """One dead-lettered message, as the store keeps it."""

    queue: str  # the queue it died in, where a replay puts it back
    message_key: str  # the event id, else the message id, else "sha256:<body hash>"
    event_id: uuid.UUID | None
    event_type: str | None
    routing_key: str | None  # the original routing key (the event type for our events)
    exchange: str | None
    reason: str  # delivery_limit, rejected, expired, maxlen, handler_failed, unreadable …
    error: str | None
    death_count: int
    first_death_at: datetime
    last_death_at: datetime
    body: bytes
    content_type: str | None
    message_id: str | None
    type: str | None
    headers: dict[str, Any] = field(default_factory=dict)  # JSON-safe


def source_queue(dlq: str) -> str:
    return dlq.removesuffix(DLQ_SUFFIX)


def jsonable(value: Any) -> Any:
    """A header value as JSON: datetimes as ISO text, bytes as text (or base64)."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        raw = bytes(value)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return "base64:" + base64.b64encode(raw).decode()
    if isinstance(value, Decimal):
        return str(value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _as_time(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, UTC)
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            parsed = datetime.fromisoformat(value)
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", "replace")
    return str(value)


def _envelope_fields(body: bytes) -> tuple[uuid.UUID | None, str | None]:
    """The envelope's id and type when the body is one (or looks enough like one)."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None, None
    if not isinstance(data, dict):
        return None, None
    event_id = None
    with contextlib.suppress(ValueError, TypeError, AttributeError):
        event_id = uuid.UUID(str(data.get("id")))
    kind = data.get("type")
    return event_id, kind[:120] if isinstance(kind, str) else None


def describe(body: bytes, headers: Mapping[str, Any] | None, *, queue: str,
             message_id: str | None = None, type_: str | None = None,
             content_type: str | None = None, routing_key: str | None = None,
             now: datetime | None = None) -> DeadLetter:
    """What a message taken from `queue`'s DLQ says about itself (pure)."""
    now = now or utcnow()
    headers = dict(headers or {})
    event_id, event_type = _envelope_fields(body)
    message_id = _text(message_id)
    if event_id is None and message_id:
        with contextlib.suppress(ValueError):
            event_id = uuid.UUID(message_id)
    if event_id is not None:
        key = str(event_id)
    elif message_id:
        key = message_id[:100]
    else:
        key = "sha256:" + hashlib.sha256(body).hexdigest()[:56]
    deaths = [d for d in headers.get("x-death") or () if isinstance(d, Mapping)]
    mine = [d for d in deaths if _text(d.get("queue")) == queue] or deaths
    times = [t for t in (_as_time(d.get("time")) for d in deaths) if t is not None]
    failed_at = _as_time(headers.get(FAILED_AT_HEADER))
    if failed_at is not None:
        times.append(failed_at)
    own_reason = _text(headers.get(REASON_HEADER))
    broker_reason = _text(headers.get("x-first-death-reason")) or (
        _text(mine[0].get("reason")) if mine else None)
    count = sum(int(d.get("count") or 1) for d in mine) if mine else 0
    keys = mine[0].get("routing-keys") if mine else None
    original_key = (_text(headers.get(ROUTING_KEY_HEADER))
                    or (_text(keys[0]) if isinstance(keys, (list, tuple)) and keys else None)
                    or routing_key)
    error = _text(headers.get(ERROR_HEADER))
    return DeadLetter(
        queue=queue, message_key=key, event_id=event_id,
        event_type=event_type or (_text(type_) or "")[:120] or None,
        routing_key=(original_key or "")[:200] or None,
        exchange=(_text(headers.get(EXCHANGE_HEADER))
                  or _text(headers.get("x-first-death-exchange"))
                  or (_text(mine[0].get("exchange")) if mine else None)),
        reason=(own_reason or broker_reason or "unknown")[:40],
        error=error[:MAX_ERROR] if error else None,
        death_count=max(count, 1),
        first_death_at=min(times) if times else now,
        last_death_at=max(times) if times else now,
        body=body, content_type=_text(content_type), message_id=message_id,
        type=_text(type_),
        headers=jsonable(headers),
    )


def replay_headers(headers: Mapping[str, Any] | None) -> dict[str, Any]:
    """The headers a replayed message carries: the original ones (trace context …)
    without the broker's death records and the inbox's error."""
    return {k: v for k, v in (headers or {}).items()
            if k not in OWN_HEADERS and k not in BROKER_HEADERS}


async def republish(channel: AbstractChannel, queue: str, body: bytes, *,
                    headers: Mapping[str, Any] | None, message_id: str | None,
                    type_: str | None, content_type: str | None,
                    timeout: float = 10.0) -> None:
    """Put a message back on `queue` only (the default exchange routes by queue name, so
    no other subscriber of the event gets it again). `channel` must have publisher
    confirms and `on_return_raises`: a missing queue raises instead of losing it."""
    message = aio_pika.Message(
        body=body, headers=replay_headers(headers), message_id=message_id, type=type_,
        content_type=content_type, delivery_mode=aio_pika.DeliveryMode.PERSISTENT)
    await channel.default_exchange.publish(message, routing_key=queue, mandatory=True,
                                           timeout=timeout)


Store = Callable[[DeadLetter], Awaitable[None]]


class DeadLetterIngester:
    """Consumes `<queue>.dlq` of each queue into `store`, acking after the store returned.
    A DLQ that does not exist yet (topology not declared) is looked up again later."""

    def __init__(self, amqp_url: str, queues: Iterable[str], store: Store, *,
                 prefetch: int = 8, retry_seconds: float = 5.0) -> None:
        self.amqp_url = amqp_url
        self.queues: Sequence[str] = sorted(set(queues))
        self.store = store
        self.prefetch = prefetch
        self.retry_seconds = retry_seconds
        self._stopping = asyncio.Event()
        self._lock = asyncio.Lock()
        self._connection: AbstractConnection | None = None
        self.watching: set[str] = set()
        self.ingested = 0

    async def run(self) -> None:
        backoff = 0.5
        while not self._stopping.is_set():
            try:
                self._connection = await aio_pika.connect(self.amqp_url, timeout=10)
                backoff = 0.5
                await self._watch(self._connection)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - broker away: connect again
                log.warning("dead_letter_ingest_failed", error=repr(exc))
            finally:
                await self._close()
            await self._sleep(backoff)
            backoff = min(backoff * 2, 10)

    async def _watch(self, connection: AbstractConnection) -> None:
        """Consume every DLQ found; look for the missing ones again every
        `retry_seconds`; return (to connect again) when the connection is lost."""
        pending = list(self.queues)
        since_retry = 0.0
        while not self._stopping.is_set():
            if connection.is_closed:
                raise ConnectionError("the broker connection was lost")
            if pending and since_retry <= 0:
                for queue in list(pending):
                    channel = await connection.channel()
                    try:
                        await channel.set_qos(prefetch_count=self.prefetch)
                        dlq = await channel.declare_queue(queue + DLQ_SUFFIX, passive=True)
                        await dlq.consume(partial(self._on_message, queue))
                    except ChannelClosed as exc:  # not declared yet
                        log.info("dead_letter_queue_missing", queue=queue + DLQ_SUFFIX,
                                 error=repr(exc))
                        continue
                    pending.remove(queue)
                    self.watching.add(queue)
                    log.info("dead_letter_queue_watched", queue=queue + DLQ_SUFFIX)
                since_retry = self.retry_seconds
            await self._sleep(0.5)
            since_retry -= 0.5

    async def _on_message(self, queue: str, message: AbstractIncomingMessage) -> None:
        async with self._lock:
            dead = describe(message.body, message.headers, queue=queue,
                            message_id=message.message_id, type_=message.type,
                            content_type=message.content_type,
                            routing_key=message.routing_key)
            delay = 0.5
            # Never given back to the broker while we run: a return counts as a delivery.
            while True:
                try:
                    await self.store(dead)
                    break
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # noqa: BLE001 - database away: keep it, retry
                    log.warning("dead_letter_store_failed", queue=queue,
                                message_key=dead.message_key, error=repr(exc))
                    if self._stopping.is_set():
                        return  # unacked: the broker keeps it for the next run
                    await self._sleep(delay)
                    delay = min(delay * 2, 10)
            await message.ack()
            self.ingested += 1
            log.warning("dead_letter_ingested", queue=queue, message_key=dead.message_key,
                        event_type=dead.event_type, reason=dead.reason)

    async def _close(self) -> None:
        conn, self._connection = self._connection, None
        self.watching.clear()
        if conn is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(conn.close(), 5)

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)

    def stop(self) -> None:
        self._stopping.set()
