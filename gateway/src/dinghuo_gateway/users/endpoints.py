from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from servicekit.db import Session
from servicekit.errors import AppError, error_responses

from ..config import Settings
from .schemas import LoginIn, RegisterIn, RegisterOut, TokenOut, UserOut
from .service import UserService, authenticate, principal_of, user_out

router = APIRouter(tags=["auth"])


def _settings(request: Request) -> Settings:
    return request.app.state.settings


@router.post("/api/auth/login", response_model=TokenOut, responses=error_responses(401, 422))
async def login(body: LoginIn, request: Request, response: Response,
                session: Session) -> TokenOut:
    """Log in with username and password; returns a bearer token and sets an HttpOnly
    session cookie for the browser."""
    settings = _settings(request)
    user, token, ttl = await UserService(session, settings).login(body.username, body.password)
    response.set_cookie(settings.cookie_name, token, max_age=ttl, httponly=True,
                        samesite="lax", secure=settings.cookie_secure, path="/")
    return TokenOut(access_token=token, expires_in=ttl, user=UserOut(**user_out(user)))


@router.post("/api/auth/logout", status_code=204)
async def logout(request: Request) -> Response:
    """End the browser session (clears the cookie)."""
    resp = Response(status_code=204)
    resp.delete_cookie(_settings(request).cookie_name, path="/")
    return resp


@router.get("/api/auth/me", response_model=UserOut, responses=error_responses(401))
async def me(request: Request) -> UserOut:
    """The logged-in user."""
    user = await authenticate(request, request.app.state.db.sessionmaker, _settings(request))
    return UserOut(**user_out(user))


class UpstreamRefused(AppError):
    def __init__(self, status_code: int, body: bytes) -> None:
        super().__init__("upstream refused", status_code)
        self.body = body


@router.post("/api/portal/register", status_code=201, response_model=RegisterOut,
             responses=error_responses(409, 422, 503))
async def register(body: RegisterIn, request: Request, session: Session) -> RegisterOut:
    """Register a company and its first user; the company waits for staff review (C-2)."""
    settings = _settings(request)
    user = await UserService(session, settings).new_customer_user(body.username, body.password)
    resp = await request.app.state.forwarder.call(
        "customer", "POST", "/api/portal/register", principal_of(user),
        json={"company": body.company})
    if resp.status_code >= 400:
        # The user row is rolled back with the request's transaction.
        raise UpstreamRefused(resp.status_code, resp.content)
    data = resp.json()
    return RegisterOut(customer_id=user.customer_id, customer_number=data.get("customer_number"),
                       status=data.get("status", "pending_review"), username=user.username)


async def upstream_refused_handler(_request: Request, exc: UpstreamRefused) -> JSONResponse:
    return Response(content=exc.body, status_code=exc.status_code,  # type: ignore[return-value]
                    media_type="application/json")
