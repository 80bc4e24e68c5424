"""The web application (issue 4): the customer portal at `/` and the staff console at
`/console`, built by Vite into `GATEWAY_WEB_DIST` (`web/dist`).

Client-side routes get their entry's index.html (never cached, so a new build is picked up
at once); the content-hashed files under /assets are cached for a year. /api/* stays the
API: an unknown API path is a JSON 404, never the HTML page. Until the web application is
built the landing pages say how to reach the API."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse, Response
from servicekit.errors import NotFound
from servicekit.logging import get_logger

from .landing import console_home, portal_home
from .landing import router as landing_router

log = get_logger(__name__)

IMMUTABLE = "public, max-age=31536000, immutable"
NO_CACHE = "no-cache"
SHORT = "public, max-age=3600"
METHODS = ["GET", "HEAD"]


def _file(dist: Path, relative: str) -> Path | None:
    """The file at `relative` inside `dist`, or None (also for paths leaving it)."""
    if not relative:
        return None
    candidate = (dist / relative).resolve()
    if not candidate.is_relative_to(dist) or not candidate.is_file():
        return None
    return candidate


def web_router(dist: Path) -> APIRouter:
    """Serve the build in `dist`; while it is not built (yet), the landing pages answer.
    The check is made per request, so a build made after the gateway started is served."""
    dist = dist.resolve()
    portal_index = dist / "index.html"
    console_index = dist / "console" / "index.html"
    router = APIRouter(include_in_schema=False)

    def page(index: Path, fallback: str) -> Response:
        if not index.is_file():
            return HTMLResponse(fallback)
        return FileResponse(index, media_type="text/html; charset=utf-8",
                            headers={"Cache-Control": NO_CACHE})

    @router.api_route("/assets/{path:path}", methods=METHODS)
    async def assets(path: str) -> Response:
        found = _file(dist / "assets", path)
        if found is None:
            raise NotFound(f"No such file: /assets/{path}")
        return FileResponse(found, headers={"Cache-Control": IMMUTABLE})

    @router.api_route("/console", methods=METHODS)
    @router.api_route("/console/{path:path}", methods=METHODS)
    async def console(path: str = "") -> Response:
        found = _file(dist / "console", path) if path != "index.html" else None
        if found is not None:
            return FileResponse(found, headers={"Cache-Control": SHORT})
        return page(console_index, await console_home())

    @router.api_route("/{path:path}", methods=METHODS)
    async def portal(path: str) -> Response:
        if path == "api" or path.startswith("api/"):
            raise NotFound(f"No such route: /{path}")
        found = _file(dist, path) if path != "index.html" else None
        if found is not None:
            return FileResponse(found, headers={"Cache-Control": SHORT})
        return page(portal_index, await portal_home())

    return router


def site_router(web_dist: str | None) -> APIRouter:
    """The web application in `web_dist` (GATEWAY_WEB_DIST), else the landing pages.
    Include it last: its catch-all route must not shadow the API."""
    if not web_dist:
        return landing_router
    if not (Path(web_dist) / "index.html").is_file():
        log.warning("web_not_built", web_dist=web_dist,
                    hint="make web (npm ci && npm run build in web/)")
    return web_router(Path(web_dist))
