"""Who is logged in, known to every gateway replica without a database read per request
(issue 8, X-3).

Session tokens stay signed JWTs (12 h by default; `GATEWAY_SESSION_HOURS`), but a token is
only as good as the account and session behind it, and those can end at any moment:
- **logout** records the token's session id in `revoked_sessions` (until the token would
  have expired anyway); `POST /api/auth/logout?everywhere=true` ends all of them;
- **a password change, a reset and a staff or company-user deactivation** change the user
  row (`sessions_valid_after`, `active`), which ends every session of that user.

Why a pushed revocation list and not short-lived access tokens with refresh: the browser
session is an HttpOnly cookie and every API client would need a refresh flow; and a
refresh interval is exactly the window in which an ended session still works. Here each
replica keeps the accounts it has seen and the live revoked sessions in memory, and
PostgreSQL tells every replica of each change at commit: triggers on `users`,
`user_roles`, `roles` and `revoked_sessions` NOTIFY the `gateway_auth` channel (so no code
path can forget to), and this process also forgets what its own sessions changed the
moment they commit. A replica whose LISTEN connection is down caches nothing and reads
the database on every request until it is back, then reloads the revoked sessions: a
change is never missed, only slower to see.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass
from datetime import datetime

import asyncpg
from servicekit.db import asyncpg_dsn
from servicekit.logging import get_logger
from servicekit.timeutil import utcnow
from servicekit.upsert import insert
from sqlalchemy import delete, event
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from ..models import RevokedSession, Role, User, UserRole
from ..users.repository import UserRepository

log = get_logger(__name__)

CHANNEL = "gateway_auth"
MAX_ACCOUNTS = 10_000
RECONNECT_SECONDS = 1.0
_CHANGED = "gateway_auth_changed"


@dataclass(frozen=True)
class Account:
    """A user row (detached, read-only: never change it) with its roles' permissions."""

    user: User
    roles: tuple[tuple[uuid.UUID, tuple[str, ...]], ...]


