"""A service's worker process: the outbox relay and the inbox consumer."""

from __future__ import annotations

import asyncio
import contextlib
import signal

from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

from .db import Database
from .logging import configure_logging, get_logger
from .messaging import Consumer, HandlerRegistry, OutboxRelay, Topology
from .settings import ServiceSettings
from .tracing import setup_tracing

log = get_logger(__name__)


def topology_for(settings: ServiceSettings) -> Topology:
    return Topology(settings.exchange, settings.queue_prefix, settings.delivery_limit)


async def serve_worker(settings: ServiceSettings, registry: HandlerRegistry | None) -> None:
    db = Database(settings.database_url)
    SQLAlchemyInstrumentor().instrument(engine=db.engine.sync_engine)
    relay = OutboxRelay(db.sessionmaker, settings.database_url, settings.amqp_url,
                        settings.exchange, poll_seconds=settings.outbox_poll_seconds)
    consumer = None
    if registry is not None and registry.handlers:
        consumer = Consumer(settings.service_name, db.sessionmaker, settings.amqp_url,
                            topology_for(settings), registry, prefetch=settings.prefetch)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    relay_task = asyncio.create_task(relay.run())
    if consumer is not None:
        while not stop.is_set():
            try:
                await consumer.start()
                break
            except Exception as exc:  # noqa: BLE001 - broker not up yet
                log.warning("consumer_start_failed", error=repr(exc))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), 2)
    log.info("worker_started", service=settings.service_name)
    await stop.wait()
    log.info("worker_stopping", service=settings.service_name)
    if consumer is not None:
        await consumer.stop()
    relay.stop()
    with contextlib.suppress(Exception):
        await asyncio.wait_for(relay_task, 10)
    await db.dispose()


def run_worker(settings: ServiceSettings, registry: HandlerRegistry | None) -> None:
    configure_logging(f"{settings.service_name}-worker", settings.log_level, settings.log_json)
    setup_tracing(f"{settings.service_name}-worker", settings.otel_exporter,
                  settings.otel_console_path, settings.otel_endpoint)
    asyncio.run(serve_worker(settings, registry))
