"""Transactional outbox and its relay.

`add_event` writes the event row in the caller's transaction (the same one as the state
change) together with the writer's trace context, and a `pg_notify` that PostgreSQL
delivers only if that transaction commits. The relay claims unsent rows with
`FOR UPDATE SKIP LOCKED` (so several replicas can relay), publishes each with publisher
confirms and `mandatory` (an unroutable event raises instead of vanishing) — a batch at
once, its confirms awaited together — and marks a row sent only after the broker's ack.
It wakes on the notification and polls as a fallback.

A row the broker keeps refusing (unroutable, or nacked: a queue over its limit) is retried
with back-off; after `max_attempts` refusals the relay gives up on it (B-7): it stays
unsent with its `last_error`, `next_attempt_at` then records when it was given up, and
operators see it beside the dead letters (`failed_rows`) and hand it back to the relay
(`replay_failed`). A lost broker connection is not a refusal and never counts.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta

import aio_pika
import asyncpg
from aio_pika.abc import AbstractChannel, AbstractExchange, AbstractRobustConnection
from aio_pika.exceptions import DeliveryError, PublishError
from dinghuo_contracts import Event, EventEnvelope
from opentelemetry import trace
from sqlalchemy import MetaData, bindparam, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..db import asyncpg_dsn
from ..logging import get_logger
from ..timeutil import utcnow
from ..tracing import extract_context, get_tracer, inject_headers
from .tables import NOTIFY_CHANNEL, define_messaging_tables

log = get_logger(__name__)

__all__ = ["OutboxRelay", "add_event", "define_messaging_tables", "failed_rows",
           "replay_failed"]

# Refusals before the relay gives up on a row (about five minutes of back-off).
MAX_ATTEMPTS = 10

_OUTBOX, _ = define_messaging_tables(MetaData())


# The row and its notification in one statement (one round trip), built once: its cache
# key is computed once, the event's values are parameters (issue 16).
_WRITTEN = insert(_OUTBOX).values(
    event_id=bindparam("event_id"), event_type=bindparam("event_type"),
    envelope=bindparam("envelope"), headers=bindparam("headers"),
).returning(_OUTBOX.c.event_type).cte("written")
_ADD_EVENT = select(func.pg_notify(NOTIFY_CHANNEL, _WRITTEN.c.event_type))
_MARK_SENT = (update(_OUTBOX)
              .where(_OUTBOX.c.seq.in_(bindparam("seqs", expanding=True)))
              .values(sent_at=func.now(), last_error=None))


async def add_event(
    session: AsyncSession, event: Event | EventEnvelope, *, source: str | None = None
) -> EventEnvelope:
    """Write an event into the outbox within the session's current transaction."""
    envelope = event if isinstance(event, EventEnvelope) else event.envelope(source or "?")
    await session.execute(_ADD_EVENT, {
        "event_id": envelope.id, "event_type": envelope.type,
        "envelope": envelope.model_dump(mode="json"), "headers": inject_headers()})
    return envelope


