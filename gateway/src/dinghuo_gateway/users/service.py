"""Login, registration and the principal behind a request."""

from __future__ import annotations

import asyncio
import uuid

from fastapi import Request
from servicekit.auth import Principal
from servicekit.errors import Conflict, Unauthorized
from servicekit.timeutil import utcnow
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..config import Settings
from ..models import User
from . import domain, passwords, tokens
from .repository import UserRepository

ALL = "*"


def principal_of(user: User) -> Principal:
    return Principal(
        subject=str(user.id), kind=user.kind, username=user.username,  # type: ignore[arg-type]
        customer_id=user.customer_id,
        permissions=frozenset(user.permissions or ()) if user.kind == "staff" else frozenset(),
        areas=frozenset(user.areas or ()),
    )


def user_out(user: User) -> dict:
    return {"id": user.id, "username": user.username, "kind": user.kind,
            "customer_id": user.customer_id, "display_name": user.display_name,
            "permissions": list(user.permissions or []), "areas": list(user.areas or []),
            "must_change_password": user.must_change_password}


def token_from(request: Request, settings: Settings) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip() or None
    return request.cookies.get(settings.cookie_name)


async def authenticate(request: Request, sessionmaker: async_sessionmaker[AsyncSession],
                       settings: Settings) -> User:
    """The active user behind the request's bearer token or session cookie; else 401."""
    token = token_from(request, settings)
    if not token:
        raise Unauthorized("Please log in first")
    user_id = tokens.verify(token, settings.session_secret)
    async with sessionmaker() as session:
        user = await UserRepository(session).get(user_id)
    if user is None or not user.active:
        raise Unauthorized("Invalid or missing credentials")
    return user


class UserService:
    def __init__(self, session: AsyncSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings
        self.users = UserRepository(session)

    async def login(self, username: str, password: str) -> tuple[User, str, int]:
        user = await self.users.by_username(domain.normalize_username(username))
        ok = await asyncio.to_thread(passwords.verify_password,
                                     user.password_hash if user else None, password)
        if user is None or not ok or not user.active:
            # The same answer whether or not the username exists.
            raise Unauthorized("Invalid username or password")
        user.last_login_at = utcnow()
        token, ttl = tokens.issue(user.id, user.kind, self.settings.session_secret,
                                  self.settings.session_hours)
        return user, token, ttl

    async def new_customer_user(self, username: str, password: str) -> User:
        """Reserve the username for a new company inside the caller's transaction."""
        name = domain.check_username(username)
        domain.check_password(password, name)
        if await self.users.by_username(name) is not None:
            raise Conflict("This username is already taken; please choose another")
        user = User(id=uuid.uuid4(), username=name, kind="customer",
                    customer_id=uuid.uuid4(), permissions=[], areas=[],
                    password_hash=await asyncio.to_thread(passwords.hash_password, password),
                    must_change_password=False, active=True)
        self.users.add(user)
        try:
            await self.session.flush()
        except IntegrityError as exc:
            raise Conflict("This username is already taken; please choose another") from exc
        return user

    async def ensure_admin(self, username: str, password: str) -> bool:
        """Create the bootstrap staff administrator if missing; True when created."""
        name = domain.normalize_username(username)
        if await self.users.by_username(name) is not None:
            return False
        self.users.add(User(
            id=uuid.uuid4(), username=name, kind="staff", customer_id=None,
            display_name="系统管理员", permissions=[ALL], areas=[],
            password_hash=await asyncio.to_thread(passwords.hash_password, password),
            must_change_password=False, active=True))
        await self.session.flush()
        return True
