"""The FastAPI application every service builds the same way: logging, tracing, the
database, error handlers, `/healthz` + `/readyz`, and an OpenAPI document whose 422s are
what the error handlers really send."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from typing import Any

import aio_pika
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from .db import Database
from .errors import install_error_handlers
from .logging import configure_logging, get_logger
from .middleware import TraceIdMiddleware
from .openapi import real_validation_errors
from .ops import outbox_ops_router
from .runtime import cpu_profile, settle_gc
from .settings import ServiceSettings
from .tracing import instrument_app, setup_tracing

log = get_logger(__name__)


async def check_database(db: Database) -> str | None:
    try:
        async with db.engine.connect() as conn:
            await asyncio.wait_for(conn.execute(text("SELECT 1")), 3)
        return None
    except Exception as exc:  # noqa: BLE001
        return repr(exc)


async def check_broker(amqp_url: str) -> str | None:
    try:
        conn = await aio_pika.connect(amqp_url, timeout=3)
        await conn.close()
        return None
    except Exception as exc:  # noqa: BLE001
        return repr(exc)


def health_router(settings: ServiceSettings) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": settings.service_name}

    @router.get("/readyz")
    async def readyz(request: Request) -> JSONResponse:
        db: Database = request.app.state.db
        db_err, mq_err = await asyncio.gather(check_database(db), check_broker(settings.amqp_url))
        body = {"service": settings.service_name,
                "database": "ok" if db_err is None else f"unreachable: {db_err}",
                "broker": "ok" if mq_err is None else f"unreachable: {mq_err}"}
        ok = db_err is None and mq_err is None
        body["status"] = "ready" if ok else "not ready"
        return JSONResponse(body, status_code=200 if ok else 503)

    return router


Hook = Callable[[FastAPI], Awaitable[None]]


def create_service_app(
    settings: ServiceSettings,
    routers: Iterable[APIRouter],
    *,
    title: str,
    description: str = "",
    on_startup: Hook | None = None,
    on_shutdown: Hook | None = None,
    internal_ops: bool = True,
    **fastapi_kwargs: Any,
) -> FastAPI:
    """`internal_ops`: serve `/internal/ops/...` (the outbox rows the relay gave up on,
    for the gateway's operators' pages, B-7); the gateway, reachable from outside, does
    not."""
    configure_logging(settings.service_name, settings.log_level, settings.log_json)
    setup_tracing(settings.service_name, settings.otel_exporter, settings.otel_console_path,
                  settings.otel_endpoint,
                  settings.otel_sample_ratio)
    db = Database(settings.database_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if on_startup is not None:
            await on_startup(app)
        log.info("service_started", port=settings.port)
        settle_gc()
        with cpu_profile(f"{settings.service_name}-api"):
            yield
        if on_shutdown is not None:
            await on_shutdown(app)
        await db.dispose()

    # No redirect to the same path with or without a trailing slash: behind the gateway
    # it would name the service's internal address (issue 8); the path is a plain 404.
    fastapi_kwargs.setdefault("redirect_slashes", False)
    # FastAPI's own telemetry (0.165+) switches itself on once a tracer provider is set:
    # a second server span per request, plus spans for dependency resolution, the
    # endpoint and serialisation, all on top of the OpenTelemetry instrumentation
    # (`instrument_app`) whose spans our traces are made of. Issue 16: off.
    fastapi_kwargs.setdefault("telemetry", {"tracing": False, "metrics": False,
                                            "logs": False})
    app = FastAPI(title=title, description=description, version="0.1.0", lifespan=lifespan,
                  **fastapi_kwargs)

    app.add_middleware(TraceIdMiddleware)

    def openapi() -> dict[str, Any]:
        # FastAPI's own document, with every 422 as install_error_handlers sends it.
        if not app.openapi_schema:
            app.openapi_schema = real_validation_errors(FastAPI.openapi(app))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    app.state.settings = settings
    app.state.db = db
    install_error_handlers(app)
    app.include_router(health_router(settings))
    for router in routers:
        app.include_router(router)
    if internal_ops:
        app.include_router(outbox_ops_router())
    instrument_app(app, db.engine)
    return app