class OutboxRelay:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        database_url: str,
        amqp_url: str,
        exchange: str,
        *,
        batch_size: int = 100,
        poll_seconds: float = 1.0,
        publish_timeout: float = 10.0,
        max_attempts: int = MAX_ATTEMPTS,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.database_url = database_url
        self.amqp_url = amqp_url
        self.exchange_name = exchange
        self.batch_size = batch_size
        self.poll_seconds = poll_seconds
        self.publish_timeout = publish_timeout
        self.max_attempts = max_attempts
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self._connection: AbstractRobustConnection | None = None
        self._channel: AbstractChannel | None = None
        self._exchange: AbstractExchange | None = None
        self._listen_conn: asyncpg.Connection | None = None
        self.published = 0
        self._due = (
            select(_OUTBOX.c.seq, _OUTBOX.c.envelope, _OUTBOX.c.headers,
                   _OUTBOX.c.event_type, _OUTBOX.c.event_id, _OUTBOX.c.attempts)
            .where(_OUTBOX.c.sent_at.is_(None), _OUTBOX.c.attempts < max_attempts,
                   _OUTBOX.c.next_attempt_at <= func.now())
            .order_by(_OUTBOX.c.seq)
            .limit(batch_size)
            .with_for_update(skip_locked=True))

    # -------------------------------------------------------------- broker
    async def _ensure_exchange(self) -> AbstractExchange:
        if self._exchange is not None and self._channel is not None and not self._channel.is_closed:
            return self._exchange
        if self._connection is None or self._connection.is_closed:
            self._connection = await aio_pika.connect_robust(self.amqp_url, timeout=10)
        self._channel = await self._connection.channel(
            publisher_confirms=True, on_return_raises=True
        )
        self._exchange = await self._channel.declare_exchange(
            self.exchange_name, aio_pika.ExchangeType.TOPIC, durable=True
        )
        return self._exchange

    async def _drop_broker(self) -> None:
        conn, self._connection, self._channel, self._exchange = self._connection, None, None, None
        if conn is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(conn.close(), 5)

    # -------------------------------------------------------------- wake-ups
    async def _listen(self) -> None:
        """Keep a LISTEN connection; any failure falls back to polling until it is back."""
        while not self._stopping.is_set():
            try:
                conn = await asyncpg.connect(asyncpg_dsn(self.database_url), timeout=10)
                self._listen_conn = conn
                await conn.add_listener(NOTIFY_CHANNEL, lambda *_: self._wake.set())
                self._wake.set()  # catch up on whatever was written while not listening
                while not self._stopping.is_set() and not conn.is_closed():
                    await asyncio.sleep(1)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001
                log.warning("outbox_listen_failed", error=repr(exc))
            finally:
                if self._listen_conn is not None:
                    with contextlib.suppress(Exception):
                        await self._listen_conn.close()
                    self._listen_conn = None
            await asyncio.sleep(1)

    # -------------------------------------------------------------- relay
    async def relay_once(self) -> int:
        """Publish one batch of due rows; returns how many were sent."""
        exchange = await self._ensure_exchange()
        sent = 0
        async with self.sessionmaker() as session, session.begin():
            rows = (await session.execute(self._due)).all()
            done: list[int] = []
            failure: BaseException | None = None
            # The whole batch is published at once and its confirms awaited together
            # (issue 16): one round trip to the broker per batch instead of one per row.
            # The channel sends them in order; each row's outcome is its own.
            outcomes = await asyncio.gather(
                *(self._publish(exchange, row) for row in rows), return_exceptions=True)
            for row, outcome in zip(rows, outcomes, strict=True):
                if isinstance(outcome, (DeliveryError, PublishError)):
                    # Unroutable or nacked: nobody would get it now. Keep the row, back
                    # off, and let the rest of the batch through; give up after
                    # max_attempts (next_attempt_at then records when).
                    attempts = row.attempts + 1
                    given_up = attempts >= self.max_attempts
                    delay = 0 if given_up else min(60, 2 ** min(row.attempts, 6))
                    await session.execute(
                        update(_OUTBOX).where(_OUTBOX.c.seq == row.seq).values(
                            attempts=attempts,
                            last_error=repr(outcome)[:500],
                            next_attempt_at=utcnow() + timedelta(seconds=delay),
                        )
                    )
                    (log.error if given_up else log.warning)(
                        "outbox_publish_given_up" if given_up else "outbox_publish_refused",
                        event_type=row.event_type, event_id=str(row.event_id),
                        attempts=attempts, error=repr(outcome))
                elif isinstance(outcome, asyncio.CancelledError):
                    raise outcome
                elif isinstance(outcome, BaseException):
                    # Broker gone: what it acked is still sent; the rest waits.
                    failure = failure or outcome
                else:
                    done.append(row.seq)
            # What the broker acked is marked sent and committed even when a later publish
            # broke the connection; the rest stays for the next round.
            if done:
                await session.execute(_MARK_SENT, {"seqs": done})
            sent = len(done)
        if failure is not None:
            self.published += sent
            raise failure
        self.published += sent
        return sent

    async def _publish(self, exchange: AbstractExchange, row) -> None:
        env = row.envelope
        ctx = extract_context(row.headers)
        tracer = get_tracer("servicekit.outbox")
        with tracer.start_as_current_span(
            f"{env['type']} publish", context=ctx, kind=trace.SpanKind.PRODUCER,
            attributes={"messaging.system": "rabbitmq",
                        "messaging.destination.name": self.exchange_name,
                        "messaging.rabbitmq.destination.routing_key": env["type"],
                        "messaging.message.id": env["id"]},
        ):
            headers = inject_headers()
            message = aio_pika.Message(
                body=EventEnvelope.model_validate(env).model_dump_json().encode(),
                content_type="application/json",
                message_id=env["id"],
                type=env["type"],
                headers=headers,
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            )
            await exchange.publish(message, routing_key=env["type"], mandatory=True,
                                   timeout=self.publish_timeout)

    async def run(self) -> None:
        listener = asyncio.create_task(self._listen())
        backoff = 0.5
        try:
            while not self._stopping.is_set():
                self._wake.clear()
                try:
                    sent = await self.relay_once()
                    backoff = 0.5
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # noqa: BLE001 - broker or db down: retry
                    log.warning("outbox_relay_failed", error=repr(exc))
                    await self._drop_broker()
                    await self._sleep(backoff)
                    backoff = min(backoff * 2, 5)
                    continue
                if sent >= self.batch_size:
                    continue
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=self.poll_seconds)
        finally:
            listener.cancel()
            with contextlib.suppress(BaseException):
                await listener
            await self._drop_broker()

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()


