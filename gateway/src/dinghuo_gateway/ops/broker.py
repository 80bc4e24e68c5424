"""The gateway's publishing connection for replays (B-7): opened at the first replay,
publisher confirms and mandatory routing, so a replay either reached its queue or says
why not."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping
from typing import Any

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractConnection
from aio_pika.exceptions import DeliveryError, PublishError
from servicekit.errors import Conflict, ServiceUnavailable
from servicekit.logging import get_logger
from servicekit.messaging.deadletters import republish

log = get_logger(__name__)


class QueueMissing(Conflict):
    pass


class Republisher:
    def __init__(self, amqp_url: str, *, timeout: float = 10.0) -> None:
        self.amqp_url = amqp_url
        self.timeout = timeout
        self._lock = asyncio.Lock()
        self._connection: AbstractConnection | None = None
        self._channel: AbstractChannel | None = None

    async def _ready(self) -> AbstractChannel:
        if self._channel is not None and not self._channel.is_closed:
            return self._channel
        if self._connection is None or self._connection.is_closed:
            self._connection = await aio_pika.connect(self.amqp_url, timeout=self.timeout)
        self._channel = await self._connection.channel(publisher_confirms=True,
                                                       on_return_raises=True)
        return self._channel

    async def publish(self, queue: str, body: bytes, *, headers: Mapping[str, Any] | None,
                      message_id: str | None, type_: str | None,
                      content_type: str | None) -> None:
        """Put the message on `queue` (only); confirmed by the broker when it returns."""
        async with self._lock:
            try:
                channel = await self._ready()
                await republish(channel, queue, body, headers=headers,
                                message_id=message_id, type_=type_,
                                content_type=content_type, timeout=self.timeout)
            except (DeliveryError, PublishError) as exc:
                # The channel survives a returned message; a nack leaves it usable too.
                log.warning("dead_letter_replay_refused", queue=queue, error=repr(exc))
                raise QueueMissing(
                    f"The broker did not take the message for queue {queue} (the queue "
                    "does not exist or refuses messages); the dead letter stays") from exc
            except Exception as exc:  # noqa: BLE001 - broker away
                log.warning("dead_letter_replay_failed", queue=queue, error=repr(exc))
                await self._drop()
                raise ServiceUnavailable(
                    "The message broker is unavailable; the dead letter stays, please try "
                    "again shortly") from exc

    async def _drop(self) -> None:
        conn, self._connection, self._channel = self._connection, None, None
        if conn is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(conn.close(), 5)

    async def close(self) -> None:
        async with self._lock:
            await self._drop()
