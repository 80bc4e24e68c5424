"""All SQL of deliveries."""

from __future__ import annotations

import uuid
from datetime import datetime

from servicekit.upsert import insert
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import CustomerView, Delivery


class DeliveryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_once(self, *, source_event_id: uuid.UUID, template: str, channel: str,
                       recipient: str | None, customer_id: uuid.UUID | None,
                       user_id: uuid.UUID | None = None, status: str,
                       message_id: uuid.UUID | None = None,
                       batch_id: uuid.UUID | None = None,
                       params: dict[str, str] | None = None, text: str = "",
                       text_en: str = "", last_error: str | None = None,
                       now: datetime | None = None) -> uuid.UUID | None:
        """Record the delivery of an event on a channel; None when it has one already."""
        values = dict(
            id=uuid.uuid4(), source_event_id=source_event_id, template=template,
            channel=channel, recipient=recipient, customer_id=customer_id, user_id=user_id,
            status=status, message_id=message_id, batch_id=batch_id, params=params,
            text=text, text_en=text_en, last_error=last_error, attempts=1)
        if now is not None:
            values.update(created_at=now, updated_at=now)
        stmt = (
            insert(Delivery).values(**values)
            .on_conflict_do_nothing(index_elements=["source_event_id", "channel"])
            .returning(Delivery.id)
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def get(self, delivery_id: uuid.UUID, *, for_update: bool = False,
                  areas: frozenset[str] = frozenset()) -> Delivery | None:
        stmt = select(Delivery).where(Delivery.id == delivery_id)
        if areas:
            stmt = stmt.where(_in_areas(areas))
        if for_update:
            stmt = stmt.with_for_update(of=Delivery)
        return (await self.session.scalars(stmt)).first()

    async def due_for_retry(self, now: datetime, limit: int) -> list[Delivery]:
        """Deliveries whose next attempt is due, locked; another worker skips them."""
        stmt = (select(Delivery)
                .where(Delivery.status == "retrying", Delivery.next_attempt_at <= now)
                .order_by(Delivery.next_attempt_at).limit(limit)
                .with_for_update(skip_locked=True))
        return list((await self.session.scalars(stmt)).all())

    async def list(self, *, customer_id: uuid.UUID | None, status: str | None,
                   channel: str | None, batch_id: uuid.UUID | None, template: str | None,
                   areas: frozenset[str], limit: int,
                   offset: int) -> tuple[list[tuple[Delivery, CustomerView | None]], int]:
        stmt = (select(Delivery, CustomerView)
                .outerjoin(CustomerView, CustomerView.customer_id == Delivery.customer_id))
        if customer_id is not None:
            stmt = stmt.where(Delivery.customer_id == customer_id)
        if status is not None:
            stmt = stmt.where(Delivery.status == status)
        if channel is not None:
            stmt = stmt.where(Delivery.channel == channel)
        if batch_id is not None:
            stmt = stmt.where(Delivery.batch_id == batch_id)
        if template is not None:
            stmt = stmt.where(Delivery.template == template)
        if areas:
            stmt = stmt.where(_in_areas(areas))
        total = (await self.session.execute(
            select(func.count()).select_from(stmt.subquery()))).scalar_one()
        rows = (await self.session.execute(
            stmt.order_by(Delivery.created_at.desc(), Delivery.id.desc())
            .limit(limit).offset(offset))).all()
        return [(d, c) for d, c in rows], total

    async def counts_by_batch(self, batch_ids: list[uuid.UUID],
                              areas: frozenset[str]) -> dict[uuid.UUID, dict[str, int]]:
        if not batch_ids:
            return {}
        stmt = (select(Delivery.batch_id, Delivery.status, func.count())
                .where(Delivery.batch_id.in_(batch_ids))
                .group_by(Delivery.batch_id, Delivery.status))
        if areas:
            stmt = stmt.where(_in_areas(areas))
        out: dict[uuid.UUID, dict[str, int]] = {}
        for batch_id, status, n in (await self.session.execute(stmt)).all():
            out.setdefault(batch_id, {})[status] = n
        return out


def _in_areas(areas: frozenset[str]):
    """Deliveries to customers in the staff member's areas (C-7); a delivery to no
    customer (a staff user's reset code) is outside every area."""
    return Delivery.customer_id.in_(
        select(CustomerView.customer_id).where(CustomerView.area.in_(sorted(areas))))
