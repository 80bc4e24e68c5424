"""Lockout, rate limits and the audit log (X-3). Failures and lockouts are written in the
security session, which commits even when the request fails, so a refused login still
counts; the several gateway replicas agree because the state is in the database."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime, timedelta
from typing import Any

from servicekit.errors import AppError
from servicekit.logging import get_logger
from servicekit.timeutil import utcnow
from sqlalchemy.ext.asyncio import AsyncSession

from ..config import Settings
from ..models import AuditEvent
from .domain import LockoutRule, RateWindow
from .repository import SecurityRepository

log = get_logger(__name__)


class TooManyRequests(AppError):
    status_code = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def lockout_rule(settings: Settings) -> LockoutRule:
    return LockoutRule(settings.lockout_max_failures,
                       timedelta(minutes=settings.lockout_window_minutes),
                       timedelta(minutes=settings.lockout_minutes))


class AuditLog:
    """Security events: who, when, what, target, from where, before and after."""

    def __init__(self, session: AsyncSession) -> None:
        self.repo = SecurityRepository(session)

    def record(self, type_: str, *, actor_id: uuid.UUID | None = None,
               actor: str | None = None, target_id: uuid.UUID | None = None,
               target: str | None = None, address: str | None = None,
               before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
               at: datetime | None = None) -> None:
        self.repo.add_audit(AuditEvent(
            occurred_at=at or utcnow(), type=type_, actor_id=actor_id, actor_username=actor,
            target_id=target_id, target_name=target, address=address,
            before=before, after=after))
        log.info("security_event", type=type_, actor=actor, target=target)


class Guard:
    def __init__(self, security_session: AsyncSession, settings: Settings) -> None:
        self.session = security_session
        self.repo = SecurityRepository(security_session)
        self.rule = lockout_rule(settings)
        self.settings = settings
        self.audit = AuditLog(security_session)

    async def check_rate(self, bucket: str, address: str) -> None:
        window = RateWindow(self.settings.auth_rate_limit, self.settings.auth_rate_window_seconds)
        now = utcnow()
        count = await self.repo.hit(f"{bucket}:{address}", window.start(now))
        if secrets.randbelow(200) == 0:  # now and then, forget other addresses' old windows
            await self.repo.prune_counters(window.start(now) - timedelta(days=1))
        if not window.allows(count):
            retry = window.retry_after(now)
            if count == window.limit + 1:
                log.warning("rate_limited", bucket=bucket, address=address)
            raise TooManyRequests(
                f"Too many requests from your address; please wait {retry} seconds and "
                "try again", retry)

    async def is_locked(self, username: str) -> bool:
        return self.rule.is_locked(await self.repo.locked_until(username), utcnow())

    async def record_failure(self, username: str, address: str | None, *, reason: str,
                             user_id: uuid.UUID | None = None) -> bool:
        """Count a failed secret for `username` (known or not); True when it locks it."""
        now = utcnow()
        await self.repo.clear_failures(username, before=self.rule.window_start(now))
        await self.repo.add_failure(username, now, address)
        self.audit.record("login_failed", actor=username, actor_id=user_id, target=username,
                          target_id=user_id, address=address, after={"reason": reason}, at=now)
        until = self.rule.locked_until(
            await self.repo.failures_since(username, self.rule.window_start(now)), now)
        if until is None:
            return False
        await self.repo.lock(username, until)
        await self.repo.clear_failures(username, before=now)
        self.audit.record("account_locked", actor=username, actor_id=user_id, target=username,
                          target_id=user_id, address=address,
                          after={"locked_until": until.isoformat()}, at=now)
        return True

    async def clear(self, username: str) -> None:
        await self.repo.clear_failures(username)
        await self.repo.unlock(username)
