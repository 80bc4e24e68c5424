"""All SQL of login failures, lockouts, rate counters and the audit log."""

from __future__ import annotations

import uuid
from datetime import datetime

from servicekit.upsert import insert
from sqlalchemy import delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import AuditEvent, LoginFailure, LoginLock, RateCounter


class SecurityRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # ------------------------------------------------------------ login failures, locks
    async def add_failure(self, username: str, at: datetime, address: str | None) -> None:
        self.session.add(LoginFailure(username=username, occurred_at=at, address=address))
        await self.session.flush()

    async def failures_since(self, username: str, since: datetime) -> list[datetime]:
        return list((await self.session.scalars(
            select(LoginFailure.occurred_at).where(LoginFailure.username == username,
                                                   LoginFailure.occurred_at > since))).all())

    async def clear_failures(self, username: str, before: datetime | None = None) -> None:
        stmt = delete(LoginFailure).where(LoginFailure.username == username)
        if before is not None:
            stmt = stmt.where(LoginFailure.occurred_at <= before)
        await self.session.execute(stmt)

    async def locked_until(self, username: str) -> datetime | None:
        return (await self.session.execute(
            select(LoginLock.locked_until).where(LoginLock.username == username)
        )).scalar_one_or_none()

    async def lock(self, username: str, until: datetime) -> None:
        stmt = insert(LoginLock).values(username=username, locked_until=until)
        await self.session.execute(stmt.on_conflict_do_update(
            index_elements=["username"], set_={"locked_until": stmt.excluded.locked_until}))

    async def unlock(self, username: str) -> None:
        await self.session.execute(delete(LoginLock).where(LoginLock.username == username))

    # ------------------------------------------------------------ rate counters
    async def hit(self, key: str, window_start: datetime) -> int:
        """Count one request of `key` in the window; the window's count so far."""
        stmt = insert(RateCounter).values(key=key, window_start=window_start, count=1)
        stmt = stmt.on_conflict_do_update(
            index_elements=["key", "window_start"],
            set_={"count": RateCounter.count + 1}).returning(RateCounter.count)
        count = (await self.session.execute(stmt)).scalar_one()
        await self.session.execute(delete(RateCounter).where(
            RateCounter.key == key, RateCounter.window_start < window_start))
        return count

    async def prune_counters(self, before: datetime) -> None:
        await self.session.execute(delete(RateCounter).where(RateCounter.window_start < before))

    # ------------------------------------------------------------ audit
    def add_audit(self, event: AuditEvent) -> None:
        self.session.add(event)

    async def audit(self, *, type_: str | None, user: str | None, since: datetime | None,
                    until: datetime | None, target_id: uuid.UUID | None, limit: int,
                    offset: int) -> tuple[list[AuditEvent], int]:
        stmt = select(AuditEvent)
        if type_:
            stmt = stmt.where(AuditEvent.type == type_)
        if user:
            stmt = stmt.where(or_(AuditEvent.actor_username == user,
                                  AuditEvent.target_name == user))
        if since is not None:
            stmt = stmt.where(AuditEvent.occurred_at >= since)
        if until is not None:
            stmt = stmt.where(AuditEvent.occurred_at < until)
        if target_id is not None:
            stmt = stmt.where(AuditEvent.target_id == target_id)
        total = (await self.session.execute(
            select(func.count()).select_from(stmt.subquery()))).scalar_one()
        rows = (await self.session.scalars(
            stmt.order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
            .limit(limit).offset(offset))).all()
        return list(rows), total
