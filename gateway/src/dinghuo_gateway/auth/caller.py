"""Who is behind a request: the session token (bearer or HttpOnly cookie) checked against
the account this replica keeps in memory (`sessions.SessionRegistry`, no database read
per request), its roles expanded into effective permissions."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from fastapi import Request
from servicekit.auth import Principal
from servicekit.errors import Unauthorized
from servicekit.timeutil import utcnow
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..access import domain as access
from ..config import Settings
from ..models import User
from ..users import domain
from . import tokens
from .sessions import Account, SessionRegistry


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
