from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from servicekit.db import Session
from servicekit.errors import AppError

from ..auth import tokens
from ..auth.caller import token_from
from ..auth.guards import AnyCaller
from ..config import Settings
from ..errors import responses
from ..security.clients import client_address
from ..security.limits import SecuritySession, rate_limited
from .schemas import (
    ChangePasswordIn,
    Done,
    LoginIn,
    QueryPasswordIn,
    RegisterIn,
    RegisterOut,
    ResetConfirmIn,
    ResetRequestIn,
    ResetRequestOut,
    TokenOut,
    UnlockIn,
    UnlockOut,
    UserOut,
)
from .service import UserService, describe, principal_of, user_out

router = APIRouter(tags=["auth"])

RESET_ACCEPTED = ("If this account exists, a one-time reset code has been sent to its "
                  "registered mobile number or e-mail address; it is valid for a short time.")


def _settings(request: Request) -> Settings:
    return request.app.state.settings


def _set_cookie(response: Response, settings: Settings, token: str, ttl: int) -> None:
    response.set_cookie(settings.cookie_name, token, max_age=ttl, httponly=True,
                        samesite="lax", secure=settings.secure_cookie, path="/")


@router.post("/api/auth/login", response_model=TokenOut,
             dependencies=[rate_limited("login")], responses=responses(401, 422, 429))
async def login(body: LoginIn, request: Request, response: Response, session: Session,
                security: SecuritySession) -> TokenOut:
    """Log in with username and password; returns a bearer token and sets an HttpOnly
    session cookie for the browser. After 5 failures in 15 minutes the account is locked
    for 15 minutes; the 401 is the same for an unknown user, a wrong password and a locked
    account (X-3). Requests per client address are rate-limited (429)."""
    settings = _settings(request)
    user, token, ttl = await UserService(session, settings, security).login(
        body.username, body.password, client_address(request, settings))
    _set_cookie(response, settings, token, ttl)
    return TokenOut(access_token=token, expires_in=ttl,
                    user=UserOut(**await describe(session, user)))


@router.post("/api/auth/logout", status_code=204, responses=responses(422))
async def logout(request: Request, session: Session, everywhere: bool = False) -> Response:
    """End this session: its token (bearer or cookie) stops working on every gateway at
    once, and the cookie is cleared. `everywhere=true` ends every session of the user
    (other browsers and API clients too). Without a valid session it only clears the
    cookie."""
    settings = _settings(request)
    token = token_from(request, settings)
    if token:
        try:
            claims = tokens.verify_claims(token, settings.session_secret)
        except AppError:
            claims = None
        if claims is not None:
            await UserService(session, settings).logout(
                claims, request.app.state.sessions, everywhere=everywhere,
                address=client_address(request, settings))
    resp = Response(status_code=204)
    resp.delete_cookie(settings.cookie_name, path="/", httponly=True, samesite="lax",
                       secure=settings.secure_cookie)
    return resp


@router.get("/api/auth/me", response_model=UserOut, responses=responses(401))
async def me(caller: AnyCaller) -> UserOut:
    """The logged-in user, with effective permissions and whether the password must be
    changed first."""
    return UserOut(**user_out(caller.user, caller))


@router.post("/api/auth/change-password", response_model=TokenOut,
             responses=responses(401, 422))
async def change_password(body: ChangePasswordIn, caller: AnyCaller, request: Request,
                          response: Response, session: Session,
                          security: SecuritySession) -> TokenOut:
    """Change your password (C-8). Every other session ends; the answer carries a new
    token (and cookie). A wrong current password is 401 and counts towards the lockout."""
    settings = _settings(request)
    user, token, ttl = await UserService(session, settings, security).change_password(
        caller, body.current_password, body.new_password, client_address(request, settings))
    _set_cookie(response, settings, token, ttl)
    return TokenOut(access_token=token, expires_in=ttl,
                    user=UserOut(**await describe(session, user)))


@router.post("/api/auth/query-password", response_model=Done,
             responses=responses(401, 403, 422))
async def set_query_password(body: QueryPasswordIn, caller: AnyCaller, request: Request,
                             session: Session, security: SecuritySession) -> Done:
    """Set or replace your query password, the second secret that unlocks sensitive
    reports (staff only; needs your login password)."""
    settings = _settings(request)
    await UserService(session, settings, security).set_query_password(
        caller, body.current_password, body.query_password, client_address(request, settings))
    return Done(detail="Your query password is set")


@router.post("/api/auth/unlock-sensitive", response_model=UnlockOut,
             responses=responses(401, 403, 409, 422))
async def unlock_sensitive(body: UnlockIn, caller: AnyCaller, request: Request,
                           session: Session, security: SecuritySession) -> UnlockOut:
    """Unlock sensitive reports for this session for a short time (15 minutes by
    default) with your query password. A wrong one is 401 and counts towards the
    lockout."""
    settings = _settings(request)
    user = await UserService(session, settings, security).unlock_sensitive(
        caller, body.query_password, client_address(request, settings))
    return UnlockOut(sensitive_until=user.sensitive_until)  # type: ignore[arg-type]


@router.post("/api/auth/lock-sensitive", response_model=Done, responses=responses(401))
async def lock_sensitive(caller: AnyCaller, request: Request, session: Session) -> Done:
    """Lock sensitive reports again before the unlock runs out."""
    await UserService(session, _settings(request)).lock_sensitive(caller)
    return Done(detail="Sensitive reports are locked")


@router.post("/api/auth/password-reset/request", status_code=202,
             response_model=ResetRequestOut, dependencies=[rate_limited("password-reset")],
             responses=responses(422, 429))
async def request_password_reset(body: ResetRequestIn, request: Request,
                                 session: Session) -> ResetRequestOut:
    """Ask for a one-time reset code, delivered by SMS or e-mail (C-8). `username` is the
    username (the code goes by SMS, else e-mail) or the account's mobile number or e-mail
    address (the code goes there). The answer is the same whether or not it exists."""
    settings = _settings(request)
    await UserService(session, settings).request_reset(body.username,
                                                       client_address(request, settings))
    return ResetRequestOut(detail=RESET_ACCEPTED)


@router.post("/api/auth/password-reset/confirm", response_model=Done,
             dependencies=[rate_limited("password-reset")],
             responses=responses(400, 410, 422, 429))
async def confirm_password_reset(body: ResetConfirmIn, request: Request,
                                 session: Session) -> Done:
    """Set a new password with the one-time code: it works once and expires after 30
    minutes (400 unknown code, 410 used or expired)."""
    settings = _settings(request)
    await UserService(session, settings).confirm_reset(body.token, body.new_password,
                                                       client_address(request, settings))
    return Done(detail="Your password has been reset; please log in with the new password")


class UpstreamRefused(AppError):
    def __init__(self, status_code: int, body: bytes) -> None:
        super().__init__("upstream refused", status_code)
        self.body = body


@router.post("/api/portal/register", status_code=201, response_model=RegisterOut,
             responses=responses(409, 422, 503))
async def register(body: RegisterIn, request: Request, session: Session) -> RegisterOut:
    """Register a company and its first user, the company's administrator; the company
    waits for staff review (C-2)."""
    settings = _settings(request)
    company = body.company
    user = await UserService(session, settings).new_customer_user(
        body.username, body.password,
        mobile=company.get("mobile") if isinstance(company.get("mobile"), str) else None,
        email=company.get("email") if isinstance(company.get("email"), str) else None,
        display_name=company["contact_person"][:100]
        if isinstance(company.get("contact_person"), str) else None)
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
