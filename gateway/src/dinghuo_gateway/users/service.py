"""Login, registration, passwords (change, one-time reset tokens, forced change of issued
passwords) and the query password (C-8, X-3)."""

from __future__ import annotations

import asyncio
import secrets
import uuid
from datetime import UTC, datetime, timedelta

from dinghuo_contracts import PasswordResetRequested
from servicekit.errors import Conflict, Forbidden, Unauthorized
from servicekit.messaging import add_event
from servicekit.timeutil import utcnow
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ..auth import sessions, tokens
from ..auth.caller import Caller, principal_of  # noqa: F401  (re-exported)
from ..auth.sessions import SessionRegistry
from ..config import Settings
from ..models import PasswordResetToken, User
from ..security.domain import INVALID_LOGIN
from ..security.service import AuditLog, Guard
from . import domain, passwords
from .repository import UserRepository

ALL = "*"
SOURCE = "gateway"


def user_out(user: User, caller: Caller | None = None) -> dict:
    perms = caller.permissions if caller is not None else frozenset(user.permissions or ())
    return {"id": user.id, "username": user.username, "kind": user.kind,
            "customer_id": user.customer_id, "company_role": user.company_role,
            "display_name": user.display_name,
            "permissions": sorted(perms) if user.kind == "staff" else [],
            "areas": list(user.areas or []),
            "role_ids": list(caller.role_ids) if caller is not None else [],
            "must_change_password": user.must_change_password,
            "has_query_password": user.query_password_hash is not None,
            "sensitive_until": user.sensitive_until if caller is not None and caller.sensitive
            else None}


async def describe(session: AsyncSession, user: User) -> dict:
    """`user_out` with the effective permissions (own and by role) of a staff user."""
    if user.kind != "staff":
        return user_out(user)
    roles = await UserRepository(session).roles_of(user.id)
    out = user_out(user)
    out["permissions"] = sorted(set(user.permissions or []).union(
        *(set(p) for _, p in roles)))
    out["role_ids"] = [r for r, _ in roles]
    return out


async def hashed(password: str) -> str:
    return await asyncio.to_thread(passwords.hash_password, password)


def end_sessions(user: User) -> None:
    """Every session token issued so far stops working (password changed or reset)."""
    user.sessions_valid_after = utcnow()
    user.sensitive_session = None
    user.sensitive_until = None


