"""The gateway: identity and access, routing of /api/portal and /api/console to the
services with a signed internal token, and one OpenAPI document at /api/docs."""

from __future__ import annotations

import hashlib
from importlib.metadata import version
from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from servicekit.app import create_service_app
from servicekit.errors import NotFound
from servicekit.logging import get_logger
from servicekit.openapi import real_validation_errors

from .access.endpoints import catalog_router, roles_router, staff_router
from .asyncapi import router as asyncapi_router
from .auth.sessions import SessionRegistry
from .company.endpoints import router as company_router
from .config import Settings, settings
from .errors import too_many_requests_handler
from .ops.broker import Republisher
from .ops.endpoints import router as ops_router
from .proxy.endpoints import router as proxy_router
from .proxy.forwarder import Forwarder
from .proxy.openapi import OpenAPICache
from .security.body_limit import BodyLimitMiddleware
from .security.endpoints import router as audit_router
from .security.headers import install as install_security_headers
from .security.service import TooManyRequests
from .users.endpoints import UpstreamRefused, upstream_refused_handler
from .users.endpoints import router as auth_router
from .users.service import UserService
from .web import site_router

log = get_logger(__name__)

# Swagger UI for /api/docs from the gateway itself (issue 8): no CDN, and no inline script,
# so the page keeps the CSP's script-src 'self' (security/headers.py).
SWAGGER_STATIC = Path(fastapi_offline.__file__).parent / "static"
SWAGGER_VERSION = version("fastapi-offline")
SWAGGER_INIT_JS = """\
window.ui = SwaggerUIBundle({
  url: "/api/openapi.json",
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
});
"""
SWAGGER_INIT_VERSION = hashlib.sha256(SWAGGER_INIT_JS.encode()).hexdigest()[:12]
DOCS_PAGE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Dinghuo API</title>
<link rel="icon" type="image/png" href="/api/docs/static/favicon.png?v={SWAGGER_VERSION}">
<link rel="stylesheet" href="/api/docs/static/swagger-ui.css?v={SWAGGER_VERSION}">
</head><body>
<div id="swagger-ui"></div>
<script src="/api/docs/static/swagger-ui-bundle.js?v={SWAGGER_VERSION}"></script>
<script src="/api/docs/init.js?v={SWAGGER_INIT_VERSION}"></script>
</body></html>
"""
# The URLs carry the version, so a new version is a new URL: cache for a year.
IMMUTABLE = "public, max-age=31536000, immutable"


def docs_router() -> APIRouter:
    """/api/docs: the page, its initializer and the files of fastapi_offline's static
    directory (only those: a name is looked up, never joined to a path)."""
    files = {p.name: p for p in SWAGGER_STATIC.iterdir() if p.is_file()}
    router = APIRouter(include_in_schema=False)

    @router.api_route("/api/docs", methods=["GET", "HEAD"])
    async def docs() -> HTMLResponse:
        return HTMLResponse(DOCS_PAGE, headers={"Cache-Control": "no-cache"})

    @router.api_route("/api/docs/init.js", methods=["GET", "HEAD"])
    async def docs_init() -> Response:
        return Response(SWAGGER_INIT_JS, media_type="text/javascript; charset=utf-8",
                        headers={"Cache-Control": IMMUTABLE})

    @router.api_route("/api/docs/static/{name:path}", methods=["GET", "HEAD"])
    async def docs_static(name: str) -> FileResponse:
        found = files.get(name)
        if found is None:
            raise NotFound(f"No such file: /api/docs/static/{name}")
        return FileResponse(found, headers={"Cache-Control": IMMUTABLE})

    return router


async def _startup(app: FastAPI) -> None:
    config: Settings = app.state.settings
    app.state.forwarder = Forwarder(config)
    await app.state.sessions.start()
    app.state.openapi_cache = OpenAPICache(app.state.forwarder)
    if config.admin_password:
        async with app.state.db.sessionmaker() as session, session.begin():
            created = await UserService(session, config).ensure_admin(
                config.admin_username, config.admin_password)
        if created:
            log.info("admin_created", username=config.admin_username)


async def _shutdown(app: FastAPI) -> None:
    await app.state.forwarder.close()
    await app.state.sessions.stop()
    await app.state.republisher.close()


def create_app(config: Settings = settings) -> FastAPI:
    app = create_service_app(
        # The gateway's own /api/portal and /api/console routes before the proxy's.
        config, [auth_router, company_router, staff_router, roles_router, catalog_router,
                 audit_router, ops_router, proxy_router],
        title="Dinghuo API",
        description="The public API of Dinghuo: /api/auth (login, passwords, query "
                    "password), /api/portal (customer users) and /api/console (staff "
                    "users). A user holding an issued password gets 403 "
                    "PasswordChangeRequired on /api/portal and /api/console until it "
                    "changes it. Lists are JSON arrays; the "
                    "X-Total-Count header holds the count of all matching rows. Errors are "
                    '`{"error": "<Name>", "detail": "<what went wrong>"}`; a 422 for a '
                    'request that does not match the schema adds `errors`, the list of '
                    'problems (`ValidationErrorBody`).',
        on_startup=_startup, on_shutdown=_shutdown, internal_ops=False,
        openapi_url=None, docs_url=None, redoc_url=None,
    )
    # Accounts and ended sessions, pushed to every replica (started with the app).
    app.state.sessions = SessionRegistry(app.state.db.sessionmaker, config.database_url,
                                         ttl_seconds=config.auth_cache_seconds)
    # Replays of dead letters (B-7) publish through it; it connects at the first one.
    app.state.republisher = Republisher(config.amqp_url)
    app.add_exception_handler(UpstreamRefused, upstream_refused_handler)  # type: ignore[arg-type]
    app.add_exception_handler(TooManyRequests, too_many_requests_handler)  # type: ignore[arg-type]

    def own_openapi() -> dict:
        return real_validation_errors(get_openapi(
            title=app.title, version=app.version, description=app.description,
            routes=app.routes))

    @app.get("/api/openapi.json", include_in_schema=False)
    async def openapi_json(request: Request) -> JSONResponse:
        return JSONResponse(await request.app.state.openapi_cache.get(own_openapi()))

    app.include_router(docs_router())
    # The events' AsyncAPI document (I-4), public like /api/docs.
    app.include_router(asyncapi_router)
    # Bodies are read whole before they are forwarded: absurd ones are a 413.
    app.add_middleware(BodyLimitMiddleware, limit=config.max_body_bytes)
    install_security_headers(app)
    # Last: the web application's catch-all route must not shadow the API.
    app.include_router(site_router(config.web_dist))
    return app


app = create_app()
