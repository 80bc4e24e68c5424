"""/api/portal/* and /api/console/*: authenticate, check the side, forward."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from servicekit.errors import Forbidden, NotFound

from ..users.auth import authenticate, require_password_changed
from .forwarder import PASS_REQUEST
from .routes import service_for

router = APIRouter(include_in_schema=False)

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


async def _forward(side: str, path: str, request: Request) -> Response:
    settings = request.app.state.settings
    caller = await authenticate(request, request.app.state.db.sessionmaker, settings)
    user = caller.user
    if side == "console" and user.kind != "staff":
        raise Forbidden("The staff console is for staff users only")
    if side == "portal" and user.kind != "customer":
        raise Forbidden("The customer portal is for customer users only")
    require_password_changed(caller)
    service = service_for(side, path)
    if service is None:
        raise NotFound(f"No such route: {request.url.path}")
    headers = {k: v for k, v in request.headers.items() if k.lower() in PASS_REQUEST}
    fwd = request.app.state.forwarder
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.method == "GET" and "text/event-stream" in request.headers.get("accept", ""):
        return await fwd.stream(service, target, caller.principal(), headers=headers)
    resp = await fwd.call(service, request.method, target, caller.principal(),
                          content=await request.body(), headers=headers)
    return fwd.relay(resp)


@router.api_route("/api/portal/{path:path}", methods=METHODS)
async def portal(path: str, request: Request) -> Response:
    return await _forward("portal", path, request)


@router.api_route("/api/console/{path:path}", methods=METHODS)
async def console(path: str, request: Request) -> Response:
    return await _forward("console", path, request)