class UserService:
    def __init__(self, session: AsyncSession, settings: Settings,
                 security: AsyncSession | None = None) -> None:
        self.session = session
        self.settings = settings
        self.users = UserRepository(session)
        # Refusals are recorded in the security session, which commits even though the
        # request fails; successes are audited with the change itself.
        self.guard = Guard(security or session, settings)
        self.main_guard = Guard(session, settings)
        self.audit = AuditLog(session)

    # ------------------------------------------------------------------ login
    async def login(self, username: str, password: str,
                    address: str | None) -> tuple[User, str, int]:
        name = domain.normalize_username(username)
        if await self.guard.is_locked(name):
            # Same work and the same answer as a wrong password: nothing tells a locked
            # account, or an unknown username, apart.
            await asyncio.to_thread(passwords.verify_password, None, password)
            self.guard.audit.record("login_refused_locked", actor=name, target=name,
                                    address=address)
            raise Unauthorized(INVALID_LOGIN)
        user = await self.users.by_username(name)
        ok = await asyncio.to_thread(passwords.verify_password,
                                     user.password_hash if user else None, password)
        if user is None or not ok or not user.active:
            reason = ("unknown_user" if user is None else
                      "wrong_password" if not ok else "inactive")
            await self.guard.record_failure(name, address, reason=reason,
                                            user_id=user.id if user else None)
            raise Unauthorized(INVALID_LOGIN)
        await self.main_guard.clear(name)
        user.last_login_at = utcnow()
        self.audit.record("login_succeeded", actor_id=user.id, actor=user.username,
                          target_id=user.id, target=user.username, address=address)
        token, ttl = tokens.issue(user.id, user.kind, self.settings.session_secret,
                                  self.settings.session_hours)
        return user, token, ttl

    async def _check_secret(self, user: User, secret_hash: str | None, secret: str,
                            address: str | None, what: str) -> None:
        """A second chance to guess a password is a login attempt too: locked accounts
        are refused and failures count towards the lockout (X-3)."""
        if await self.guard.is_locked(user.username):
            raise Unauthorized(f"Wrong {what}, or the account is temporarily locked")
        ok = await asyncio.to_thread(passwords.verify_password, secret_hash, secret)
        if not ok:
            await self.guard.record_failure(user.username, address, reason=f"wrong_{what}"
                                            .replace(" ", "_"), user_id=user.id)
            raise Unauthorized(f"Wrong {what}, or the account is temporarily locked")

    async def logout(self, claims: tokens.SessionClaims, registry: SessionRegistry | None,
                     *, everywhere: bool, address: str | None) -> None:
        """End the session of `claims` (and with `everywhere` every session of its user)."""
        expires_at = datetime.fromtimestamp(claims.expires_at, tz=UTC)
        await sessions.revoke(self.session, registry, claims.session_id, claims.user_id,
                              expires_at)
        user = await self.users.get(claims.user_id, for_update=everywhere)
        if user is not None and everywhere:
            end_sessions(user)
        if user is not None:
            self.audit.record("logout_everywhere" if everywhere else "logout",
                              actor_id=user.id, actor=user.username, target_id=user.id,
                              target=user.username, address=address)
        await sessions.purge_expired(self.session)

    # ------------------------------------------------------------------ passwords
    async def change_password(self, caller: Caller, current: str, new: str,
                              address: str | None) -> tuple[User, str, int]:
        user = await self._load(caller.id)
        await self._check_secret(user, user.password_hash, current, address,
                                 "current password")
        domain.check_new_password(current, new, user.username)
        user.password_hash = await hashed(new)
        was_issued = user.must_change_password
        user.must_change_password = False
        end_sessions(user)
        self.audit.record("password_changed", actor_id=user.id, actor=user.username,
                          target_id=user.id, target=user.username, address=address,
                          before={"must_change_password": was_issued},
                          after={"must_change_password": False})
        token, ttl = tokens.issue(user.id, user.kind, self.settings.session_secret,
                                  self.settings.session_hours)
        return user, token, ttl

    async def issue_password(self, target: User, actor: Caller, address: str | None) -> str:
        """A temporary password for `target`, shown once; it must be changed at first
        login (C-8). The target's sessions end."""
        temporary = passwords.temporary_password()
        target.password_hash = await hashed(temporary)
        target.must_change_password = True
        end_sessions(target)
        self.audit.record("password_reset_by_staff" if actor.user.kind == "staff"
                          else "password_reset_by_admin",
                          actor_id=actor.id, actor=actor.username, target_id=target.id,
                          target=target.username, address=address,
                          after={"must_change_password": True})
        await self.main_guard.clear(target.username)
        return temporary

    async def request_reset(self, username: str, address: str | None) -> None:
        """Send a one-time token to the user's mobile or e-mail, if the user exists and
        is active; the caller answers the same either way (X-3). `username` may also be
        the mobile number or e-mail address registered with the account: the code then
        goes to that number or address only, one per matching account (C-8)."""
        user = await self.users.by_username(domain.normalize_username(username)[:60])
        if user is not None:
            if user.active:
                await self._send_reset(user, user.mobile, user.email, address)
            return
        contact = domain.reset_contact(username)
        if contact is None:
            return
        channel, value = contact
        for match in await self.users.active_by_contact(
                mobile=value if channel == "sms" else None,
                email=value if channel == "email" else None):
            await self._send_reset(match, match.mobile if channel == "sms" else None,
                                   match.email if channel == "email" else None, address)

    async def _send_reset(self, user: User, mobile: str | None, email: str | None,
                          address: str | None) -> None:
        now = utcnow()
        token = secrets.token_urlsafe(32)
        expires_at = now + timedelta(minutes=self.settings.password_reset_minutes)
        await self.users.retire_reset_tokens(user.id, now)
        self.users.add_reset_token(PasswordResetToken(
            id=uuid.uuid4(), user_id=user.id, token_hash=domain.hash_token(token),
            expires_at=expires_at, created_at=now))
        await add_event(self.session, PasswordResetRequested(
            user_id=user.id, username=user.username, kind=user.kind,  # type: ignore[arg-type]
            customer_id=user.customer_id, token=token, expires_at=expires_at,
            mobile=mobile, email=email), source=SOURCE)
        self.audit.record("password_reset_requested", actor=user.username, target_id=user.id,
                          target=user.username, address=address,
                          after={"expires_at": expires_at.isoformat(),
                                 "channel": "sms" if mobile else
                                 "email" if email else None})

    async def confirm_reset(self, token: str, new_password: str, address: str | None) -> User:
        row = await self.users.reset_token(domain.hash_token(token))
        if row is None:
            raise domain.InvalidResetToken(
                "This password-reset token is not valid; please check it or request a new one")
        now = utcnow()
        domain.check_reset_token(row.expires_at, row.used_at, now)
        user = await self.users.get(row.user_id, for_update=True)
        if user is None or not user.active:
            raise domain.InvalidResetToken("This password-reset token is not valid; the "
                                           "account is no longer active")
        domain.check_password(new_password, user.username)
        row.used_at = now
        await self.users.retire_reset_tokens(user.id, now)
        user.password_hash = await hashed(new_password)
        user.must_change_password = False
        end_sessions(user)
        await self.main_guard.clear(user.username)
        self.audit.record("password_reset_completed", actor=user.username, actor_id=user.id,
                          target_id=user.id, target=user.username, address=address)
        return user

    # ------------------------------------------------------------------ query password
    async def set_query_password(self, caller: Caller, current: str, query_password: str,
                                 address: str | None) -> None:
        user = await self._load(caller.id)
        if user.kind != "staff":
            raise Forbidden("Only staff users have a query password")
        await self._check_secret(user, user.password_hash, current, address,
                                 "current password")
        domain.check_password(query_password, user.username)
        if query_password == current:
            raise domain.InvalidCredentialsFormat(
                "query_password must differ from your login password")
        had = user.query_password_hash is not None
        user.query_password_hash = await hashed(query_password)
        user.sensitive_session = None
        user.sensitive_until = None
        self.audit.record("query_password_set", actor_id=user.id, actor=user.username,
                          target_id=user.id, target=user.username, address=address,
                          before={"had_query_password": had},
                          after={"had_query_password": True})

    async def unlock_sensitive(self, caller: Caller, query_password: str,
                               address: str | None) -> User:
        user = await self._load(caller.id)
        if user.kind != "staff":
            raise Forbidden("Only staff users have a query password")
        if user.query_password_hash is None:
            raise Conflict("You have no query password yet; set one first "
                           "(POST /api/auth/query-password)")
        await self._check_secret(user, user.query_password_hash, query_password, address,
                                 "query password")
        user.sensitive_session = caller.session_id
        user.sensitive_until = utcnow() + timedelta(minutes=self.settings.sensitive_unlock_minutes)
        self.audit.record("sensitive_unlocked", actor_id=user.id, actor=user.username,
                          target_id=user.id, target=user.username, address=address,
                          after={"until": user.sensitive_until.isoformat()})
        return user

    async def lock_sensitive(self, caller: Caller) -> None:
        user = await self._load(caller.id)
        if user.sensitive_session == caller.session_id:
            user.sensitive_session = None
            user.sensitive_until = None

    # ------------------------------------------------------------------ registration
    async def new_customer_user(self, username: str, password: str, *,
                                mobile: str | None = None, email: str | None = None,
                                display_name: str | None = None) -> User:
        """Reserve the username for a new company inside the caller's transaction; the
        registering user is the company's administrator."""
        name = domain.check_username(username)
        domain.check_password(password, name)
        if await self.users.by_username(name) is not None:
            raise Conflict("This username is already taken; please choose another")
        user = User(id=uuid.uuid4(), username=name, kind="customer",
                    customer_id=uuid.uuid4(), company_role=domain.COMPANY_ADMIN,
                    display_name=display_name, permissions=[], areas=[],
                    mobile=_quiet(domain.check_mobile, mobile),
                    email=_quiet(domain.check_email, email),
                    password_hash=await hashed(password), must_change_password=False,
                    active=True)
        self.users.add(user)
        try:
            await self.session.flush()
        except IntegrityError as exc:
            raise Conflict("This username is already taken; please choose another") from exc
        self.audit.record("user_created", actor_id=user.id, actor=user.username,
                          target_id=user.id, target=user.username,
                          after={"kind": "customer", "company_role": user.company_role,
                                 "customer_id": str(user.customer_id)})
        return user

    async def ensure_admin(self, username: str, password: str) -> bool:
        """Create the bootstrap staff administrator if missing; True when created."""
        name = domain.normalize_username(username)
        if await self.users.by_username(name) is not None:
            return False
        self.users.add(User(
            id=uuid.uuid4(), username=name, kind="staff", customer_id=None,
            display_name="系统管理员", permissions=[ALL], areas=[],
            password_hash=await hashed(password), must_change_password=False, active=True))
        await self.session.flush()
        return True

    async def _load(self, user_id: uuid.UUID) -> User:
        user = await self.users.get(user_id, for_update=True)
        if user is None or not user.active:
            raise Unauthorized("Invalid or missing credentials")
        return user


def _quiet(check, value: str | None) -> str | None:
    """Contact details the customer service validates itself: keep them when they pass
    our check too, else leave them out rather than refusing the registration here."""
    try:
        return check(value)
    except domain.InvalidCredentialsFormat:
        return None
