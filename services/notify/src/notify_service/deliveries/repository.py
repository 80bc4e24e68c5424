"""All SQL of deliveries."""

from __future__ import annotations

import uuid

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import Delivery


class DeliveryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_once(self, *, source_event_id: uuid.UUID, template: str, channel: str,
                       recipient: str | None, customer_id: uuid.UUID | None,
                       user_id: uuid.UUID | None, status: str) -> uuid.UUID | None:
        """Record the delivery of an event; None when that event has one already."""
        stmt = (
            insert(Delivery).values(
                id=uuid.uuid4(), source_event_id=source_event_id, template=template,
                channel=channel, recipient=recipient, customer_id=customer_id,
                user_id=user_id, status=status)
            .on_conflict_do_nothing(index_elements=["source_event_id"])
            .returning(Delivery.id)
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()
