"""Staff batch message use cases (N-1): preview the recipients, send, follow a batch.
Nothing here commits; the request's session commits the batch, every inbox message, every
delivery and its outbox event together."""

from __future__ import annotations

import uuid

from servicekit.auth import Principal
from servicekit.errors import NotFound, Unprocessable
from servicekit.timeutil import business_date, utcnow
from sqlalchemy.ext.asyncio import AsyncSession

from ..config import settings
from ..deliveries.service import DeliveryService
from ..messages.repository import MessageRepository
from ..models import CustomerView, MessageBatch
from . import domain
from .repository import BatchRepository
from .schemas import BatchIn, Recipients


class BatchService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.batches = BatchRepository(session)

    async def recipients(self, principal: Principal, body: Recipients) -> list[CustomerView]:
        """The customers a batch reaches. Named customers must all be known and, for
        staff bound to areas, in their areas (C-7): a 422 names those that are not."""
        limit = settings.batch_max_recipients
        if body.customer_ids is not None:
            ids = list(dict.fromkeys(body.customer_ids))
            found = await self.batches.customers(ids)
            unknown = [i for i in ids if i not in found
                       or (principal.areas and found[i].area not in principal.areas)]
            if unknown:
                shown = ", ".join(str(i) for i in unknown[:5])
                more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
                raise Unprocessable(f"Unknown customer id(s) (or outside your areas): "
                                    f"{shown}{more}")
            not_approved = [found[i] for i in ids if found[i].status not in ("approved", None)]
            if not_approved:
                names = "、".join(c.name for c in not_approved[:5])
                raise Unprocessable(f"Only approved customers can be messaged; not approved: "
                                    f"{names}")
            return [found[i] for i in ids]
        assert body.filter is not None
        f = domain.Filter(**body.filter.model_dump())
        found = await self.batches.matching(f, principal.areas, business_date(), limit + 1)
        if len(found) > limit:
            raise Unprocessable(f"The filter matches more than {limit} customers; narrow it")
        return found

    async def send(self, principal: Principal, body: BatchIn) -> tuple[uuid.UUID, int]:
        customers = await self.recipients(principal, body)
        if not customers:
            raise Unprocessable("No customer matches these recipients: nothing was sent")
        channels = list(dict.fromkeys(["inbox", *body.channels]))
        batch = MessageBatch(
            id=uuid.uuid4(), title=body.title, body=body.body, channels=channels,
            selection=body.model_dump(mode="json", include={"customer_ids", "filter"},
                                      exclude_none=True),
            recipients=len(customers), created_by=principal.display, created_at=utcnow())
        self.batches.add(batch)
        await self.session.flush()
        notice = domain.notice(body.title, body.body, str(batch.id))
        params = domain.params(body.title, body.body)
        messages, deliveries = MessageRepository(self.session), DeliveryService(self.session)
        for customer in customers:
            source = uuid.uuid4()  # no event: the batch's own id for each recipient
            message_id = await messages.add_once(source, customer.customer_id, notice,
                                                 batch.created_at, batch_id=batch.id)
            await deliveries.to_customer(
                source_event_id=source, customer_id=customer.customer_id,
                channels=channels, template=domain.KIND, params=params,
                text=notice.message, text_en=notice.message_en, batch_id=batch.id,
                customer=customer, message_id=message_id)
        return batch.id, len(customers)

    async def list(self, principal: Principal, limit: int, offset: int):
        batches, total = await self.batches.list(principal.areas, limit, offset)
        ids = [b.id for b in batches]
        stats = await self.batches.stats(ids, principal.areas)
        counts = await DeliveryService(self.session).deliveries.counts_by_batch(
            ids, principal.areas)
        return [(b, stats.get(b.id, (0, 0)), counts.get(b.id, {})) for b in batches], total

    async def get(self, principal: Principal, batch_id: uuid.UUID):
        batch = await self.batches.get(batch_id, principal.areas)
        if batch is None:
            raise NotFound("Batch not found")
        stats = (await self.batches.stats([batch.id], principal.areas)).get(batch.id, (0, 0))
        counts = (await DeliveryService(self.session).deliveries.counts_by_batch(
            [batch.id], principal.areas)).get(batch.id, {})
        recipients = await self.batches.recipients(batch.id, principal.areas)
        deliveries = await self.batches.deliveries(batch.id)
        return batch, stats, counts, recipients, deliveries
