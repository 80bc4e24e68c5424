"""All SQL of customer messages."""

from __future__ import annotations

import uuid
from datetime import datetime

from servicekit.upsert import insert
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import CustomerMessage
from ..prompts.domain import Notice

# Built once (issue 16: most events leave the customer a message).
_ADD_MESSAGE = (insert(CustomerMessage).values(
    {name: bindparam(name) for name in ("id", "source_event_id", "customer_id", "kind",
                                        "message", "message_en", "data", "created_at",
                                        "batch_id")})
    .on_conflict_do_nothing(index_elements=["source_event_id"])
    .returning(CustomerMessage.id))


class MessageRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_once(self, source_event_id: uuid.UUID, customer_id: uuid.UUID,
                       notice: Notice, created_at: datetime, *,
                       batch_id: uuid.UUID | None = None) -> uuid.UUID | None:
        """Insert the message of an event; None when that event already has one."""
        return (await self.session.execute(_ADD_MESSAGE, {
            "id": uuid.uuid4(), "source_event_id": source_event_id,
            "customer_id": customer_id, "kind": str(notice.kind), "message": notice.message,
            "message_en": notice.message_en, "data": notice.data, "created_at": created_at,
            "batch_id": batch_id})).scalar_one_or_none()

    async def get(self, message_id: uuid.UUID, customer_id: uuid.UUID, *,
                  for_update: bool = False) -> CustomerMessage | None:
        stmt = select(CustomerMessage).where(CustomerMessage.id == message_id,
                                             CustomerMessage.customer_id == customer_id)
        if for_update:
            stmt = stmt.with_for_update()
        return (await self.session.scalars(stmt)).first()

    async def list(self, customer_id: uuid.UUID, *, unread: bool | None, limit: int,
                   offset: int) -> tuple[list[CustomerMessage], int]:
        stmt = select(CustomerMessage).where(CustomerMessage.customer_id == customer_id)
        if unread is True:
            stmt = stmt.where(CustomerMessage.read_at.is_(None))
        elif unread is False:
            stmt = stmt.where(CustomerMessage.read_at.is_not(None))
        total = (await self.session.execute(
            select(func.count()).select_from(stmt.subquery()))).scalar_one()
        rows = (await self.session.scalars(
            stmt.order_by(CustomerMessage.created_at.desc(), CustomerMessage.id.desc())
            .limit(limit).offset(offset))).all()
        return list(rows), total

    async def unread_count(self, customer_id: uuid.UUID) -> int:
        return (await self.session.execute(
            select(func.count()).where(CustomerMessage.customer_id == customer_id,
                                       CustomerMessage.read_at.is_(None)))).scalar_one()

    async def mark_all_read(self, customer_id: uuid.UUID, at: datetime) -> int:
        result = await self.session.execute(
            update(CustomerMessage).where(CustomerMessage.customer_id == customer_id,
                                          CustomerMessage.read_at.is_(None))
            .values(read_at=at))
        return result.rowcount or 0
