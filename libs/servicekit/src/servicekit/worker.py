"""A service's worker process: the outbox relay, the inbox consumer and, when the service
has periodic jobs, the scheduler (and whatever else a component runs beside them: the
gateway's dead-letter ingester)."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

from .db import Database
from .logging import configure_logging, get_logger
from .messaging import Consumer, HandlerRegistry, OutboxRelay, Topology
from .runtime import cpu_profile, settle_gc
from .scheduler import Job, Scheduler
from .settings import ServiceSettings
from .tracing import instrument_engine, setup_tracing

log = get_logger(__name__)


class Background(Protocol):
    """A loop the worker runs until it stops: `run()` returns soon after `stop()`."""

    async def run(self) -> None: ...

    def stop(self) -> None: ...


def topology_for(settings: ServiceSettings) -> Topology:
    return Topology(settings.exchange, settings.queue_prefix, settings.delivery_limit)


async def serve_worker(
    settings: ServiceSettings, registry: HandlerRegistry | None, jobs: Sequence[Job] = (),
    background: Callable[[Database], Iterable[Background]] | None = None,
) -> None:
    db = Database(settings.database_url)
    instrument_engine(db.engine)
    relay = OutboxRelay(db.sessionmaker, settings.database_url, settings.amqp_url,
                        settings.exchange, poll_seconds=settings.outbox_poll_seconds,
                        max_attempts=settings.outbox_max_attempts)
    extras = list(background(db)) if background is not None else []
    consumer = None
    if registry is not None and registry.handlers:
        consumer = Consumer(settings.service_name, db.sessionmaker, settings.amqp_url,
                            topology_for(settings), registry, prefetch=settings.prefetch)
    scheduler = Scheduler(db.sessionmaker, jobs) if jobs else None
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    relay_task = asyncio.create_task(relay.run())
    scheduler_task = asyncio.create_task(scheduler.run()) if scheduler is not None else None
    extra_tasks = [asyncio.create_task(extra.run()) for extra in extras]
    if consumer is not None:
        while not stop.is_set():
            try:
                await consumer.start()
                break
            except Exception as exc:  # noqa: BLE001 - broker not up yet
                log.warning("consumer_start_failed", error=repr(exc))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), 2)
    settle_gc()
    log.info("worker_started", service=settings.service_name,
             jobs=[job.name for job in jobs])
    await stop.wait()
    log.info("worker_stopping", service=settings.service_name)
    if consumer is not None:
        await consumer.stop()
    for extra in extras:
        extra.stop()
    for task in extra_tasks:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(task, 10)
    if scheduler is not None and scheduler_task is not None:
        # A job that is running finishes (and commits) first; one that hangs is cancelled
        # and rolled back.
        scheduler.stop()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(scheduler_task, 10)
    relay.stop()
    with contextlib.suppress(Exception):
        await asyncio.wait_for(relay_task, 10)
    await db.dispose()


def run_worker(
    settings: ServiceSettings, registry: HandlerRegistry | None, jobs: Sequence[Job] = (),
    background: Callable[[Database], Iterable[Background]] | None = None,
) -> None:
    configure_logging(f"{settings.service_name}-worker", settings.log_level, settings.log_json)
    setup_tracing(f"{settings.service_name}-worker", settings.otel_exporter,
                  settings.otel_console_path, settings.otel_endpoint,
                  settings.otel_sample_ratio)
    with cpu_profile(f"{settings.service_name}-worker"):
        # uvloop (with uvicorn[standard], as the APIs run on) where it is installed
        # (issue 16)
        try:
            import uvloop
        except ImportError:  # pragma: no cover - e.g. Windows
            asyncio.run(serve_worker(settings, registry, jobs, background))
        else:
            uvloop.run(serve_worker(settings, registry, jobs, background))
