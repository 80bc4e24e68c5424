"""All SQL of staff prompts.

Areas (C-7): `areas` is the staff member's areas; empty means not bound to areas (sees
every prompt), as everywhere else (`principal.areas`). Staff bound to areas see a prompt
when its area is one of theirs, or when it is about no customer and no area (e.g. a
failed delivery of a staff user's reset code). A prompt about a customer whose area is
unknown (not in the read model yet, or registered without one) is hidden from them: it
may be another area's customer, and it shows once the customer's area is known
(`move_customer`)."""

from __future__ import annotations

import uuid
from datetime import datetime

from servicekit.upsert import insert
from sqlalchemy import and_, bindparam, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import CustomerView, StaffPrompt
from .domain import Notice, about

NO_AREAS: frozenset[str] = frozenset()


def visible_to(areas: frozenset[str]):
    """The prompts staff bound to `areas` (non-empty) see (C-7)."""
    return or_(StaffPrompt.area.in_(sorted(areas)),
               and_(StaffPrompt.area.is_(None), StaffPrompt.customer_id.is_(None)))


def _add_prompt(area):
    return (insert(StaffPrompt).values(
        id=bindparam("id"), source_event_id=bindparam("source_event_id"),
        kind=bindparam("kind"), window=bindparam("window"), message=bindparam("message"),
        message_en=bindparam("message_en"), data=bindparam("data"),
        customer_id=bindparam("customer_id"), area=area,
        created_at=bindparam("created_at"))
        .on_conflict_do_nothing(index_elements=["source_event_id"])
        .returning(StaffPrompt.id))


# Built once (issue 16: most events make a prompt): with the area the event names (or
# none), or with its customer's area from the read model.
_ADD_PROMPT = _add_prompt(bindparam("area"))
_ADD_PROMPT_AREA_OF_CUSTOMER = _add_prompt(
    select(CustomerView.area)
    .where(CustomerView.customer_id
           == bindparam("customer_id", type_=CustomerView.customer_id.type))
    .scalar_subquery())


class PromptRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_once(self, source_event_id: uuid.UUID, notice: Notice,
                       created_at: datetime) -> uuid.UUID | None:
        """Insert the prompt of an event; None when that event already has one. Its area
        is the event's, else that of its customer in the read model (C-7)."""
        customer_id, area = about(notice)
        params = {"id": uuid.uuid4(), "source_event_id": source_event_id,
                  "kind": str(notice.kind), "window": notice.window,
                  "message": notice.message, "message_en": notice.message_en,
                  "data": notice.data, "customer_id": customer_id,
                  "created_at": created_at}
        if area is None and customer_id is not None:
            stmt = _ADD_PROMPT_AREA_OF_CUSTOMER
        else:
            stmt, params["area"] = _ADD_PROMPT, area
        return (await self.session.execute(stmt, params)).scalar_one_or_none()

    async def move_customer(self, customer_id: uuid.UUID, area: str) -> int:
        """A customer's area became known or changed: its prompts follow it (C-7)."""
        result = await self.session.execute(
            update(StaffPrompt).where(StaffPrompt.customer_id == customer_id,
                                      StaffPrompt.area.is_distinct_from(area))
            .values(area=area))
        return result.rowcount or 0

    async def get(self, prompt_id: uuid.UUID, *, areas: frozenset[str] = NO_AREAS,
                  for_update: bool = False) -> StaffPrompt | None:
        """A prompt; outside the staff member's areas it is not there."""
        stmt = select(StaffPrompt).where(StaffPrompt.id == prompt_id)
        if areas:
            stmt = stmt.where(visible_to(areas))
        if for_update:
            stmt = stmt.with_for_update()
        return (await self.session.scalars(stmt)).first()

    async def list(self, *, unread: bool | None, kind: str | None, limit: int,
                   offset: int, areas: frozenset[str] = NO_AREAS
                   ) -> tuple[list[StaffPrompt], int]:
        stmt = select(StaffPrompt)
        if areas:
            stmt = stmt.where(visible_to(areas))
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

    async def created_since(self, since: datetime, *, limit: int,
                            areas: frozenset[str] = NO_AREAS) -> list[StaffPrompt]:
        """Prompts created at or after `since`, oldest first (the prompt stream)."""
        stmt = select(StaffPrompt).where(StaffPrompt.created_at >= since)
        if areas:
            stmt = stmt.where(visible_to(areas))
        rows = await self.session.scalars(
            stmt.order_by(StaffPrompt.created_at, StaffPrompt.id).limit(limit))
        return list(rows)

    async def unread_count(self, areas: frozenset[str] = NO_AREAS) -> int:
        stmt = select(func.count()).where(StaffPrompt.read_at.is_(None))
        if areas:
            stmt = stmt.where(visible_to(areas))
        return (await self.session.execute(stmt)).scalar_one()

    async def mark_all_read(self, at: datetime, by: str,
                            areas: frozenset[str] = NO_AREAS) -> int:
        """Mark every unread prompt the staff member sees read."""
        stmt = update(StaffPrompt).where(StaffPrompt.read_at.is_(None))
        if areas:
            stmt = stmt.where(visible_to(areas))
        result = await self.session.execute(stmt.values(read_at=at, read_by=by))
        return result.rowcount or 0
