"""Customer message use cases; a customer only ever reaches its own messages. Nothing
here commits."""

from __future__ import annotations

import uuid

from dinghuo_contracts import Event, EventEnvelope
from servicekit.auth import Principal
from servicekit.errors import NotFound
from servicekit.timeutil import utcnow
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import CustomerMessage
from . import domain
from .repository import MessageRepository


class MessageService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.messages = MessageRepository(session)

    async def record(self, event: Event, envelope: EventEnvelope,
                     customer_id: uuid.UUID) -> uuid.UUID | None:
        """Turn an event into a message to its customer, at most once per event id (N-5)."""
        notice = domain.customer_message(event)
        if notice is None:
            return None
        return await self.messages.add_once(envelope.id, customer_id, notice, utcnow())

    async def list(self, principal: Principal, *, unread: bool | None, limit: int,
                   offset: int) -> tuple[list[CustomerMessage], int, int]:
        assert principal.customer_id is not None
        items, total = await self.messages.list(principal.customer_id, unread=unread,
                                                limit=limit, offset=offset)
        return items, total, await self.messages.unread_count(principal.customer_id)

    async def mark_read(self, principal: Principal, message_id: uuid.UUID) -> CustomerMessage:
        assert principal.customer_id is not None
        message = await self.messages.get(message_id, principal.customer_id, for_update=True)
        if message is None:  # another customer's message is simply not there (404)
            raise NotFound("Message not found")
        if message.read_at is None:
            message.read_at = utcnow()
            await self.session.flush()
        return message

    async def mark_all_read(self, principal: Principal) -> int:
        assert principal.customer_id is not None
        return await self.messages.mark_all_read(principal.customer_id, utcnow())
