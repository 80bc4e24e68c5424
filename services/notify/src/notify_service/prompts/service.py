"""Staff prompt use cases. The request's session (or the consumer's) commits; nothing
here commits."""

from __future__ import annotations

import uuid

from dinghuo_contracts import Event, EventEnvelope
from servicekit.auth import Principal
from servicekit.errors import NotFound
from servicekit.timeutil import utcnow
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import StaffPrompt
from . import domain
from .repository import PromptRepository


class PromptService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.prompts = PromptRepository(session)

    async def record(self, event: Event, envelope: EventEnvelope, *,
                     customer_name: str | None = None) -> uuid.UUID | None:
        """Turn an event into a prompt, at most once per event id (N-3)."""
        notice = domain.staff_prompt(event, customer_name=customer_name)
        if notice is None:
            return None
        return await self.prompts.add_once(envelope.id, notice, utcnow())

    async def list(self, principal: Principal, *, unread: bool | None, kind: str | None,
                   limit: int, offset: int) -> tuple[list[StaffPrompt], int, int]:
        """The prompts the staff member sees: staff bound to areas those of their areas
        (C-7, `repository.visible_to`), with the count of those unread."""
        items, total = await self.prompts.list(unread=unread, kind=kind, limit=limit,
                                               offset=offset, areas=principal.areas)
        return items, total, await self.prompts.unread_count(principal.areas)

    async def mark_read(self, principal: Principal, prompt_id: uuid.UUID) -> StaffPrompt:
        """Mark one prompt read; reading it again keeps the first reading. Outside the
        staff member's areas it is not there (404, C-7)."""
        prompt = await self.prompts.get(prompt_id, areas=principal.areas, for_update=True)
        if prompt is None:
            raise NotFound("Prompt not found")
        if prompt.read_at is None:
            prompt.read_at, prompt.read_by = utcnow(), principal.display
            await self.session.flush()
        return prompt

    async def mark_all_read(self, principal: Principal) -> int:
        """Mark read every unread prompt the staff member sees (their areas', C-7)."""
        return await self.prompts.mark_all_read(utcnow(), principal.display,
                                                areas=principal.areas)
