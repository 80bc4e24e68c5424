"""All SQL of staff prompts."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import StaffPrompt
from .domain import Notice


class PromptRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_once(self, source_event_id: uuid.UUID, notice: Notice,
                       created_at: datetime) -> uuid.UUID | None:
        """Insert the prompt of an event; None when that event already has one."""
        stmt = (
            insert(StaffPrompt).values(
                id=uuid.uuid4(), source_event_id=source_event_id, kind=str(notice.kind),
                window=notice.window, message=notice.message, message_en=notice.message_en,
                data=notice.data, created_at=created_at)
            .on_conflict_do_nothing(index_elements=["source_event_id"])
            .returning(StaffPrompt.id)
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def get(self, prompt_id: uuid.UUID, *, for_update: bool = False) -> StaffPrompt | None:
        stmt = select(StaffPrompt).where(StaffPrompt.id == prompt_id)
        if for_update:
            stmt = stmt.with_for_update()
        return (await self.session.scalars(stmt)).first()

    async def list(self, *, unread: bool | None, kind: str | None, limit: int,
                   offset: int) -> tuple[list[StaffPrompt], int]:
        stmt = select(StaffPrompt)
        if unread is True:
            stmt = stmt.where(StaffPrompt.read_at.is_(None))
        elif unread is False:
            stmt = stmt.where(StaffPrompt.read_at.is_not(None))
        if kind is not None:
            stmt = stmt.where(StaffPrompt.kind == kind)
        total = (await self.session.execute(
            select(func.count()).select_from(stmt.subquery()))).scalar_one()
        rows = (await self.session.scalars(
            stmt.order_by(StaffPrompt.created_at.desc(), StaffPrompt.id.desc())
            .limit(limit).offset(offset))).all()
        return list(rows), total

    async def created_since(self, since: datetime, *, limit: int) -> list[StaffPrompt]:
        """Prompts created at or after `since`, oldest first (the prompt stream)."""
        rows = await self.session.scalars(
            select(StaffPrompt).where(StaffPrompt.created_at >= since)
            .order_by(StaffPrompt.created_at, StaffPrompt.id).limit(limit))
        return list(rows)

    async def unread_count(self) -> int:
        return (await self.session.execute(
            select(func.count()).where(StaffPrompt.read_at.is_(None)))).scalar_one()

    async def mark_all_read(self, at: datetime, by: str) -> int:
        result = await self.session.execute(
            update(StaffPrompt).where(StaffPrompt.read_at.is_(None))
            .values(read_at=at, read_by=by))
        return result.rowcount or 0