# ------------------------------------------------------------------ given-up rows (B-7)
async def failed_rows(session: AsyncSession, max_attempts: int = MAX_ATTEMPTS, *,
                      limit: int = 200) -> list:
    """The rows the relay gave up on, the most recently given up first."""
    return list((await session.execute(
        select(_OUTBOX.c.event_id, _OUTBOX.c.event_type, _OUTBOX.c.envelope,
               _OUTBOX.c.attempts, _OUTBOX.c.last_error, _OUTBOX.c.created_at,
               _OUTBOX.c.next_attempt_at.label("given_up_at"))
        .where(_OUTBOX.c.sent_at.is_(None), _OUTBOX.c.attempts >= max_attempts)
        .order_by(_OUTBOX.c.next_attempt_at.desc(), _OUTBOX.c.seq.desc())
        .limit(limit))).all())


async def replay_failed(session: AsyncSession, event_id, max_attempts: int = MAX_ATTEMPTS):
    """Hand a given-up row back to the relay (attempts from zero, due now, the relay
    woken); None when no such row is given up — sent meanwhile, handed back by someone
    else, or never there. The row is locked, so two operators cannot both do it."""
    row = (await session.execute(
        select(_OUTBOX.c.seq, _OUTBOX.c.event_id, _OUTBOX.c.event_type, _OUTBOX.c.envelope,
               _OUTBOX.c.attempts, _OUTBOX.c.last_error, _OUTBOX.c.created_at,
               _OUTBOX.c.next_attempt_at.label("given_up_at"))
        .where(_OUTBOX.c.event_id == event_id, _OUTBOX.c.sent_at.is_(None),
               _OUTBOX.c.attempts >= max_attempts)
        .with_for_update())).first()
    if row is None:
        return None
    await session.execute(update(_OUTBOX).where(_OUTBOX.c.seq == row.seq).values(
        attempts=0, next_attempt_at=func.now()))
    await session.execute(select(func.pg_notify(NOTIFY_CHANNEL, row.event_type)))
    return row
