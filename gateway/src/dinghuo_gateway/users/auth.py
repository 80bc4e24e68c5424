"""Who is behind a request: the session token (bearer or HttpOnly cookie) checked against
the user row, its roles expanded into effective permissions, and the dependencies that
guard the gateway's own /api/auth, /api/portal and /api/console routes."""

from __future__ import annotations

import ipaddress
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from servicekit.auth import Principal
from servicekit.errors import Forbidden, Unauthorized
from servicekit.logging import get_logger
from servicekit.timeutil import utcnow
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..access import domain as access
from ..config import Settings
from ..models import User
from ..security.service import Guard
from . import domain, tokens
from .sessions import Account, SessionRegistry

log = get_logger(__name__)


@dataclass(frozen=True)
class Caller:
    user: User
    session_id: str
    permissions: frozenset[str]  # effective: own + roles (staff only)
    role_ids: tuple[uuid.UUID, ...]
    sensitive: bool

    @property
    def id(self) -> uuid.UUID:
        return self.user.id

    @property
    def username(self) -> str:
        return self.user.username

    @property
    def areas(self) -> frozenset[str]:
        return frozenset(self.user.areas or ())

    def principal(self) -> Principal:
        return principal_of(self.user, self.permissions, sensitive=self.sensitive)


def principal_of(user: User, permissions: frozenset[str] | None = None, *,
                 sensitive: bool = False) -> Principal:
    """The principal the internal token carries; `permissions` are the effective ones
    (own + roles), defaulting to the user's own."""
    perms = permissions if permissions is not None else frozenset(user.permissions or ())
    staff = user.kind == "staff"
    return Principal(
        subject=str(user.id), kind=user.kind, username=user.username,  # type: ignore[arg-type]
        customer_id=user.customer_id,
        permissions=frozenset(perms) if staff else frozenset(),
        areas=frozenset(user.areas or ()) if staff else frozenset(),
        sensitive=staff and sensitive,
    )


def token_from(request: Request, settings: Settings) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip() or None
    return request.cookies.get(settings.cookie_name)


def session_accepted(user: User, issued_ms: int) -> bool:
    """Sessions started before the last password change or reset end with it."""
    if user.sessions_valid_after is None:
        return True
    return issued_ms >= int(user.sessions_valid_after.timestamp() * 1000)


async def authenticate(request: Request, sessionmaker: async_sessionmaker[AsyncSession],
                       settings: Settings) -> Caller:
    """The active user behind the request's bearer token or session cookie; else 401.
    Accounts and ended sessions come from the replica's `SessionRegistry` (no database
    read per request); a session ended by logout, a password change or a deactivation
    is refused from the moment that change commits."""
    token = token_from(request, settings)
    if not token:
        raise Unauthorized("Please log in first")
    claims = tokens.verify_claims(token, settings.session_secret)
    registry: SessionRegistry | None = getattr(request.app.state, "sessions", None)
    if registry is None:
        registry = request.app.state.sessions = SessionRegistry(sessionmaker,
                                                                settings.database_url)
    account = await registry.account(claims.user_id)
    if (account is None or not account.user.active
            or not session_accepted(account.user, claims.issued_ms)
            or await registry.revoked(claims.session_id)):
        raise Unauthorized("Your session has ended; please log in again")
    return caller_of(account, claims.session_id)


def caller_of(account: Account, session_id: str) -> Caller:
    user = account.user
    staff = user.kind == "staff"
    return Caller(
        user=user, session_id=session_id,
        permissions=access.effective(user.permissions or (), (p for _, p in account.roles))
        if staff else frozenset(),
        role_ids=tuple(r for r, _ in account.roles),
        sensitive=staff and domain.sensitive_unlocked(
            session_id, user.sensitive_session, user.sensitive_until, utcnow()),
    )


def require_password_changed(caller: Caller) -> None:
    if caller.user.must_change_password:
        raise domain.PasswordChangeRequired(
            "Your password was issued by someone else: change it first "
            "(POST /api/auth/change-password)")


async def _caller(request: Request) -> Caller:
    return await authenticate(request, request.app.state.db.sessionmaker,
                              request.app.state.settings)


async def _portal_user(caller: Annotated[Caller, Depends(_caller)]) -> Caller:
    if caller.user.kind != "customer":
        raise Forbidden("The customer portal is for customer users only")
    require_password_changed(caller)
    return caller


async def _company_admin(caller: Annotated[Caller, Depends(_portal_user)]) -> Caller:
    if caller.user.company_role != domain.COMPANY_ADMIN:
        raise Forbidden("Only your company's administrator may manage its users")
    return caller


async def _staff_user(caller: Annotated[Caller, Depends(_caller)]) -> Caller:
    if caller.user.kind != "staff":
        raise Forbidden("The staff console is for staff users only")
    require_password_changed(caller)
    return caller


AnyCaller = Annotated[Caller, Depends(_caller)]
PortalCaller = Annotated[Caller, Depends(_portal_user)]
CompanyAdmin = Annotated[Caller, Depends(_company_admin)]
StaffCaller = Annotated[Caller, Depends(_staff_user)]


def require_staff(permission: str):
    """An Annotated dependency for a staff user holding `permission` (own or by role)."""

    async def _check(caller: Annotated[Caller, Depends(_staff_user)]) -> Caller:
        if not access.covers(caller.permissions, permission):
            raise Forbidden(f"Permission {permission} is required")
        return caller

    return Annotated[Caller, Depends(_check)]


# ------------------------------------------------------------------ request helpers
async def _security_session(request: Request) -> AsyncIterator[AsyncSession]:
    """A second session for security records (failures, lockouts, rate counters, audit of
    refusals): it commits even when the request fails."""
    async with request.app.state.db.sessionmaker() as session:
        try:
            yield session
        finally:
            try:
                await session.commit()
            except Exception as exc:  # noqa: BLE001 - never hide the request's own outcome
                log.warning("security_record_failed", error=repr(exc))
                await session.rollback()


SecuritySession = Annotated[AsyncSession, Depends(_security_session, scope="function")]


def _trusted(address: str, proxies: list[str]) -> bool:
    """Is `address` one of the trusted proxies (addresses or CIDR networks)?"""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for entry in proxies:
        try:
            if ip in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def client_address(request: Request, settings: Settings) -> str:
    """The client's address; X-Forwarded-For is believed only from trusted proxies
    (GATEWAY_TRUSTED_PROXIES: addresses or networks, e.g. ["10.0.0.0/8"])."""
    peer = request.client.host if request.client else "unknown"
    if not _trusted(peer, settings.trusted_proxies):
        return peer
    hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",")
            if h.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, settings.trusted_proxies):
            return hop[:64]
    return peer


def rate_limited(bucket: str):
    """A dependency counting the request against the client address's limit for
    `bucket` (login, password reset): 429 with Retry-After beyond it (X-3)."""

    async def _check(request: Request, security: SecuritySession) -> None:
        settings = request.app.state.settings
        await Guard(security, settings).check_rate(bucket, client_address(request, settings))

    return Depends(_check)
