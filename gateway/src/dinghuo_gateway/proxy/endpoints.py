"""/api/portal/* and /api/console/*: authenticate, check the side, forward.
/api/payments/* (routes.PUBLIC): forward without a login and without an internal token."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from servicekit.errors import AppError, NotFound

from ..auth.caller import authenticate
from ..auth.guards import check_side
from .forwarder import PASS_REQUEST, public_request_headers, upstream_target
from .routes import PUBLIC, service_for

router = APIRouter(include_in_schema=False)

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


async def _forward(side: str, path: str, request: Request) -> Response:
    settings = request.app.state.settings
    caller = await authenticate(request, request.app.state.db.sessionmaker, settings)
    check_side(caller, side)
    service = service_for(side, path)
    if service is None:
        raise NotFound(f"No such route: {request.url.path}")
    headers = {k: v for k, v in request.headers.items() if k.lower() in PASS_REQUEST}
    target = upstream_target(request.scope.get("raw_path") or request.url.path.encode(),
                             request.scope.get("query_string") or b"")

    async def still_valid() -> bool:
        try:
            await authenticate(request, request.app.state.db.sessionmaker, settings)
            return True
        except AppError:
            return False

    return await request.app.state.forwarder.forward(
        service, request.method, target, caller.principal(),
        content=await request.body(), headers=headers, still_valid=still_valid)


@router.api_route("/api/portal/{path:path}", methods=METHODS)
async def portal(path: str, request: Request) -> Response:
    return await _forward("portal", path, request)


@router.api_route("/api/console/{path:path}", methods=METHODS)
async def console(path: str, request: Request) -> Response:
    return await _forward("console", path, request)


@router.api_route("/api/payments/{path:path}", methods=["GET", "POST"])
async def payments(path: str, request: Request) -> Response:
    """The payment providers' notifications and the development payment sandbox's pages
    (B-2): no login, no internal token — the order service authenticates a notification
    by the provider's signature. The path goes upstream as the client encoded it, the
    body within the gateway's size limit."""
    service = PUBLIC["payments"]
    target = upstream_target(request.scope.get("raw_path") or request.url.path.encode(),
                             request.scope.get("query_string") or b"")
    return await request.app.state.forwarder.forward(
        service, request.method, target, None, content=await request.body(),
        headers=public_request_headers(request.headers.items()))
