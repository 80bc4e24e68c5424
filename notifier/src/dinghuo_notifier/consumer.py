"""The notifier's consumer (B-4, N-2, C-8): takes `notify.delivery_requested` from its
queue, delivers it through the channel's provider, publishes `notify.delivery_reported`
(with publisher confirms) and only then acks the request.

- Anything else on the queue (another type, a body that is not an envelope, a request
  that does not validate) is logged and acked: it would fail the same way every time.
- The queue and the exchange belong to the platform's topology (a quorum queue with a
  delivery limit and a dead-letter exchange): the notifier only looks them up (passive
  declare) and, while they are missing, says so and looks again every few seconds.
- A report the broker did not take (no confirm, unroutable, connection lost) leaves the
  request un-acked; it is nacked and comes back. The report's envelope is remembered by
  (delivery_id, attempt), so the redelivered request publishes the same envelope again
  (notify's inbox skips the duplicate id) instead of sending the message twice. A
  request that keeps failing ends in the queue's dead-letter queue after the delivery
  limit.
- Logs name the delivery, template, channel, provider and a masked recipient; never the
  params or the text (a reset token travels in them).
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections import OrderedDict

import aio_pika
import httpx
from aio_pika.abc import (
    AbstractChannel,
    AbstractExchange,
    AbstractIncomingMessage,
    AbstractQueue,
    AbstractRobustConnection,
)
from aio_pika.exceptions import ChannelClosed
from dinghuo_contracts import (
    DeliveryReported,
    DeliveryRequested,
    EventEnvelope,
    UnknownEvent,
    parse_event,
)
from pydantic import ValidationError

from .config import Settings
from .logs import get_logger, mask
from .providers import Provider, Result, build_providers, failed, make_http_client

log = get_logger(__name__)

SOURCE = "notifier"
REMEMBERED_REPORTS = 10_000
# After a report the broker did not take, wait this long before the request comes back.
REPUBLISH_DELAY_SECONDS = 1.0


class Notifier:
    def __init__(self, settings: Settings, *, providers: dict[str, Provider] | None = None,
                 http_client: httpx.AsyncClient | None = None) -> None:
        self.settings = settings
        self._client: httpx.AsyncClient | None = None
        self._own_client = False
        if providers is None:
            self._own_client = http_client is None
            self._client = http_client or make_http_client(settings)
            providers = build_providers(settings, self._client)
        self.providers = providers
        self._connection: AbstractRobustConnection | None = None
        self._publish_channel: AbstractChannel | None = None
        self._exchange: AbstractExchange | None = None
        self._queue: AbstractQueue | None = None
        self._consumer_tag: str | None = None
        self._stopping = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self._in_flight = 0
        self._reports: OrderedDict[tuple[uuid.UUID, int], EventEnvelope] = OrderedDict()
        self.handled = 0  # messages acked (delivered, failed or dropped)

    # ------------------------------------------------------------------ lifecycle
    async def run(self) -> None:
        """Consume until `stop()` is called (SIGTERM in `__main__`)."""
        await self.start()
        await self._stopping.wait()
        await self.close()

    async def start(self) -> None:
        """Connect, wait for the queue and the exchange to exist, start consuming.
        Returns once consuming (or when stopped before that)."""
        s = self.settings
        log.info("notifier_starting", queue=s.queue_name, exchange=s.exchange,
                 providers={c: p.name for c, p in self.providers.items()})
        for channel in ("sms", "wechat"):
            if self.providers[channel].name == "outbox":
                log.warning("notifier_outbox_only", channel=channel, path=str(s.outbox_path),
                            hint="messages are written to the outbox file, nothing is sent")
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
                log.warning("notifier_attach_failed", error=repr(exc),
                            retry_in=s.missing_queue_retry_seconds)
            await self._pause(s.missing_queue_retry_seconds)
        if self._queue is not None and not self._stopping.is_set():
            self._consumer_tag = await self._queue.consume(self._on_message)
            log.info("notifier_consuming", queue=s.queue_name, prefetch=s.prefetch)

    def stop(self) -> None:
        self._stopping.set()

    async def close(self, drain_seconds: float = 30.0) -> None:
        """Stop taking messages, let the ones in hand finish, disconnect."""
        self._stopping.set()
        if self._queue is not None and self._consumer_tag is not None:
            with contextlib.suppress(Exception):
                await self._queue.cancel(self._consumer_tag)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._idle.wait(), drain_seconds)
        if self._connection is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._connection.close(), 10)
        if self._own_client and self._client is not None:
            await self._client.aclose()
        log.info("notifier_stopped", handled=self.handled)

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)

    async def _attach(self) -> bool:
        """Look up (never declare) the queue and the exchange; False while either is
        missing."""
        assert self._connection is not None
        s = self.settings
        consume = await self._connection.channel()
        publish = await self._connection.channel(publisher_confirms=True,
                                                 on_return_raises=True)
        try:
            queue = await consume.get_queue(s.queue_name)
        except ChannelClosed as exc:
            log.error("notifier_queue_missing", queue=s.queue_name, error=str(exc),
                      hint="the platform's topology declares it (make run); "
                           f"looking again in {s.missing_queue_retry_seconds:g}s")
            await _close_quietly(consume, publish)
            return False
        try:
            exchange = await publish.get_exchange(s.exchange)
        except ChannelClosed as exc:
            log.error("notifier_exchange_missing", exchange=s.exchange, error=str(exc),
                      hint=f"looking again in {s.missing_queue_retry_seconds:g}s")
            await _close_quietly(consume, publish)
            return False
        await consume.set_qos(prefetch_count=s.prefetch)
        self._queue, self._exchange, self._publish_channel = queue, exchange, publish
        return True

    # ------------------------------------------------------------------ messages
    async def _on_message(self, message: AbstractIncomingMessage) -> None:
        self._in_flight += 1
        self._idle.clear()
        try:
            await self.handle(message)
        except Exception as exc:  # noqa: BLE001 - a bug here must not stall the queue
            # Un-acked, the message would hold a prefetch slot until the channel closes:
            # give it back; after the delivery limit it goes to the dead-letter queue.
            log.error("message_handling_crashed", message_id=message.message_id,
                      error=type(exc).__name__)
            await asyncio.sleep(REPUBLISH_DELAY_SECONDS)
            with contextlib.suppress(Exception):
                await message.nack(requeue=True)
        finally:
            self._in_flight -= 1
            if self._in_flight == 0:
                self._idle.set()

    async def handle(self, message: AbstractIncomingMessage) -> None:
        request = self._parse(message)
        if request is None:
            await self._ack(message)
            return
        if request.delivery_id is None:
            # A request from before the delivery log: deliver, nobody wants a report.
            await self.deliver(request)
            await self._ack(message)
            return
        key = (request.delivery_id, request.attempt)
        envelope = self._reports.get(key)
        if envelope is not None:
            log.info("delivery_already_handled", delivery_id=str(request.delivery_id),
                     attempt=request.attempt, report_id=str(envelope.id))
        else:
            result = await self.deliver(request)
            envelope = DeliveryReported(
                delivery_id=request.delivery_id, attempt=request.attempt,
                status=result.status, reason=result.reason, retryable=result.retryable,
                provider=result.provider, provider_message_id=result.provider_message_id,
            ).envelope(SOURCE)
            self._remember(key, envelope)
        try:
            await self.publish(envelope)
        except Exception as exc:  # noqa: BLE001 - unconfirmed, unroutable or disconnected
            log.error("report_not_published", delivery_id=str(request.delivery_id),
                      attempt=request.attempt, error=repr(exc),
                      hint="the request is nacked and comes back; the same report is "
                           "published again without sending the message twice")
            await asyncio.sleep(REPUBLISH_DELAY_SECONDS)
            with contextlib.suppress(Exception):
                await message.nack(requeue=True)
            return
        await self._ack(message)

    def _parse(self, message: AbstractIncomingMessage) -> DeliveryRequested | None:
        try:
            envelope = EventEnvelope.model_validate_json(message.body)
        except ValidationError as exc:
            log.warning("message_dropped", reason="not an event envelope",
                        message_id=message.message_id, size=len(message.body),
                        errors=_locations(exc))
            return None
        if envelope.type != DeliveryRequested.type:
            log.warning("message_dropped", reason="not a delivery request",
                        event_id=str(envelope.id), type=envelope.type)
            return None
        try:
            event = parse_event(envelope)
        except UnknownEvent:
            log.warning("message_dropped", reason="unknown version",
                        event_id=str(envelope.id), version=envelope.version)
            return None
        except ValidationError as exc:
            # The error locations only: the values may hold the reset token.
            log.warning("message_dropped", reason="invalid delivery request",
                        event_id=str(envelope.id), errors=_locations(exc))
            return None
        assert isinstance(event, DeliveryRequested)
        return event

    async def deliver(self, request: DeliveryRequested) -> Result:
        """Send through the channel's provider; never raises."""
        provider = self.providers[request.channel]
        # Providers time out each HTTP call; this bounds a whole send (WeChat may make
        # four calls: token, send, fresh token, send again).
        limit = 4 * self.settings.http_timeout_seconds + 5
        try:
            result = await asyncio.wait_for(provider.send(request), limit)
        except TimeoutError:
            result = failed(provider.name, f"timeout after {limit:g}s", retryable=True)
        except Exception as exc:  # noqa: BLE001 - a provider bug must not kill the consumer
            log.error("provider_crashed", provider=provider.name, error=type(exc).__name__)
            result = failed(provider.name, f"notifier error in provider {provider.name}: "
                                           f"{type(exc).__name__}", retryable=True)
        fields = {
            "delivery_id": str(request.delivery_id) if request.delivery_id else None,
            "attempt": request.attempt, "channel": request.channel,
            "template": request.template, "recipient": mask(request.recipient),
            "provider": result.provider,
        }
        if result.status == "delivered":
            log.info("delivery_delivered", provider_message_id=result.provider_message_id,
                     **fields)
        else:
            log.warning("delivery_failed", reason=result.reason, retryable=result.retryable,
                        **fields)
        return result

    async def publish(self, envelope: EventEnvelope) -> None:
        if self._exchange is None:
            raise RuntimeError("the notifier is not connected")
        message = aio_pika.Message(
            body=envelope.model_dump_json().encode(),
            content_type="application/json",
            message_id=str(envelope.id),
            type=envelope.type,
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        )
        await self._exchange.publish(message, routing_key=envelope.type, mandatory=True,
                                     timeout=self.settings.publish_timeout_seconds)

    async def _ack(self, message: AbstractIncomingMessage) -> None:
        await message.ack()
        self.handled += 1

    def _remember(self, key: tuple[uuid.UUID, int], envelope: EventEnvelope) -> None:
        self._reports[key] = envelope
        while len(self._reports) > REMEMBERED_REPORTS:
            self._reports.popitem(last=False)


def _locations(exc: ValidationError) -> list[str]:
    return [".".join(str(p) for p in err["loc"]) or "(body)" for err in exc.errors()][:10]


async def _close_quietly(*channels: AbstractChannel) -> None:
    for channel in channels:
        with contextlib.suppress(Exception):
            await channel.close()