class SessionRegistry:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], database_url: str,
                 *, ttl_seconds: float = 60.0) -> None:
        self.sessionmaker = sessionmaker
        self.dsn = asyncpg_dsn(database_url)
        self.ttl = ttl_seconds
        self._accounts: dict[uuid.UUID, tuple[float, Account]] = {}
        self._revoked: dict[str, float] = {}  # session id -> token expiry (epoch seconds)
        self._generation = 0
        self._listening = False
        self._task: asyncio.Task | None = None
        self._conn: asyncpg.Connection | None = None
        self._ready = asyncio.Event()

    # ------------------------------------------------------------------ lifecycle
    async def start(self, wait: float = 5.0) -> None:
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "after_commit", self._after_commit)
        event.listen(Session, "after_soft_rollback", _after_rollback)
        self._task = asyncio.create_task(self._listen())
        try:
            await asyncio.wait_for(self._ready.wait(), wait)
        except TimeoutError:
            log.warning("auth_listen_not_ready", hint="reading users from the database "
                                                      "on every request until it is")

    async def stop(self) -> None:
        for name, fn in (("after_flush", _after_flush), ("after_commit", self._after_commit),
                         ("after_soft_rollback", _after_rollback)):
            if event.contains(Session, name, fn):
                event.remove(Session, name, fn)
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except (asyncio.CancelledError, Exception):  # noqa: BLE001
                pass
        await self._close_conn()

    async def _close_conn(self) -> None:
        if self._conn is not None:
            try:
                await self._conn.close(timeout=2)
            except Exception:  # noqa: BLE001 - already gone
                pass
            self._conn = None

    async def _listen(self) -> None:
        """Keep a LISTEN connection. While it is down nothing is cached."""
        while True:
            try:
                conn = await asyncpg.connect(self.dsn, timeout=10)
                self._conn = conn
                lost = asyncio.Event()
                conn.add_termination_listener(lambda *_, ev=lost: ev.set())
                await conn.add_listener(CHANNEL, self._on_notify)
                await self._load_revoked(conn)
                self._accounts.clear()
                self._listening = True
                self._ready.set()
                log.info("auth_listen_started")
                while not lost.is_set() and not conn.is_closed():
                    try:
                        await asyncio.wait_for(lost.wait(), 5)
                    except TimeoutError:
                        await conn.execute("SELECT 1")  # notice a dead connection
            except asyncio.CancelledError:
                self._listening = False
                raise
            except Exception as exc:  # noqa: BLE001 - retried; requests go to the database
                log.warning("auth_listen_failed", error=repr(exc))
            self._listening = False
            self._accounts.clear()
            self._generation += 1
            await self._close_conn()
            await asyncio.sleep(RECONNECT_SECONDS)

    async def _load_revoked(self, conn: asyncpg.Connection) -> None:
        rows = await conn.fetch(
            "SELECT session_id, extract(epoch FROM expires_at)::float8 AS exp "
            "FROM revoked_sessions WHERE expires_at > now()")
        self._revoked = {r["session_id"]: r["exp"] for r in rows}

    def _on_notify(self, _conn, _pid, _channel, payload: str) -> None:
        kind, _, rest = payload.partition(":")
        if kind == "user":
            try:
                self.forget(uuid.UUID(rest))
            except ValueError:
                self.forget_all()
        elif kind == "session":
            session_id, _, exp = rest.rpartition(":")
            try:
                self.revoke_locally(session_id, float(exp))
            except ValueError:
                self.revoke_locally(rest, time.time() + 86400)
        else:
            self.forget_all()

    # ------------------------------------------------------------------ invalidation
    def forget(self, user_id: uuid.UUID) -> None:
        self._generation += 1
        self._accounts.pop(user_id, None)

    def forget_all(self) -> None:
        self._generation += 1
        self._accounts.clear()

    def revoke_locally(self, session_id: str, expires_epoch: float) -> None:
        now = time.time()
        if len(self._revoked) > 1000:
            self._revoked = {s: e for s, e in self._revoked.items() if e > now}
        self._revoked[session_id] = expires_epoch

    def _after_commit(self, session: Session) -> None:
        changed = session.info.pop(_CHANGED, None)
        if not changed:
            return
        if "*" in changed:
            self.forget_all()
        for user_id in changed - {"*"}:
            self.forget(user_id)

    # ------------------------------------------------------------------ lookups
    @property
    def listening(self) -> bool:
        return self._listening

    async def account(self, user_id: uuid.UUID) -> Account | None:
        """The user and its roles, from memory while this replica hears every change."""
        now = time.monotonic()
        hit = self._accounts.get(user_id)
        if hit is not None and self._listening and now - hit[0] < self.ttl:
            return hit[1]
        generation = self._generation
        async with self.sessionmaker() as session:
            repo = UserRepository(session)
            user = await repo.get(user_id)
            if user is None:
                return None
            roles = await repo.roles_of(user.id) if user.kind == "staff" else []
        acc = Account(user=user, roles=tuple((r, tuple(p)) for r, p in roles))
        if self._listening and generation == self._generation:
            if len(self._accounts) >= MAX_ACCOUNTS:
                self._accounts.clear()
            self._accounts[user_id] = (now, acc)
        return acc

    async def revoked(self, session_id: str) -> bool:
        if not session_id:
            return False
        if self._listening:
            exp = self._revoked.get(session_id)
            return exp is not None and exp > time.time()
        async with self.sessionmaker() as session:
            row = await session.get(RevokedSession, session_id)
            return row is not None and row.expires_at > utcnow()


def _after_flush(session: Session, _flush_context) -> None:
    """Remember which users this transaction changed (forgotten at its commit)."""
    changed: set = session.info.setdefault(_CHANGED, set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, User):
            changed.add(obj.id)
        elif isinstance(obj, UserRole):
            changed.add(obj.user_id)
        elif isinstance(obj, Role):
            changed.add("*")


def _after_rollback(session: Session, _previous_transaction) -> None:
    session.info.pop(_CHANGED, None)


async def revoke(session: AsyncSession, registry: SessionRegistry | None, session_id: str,
                 user_id: uuid.UUID, expires_at: datetime) -> None:
    """End one session (logout): recorded for every replica, effective here at once."""
    if not session_id:
        return
    await session.execute(insert(RevokedSession).values(
        session_id=session_id, user_id=user_id, expires_at=expires_at,
        revoked_at=utcnow()).on_conflict_do_nothing())
    if registry is not None:
        registry.revoke_locally(session_id, expires_at.timestamp())


async def purge_expired(session: AsyncSession) -> int:
    """Revoked sessions whose tokens have expired anyway are no longer needed."""
    result = await session.execute(
        delete(RevokedSession).where(RevokedSession.expires_at <= utcnow()))
    return result.rowcount or 0

