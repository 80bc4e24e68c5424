"""The gateway: identity and access, routing of /api/portal and /api/console to the
services with a signed internal token, and one OpenAPI document at /api/docs."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse
from servicekit.app import create_service_app
from servicekit.logging import get_logger

from .access.endpoints import catalog_router, roles_router, staff_router
from .company.endpoints import router as company_router
from .config import Settings, settings
from .errors import too_many_requests_handler
from .proxy.endpoints import router as proxy_router
from .proxy.forwarder import Forwarder
from .proxy.openapi import OpenAPICache
from .security.endpoints import router as audit_router
from .security.service import TooManyRequests
from .users.endpoints import UpstreamRefused, upstream_refused_handler
from .users.endpoints import router as auth_router
from .users.service import UserService
from .web import site_router

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
    app = create_service_app(
        # The gateway's own /api/portal and /api/console routes before the proxy's.
        config, [auth_router, company_router, staff_router, roles_router, catalog_router,
                 audit_router, proxy_router],
        title="Dinghuo API",
        description="The public API of Dinghuo: /api/auth (login, passwords, query "
                    "password), /api/portal (customer users) and /api/console (staff "
                    "users). A user holding an issued password gets 403 "
                    "PasswordChangeRequired on /api/portal and /api/console until it "
                    "changes it. Lists are JSON arrays; the "
                    "X-Total-Count header holds the count of all matching rows. Errors are "
                    '`{"error": "<Name>", "detail": "<what went wrong>"}`.',
        on_startup=_startup, on_shutdown=_shutdown,
        openapi_url=None, docs_url=None, redoc_url=None,
    )
    app.add_exception_handler(UpstreamRefused, upstream_refused_handler)  # type: ignore[arg-type]
    app.add_exception_handler(TooManyRequests, too_many_requests_handler)  # type: ignore[arg-type]

    def own_openapi() -> dict:
        return get_openapi(title=app.title, version=app.version, description=app.description,
                           routes=app.routes)

    @app.get("/api/openapi.json", include_in_schema=False)
    async def openapi_json(request: Request) -> JSONResponse:
        return JSONResponse(await request.app.state.openapi_cache.get(own_openapi()))

    @app.get("/api/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/api/openapi.json", title="Dinghuo API")

    # Last: the web application's catch-all route must not shadow the API.
    app.include_router(site_router(config.web_dist))
    return app


app = create_app()
