"""All SQL of the dead letters (B-7)."""

from __future__ import annotations

import uuid

from servicekit.messaging.deadletters import DeadLetter as Incoming
from servicekit.upsert import insert
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import DeadLetter
from . import domain


class DeadLetterRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def upsert(self, dead: Incoming, service: str) -> None:
        """One open row per (queue, message): a copy of an open one adds to its count
        (a redelivered copy after a lost ack counts once more — harmless)."""
        stmt = insert(DeadLetter).values(
            id=uuid.uuid4(), queue=dead.queue, service=service[:60],
            message_key=dead.message_key, event_id=dead.event_id,
            event_type=dead.event_type, routing_key=dead.routing_key,
            exchange=(dead.exchange or "")[:200] or None, reason=dead.reason,
            error=dead.error, death_count=dead.death_count,
            first_death_at=dead.first_death_at, last_death_at=dead.last_death_at,
            body=dead.body, content_type=(dead.content_type or "")[:120] or None,
            message_id=(dead.message_id or "")[:200] or None,
            message_type=(dead.type or "")[:120] or None, headers=dead.headers,
            status=domain.OPEN)
        table = DeadLetter.__table__
        await self.session.execute(stmt.on_conflict_do_update(
            index_elements=["queue", "message_key"], index_where=text("status = 'open'"),
            set_={
                "death_count": func.greatest(table.c.death_count + 1,
                                             stmt.excluded.death_count),
                "last_death_at": func.greatest(table.c.last_death_at,
                                               stmt.excluded.last_death_at),
                "first_death_at": func.least(table.c.first_death_at,
                                             stmt.excluded.first_death_at),
                "error": func.coalesce(table.c.error, stmt.excluded.error),
            }))

    async def list(self, *, service: str | None, status: str | None,
                   event_type: str | None, limit: int, offset: int
                   ) -> tuple[list[DeadLetter], int]:
        stmt = select(DeadLetter)
        if service:
            stmt = stmt.where(DeadLetter.service == service)
        if status:
            stmt = stmt.where(DeadLetter.status == status)
        if event_type:
            stmt = stmt.where(DeadLetter.event_type == event_type)
        total = (await self.session.execute(
            select(func.count()).select_from(stmt.subquery()))).scalar_one()
        rows = (await self.session.scalars(
            stmt.order_by(DeadLetter.last_death_at.desc(), DeadLetter.seq.desc())
            .limit(limit).offset(offset))).all()
        return list(rows), total

    async def get(self, dead_letter_id: uuid.UUID, *, for_update: bool = False
                  ) -> DeadLetter | None:
        stmt = select(DeadLetter).where(DeadLetter.id == dead_letter_id)
        if for_update:
            stmt = stmt.with_for_update()
        return (await self.session.scalars(stmt)).one_or_none()

    async def open_counts(self) -> dict[str, int]:
        """Open dead letters per queue."""
        rows = (await self.session.execute(
            select(DeadLetter.queue, func.count()).where(DeadLetter.status == domain.OPEN)
            .group_by(DeadLetter.queue))).all()
        return {q: n for q, n in rows}

    async def flush(self) -> None:
        await self.session.flush()
