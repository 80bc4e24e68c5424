"""The gateway: identity and access, routing of /api/portal and /api/console to the
services with a signed internal token, and one OpenAPI document at /api/docs."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse
from servicekit.app import create_service_app
from servicekit.logging import get_logger
from servicekit.tracing import instrument_httpx

from .config import Settings, settings
from .landing import router as landing_router
from .proxy.endpoints import router as proxy_router
from .proxy.forwarder import Forwarder
from .proxy.openapi import OpenAPICache
from .users.endpoints import UpstreamRefused, upstream_refused_handler
from .users.endpoints import router as auth_router
from .users.service import UserService

log = get_logger(__name__)


async def _startup(app: FastAPI) -> None:
    config: Settings = app.state.settings
    app.state.forwarder = Forwarder(config)
    app.state.openapi_cache = OpenAPICache(app.state.forwarder)
    if config.admin_password:
        async with app.state.db.sessionmaker() as session, session.begin():
            created = await UserService(session, config).ensure_admin(
                config.admin_username, config.admin_password)
        if created:
            log.info("admin_created", username=config.admin_username)


async def _shutdown(app: FastAPI) -> None:
    await app.state.forwarder.close()


def create_app(config: Settings = settings) -> FastAPI:
    instrument_httpx()
    app = create_service_app(
        config, [auth_router, proxy_router, landing_router],
        title="Dinghuo API",
        description="The public API of Dinghuo: /api/auth (login), /api/portal (customer "
                    "users) and /api/console (staff users). Lists are JSON arrays; the "
                    "X-Total-Count header holds the count of all matching rows. Errors are "
                    '`{"error": "<Name>", "detail": "<what went wrong>"}`.',
        on_startup=_startup, on_shutdown=_shutdown,
        openapi_url=None, docs_url=None, redoc_url=None,
    )
    app.add_exception_handler(UpstreamRefused, upstream_refused_handler)  # type: ignore[arg-type]

    def own_openapi() -> dict:
        return get_openapi(title=app.title, version=app.version, description=app.description,
                           routes=app.routes)

    @app.get("/api/openapi.json", include_in_schema=False)
    async def openapi_json(request: Request) -> JSONResponse:
        return JSONResponse(await request.app.state.openapi_cache.get(own_openapi()))

    @app.get("/api/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/api/openapi.json", title="Dinghuo API")

    return app


app = create_app()
