"""Staff messages to customers over HTTP (N-1): preview the recipients, send a batch,
follow each batch's delivery."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response
from servicekit.auth import require_permission
from servicekit.db import Session
from servicekit.errors import error_responses
from servicekit.pagination import set_total

from ..deliveries import views as delivery_views
from ..models import MessageBatch
from . import domain
from .schemas import (
    BatchAccepted,
    BatchDetailOut,
    BatchIn,
    BatchOut,
    BatchRecipientOut,
    PreviewOut,
    RecipientOut,
    Recipients,
)
from .service import BatchService

router = APIRouter(prefix="/api/console/messages", tags=["console: messages"])

MessagesEntry = require_permission("messages:entry")
MessagesQuery = require_permission("messages:query")

Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


def _batch(b: MessageBatch, stats: tuple[int, int], counts: dict[str, int]) -> dict:
    f = b.selection.get("filter")
    if f is not None:
        zh, en = domain.describe(domain.Filter(**f))
    else:
        n = len(b.selection.get("customer_ids", []))
        zh, en = f"指定客户 {n} 家", f"{n} chosen customer{'s' if n != 1 else ''}"
    return dict(id=b.id, title=b.title, body=b.body, channels=b.channels,
                selection=b.selection, selection_text=zh, selection_text_en=en,
                recipients=stats[0], read=stats[1], created_by=b.created_by,
                created_at=b.created_at, deliveries=counts)


@router.post("/preview", response_model=PreviewOut,
             responses=error_responses(401, 403, 422))
async def preview(body: Recipients, session: Session, staff: MessagesEntry) -> PreviewOut:
    """Who a batch with these recipients would reach (the first 200 and the count),
    with whether each can get SMS and WeChat. Needs `messages:entry`."""
    service = BatchService(session)
    customers = await service.recipients(staff, body)
    shown = customers[:domain.PREVIEW_MAX]
    overdue = await service.batches.overdue_counts([c.customer_id for c in shown])
    return PreviewOut(count=len(customers), recipients=[RecipientOut(
        customer_id=c.customer_id, customer_number=c.customer_number, name=c.name,
        area=c.area, grade=c.grade, has_mobile=bool(c.mobile and c.sms_enabled),
        has_wechat=bool(c.wechat_openid and c.wechat_enabled),
        overdue_orders=overdue.get(c.customer_id, 0), cycle_due_on=c.cycle_due_on)
        for c in shown])


@router.post("", status_code=202, response_model=BatchAccepted,
             responses=error_responses(401, 403, 422))
async def send(body: BatchIn, session: Session, staff: MessagesEntry) -> BatchAccepted:
    """Send a message to customers (N-1): `customer_ids`, or a `filter` of approved
    customers by grade, area, overdue payment and ordering cycle due. Every recipient gets
    an inbox message at once and, per channel in `channels` (`sms`, `wechat`), a delivery
    by the external notifier (follow it in `GET /api/console/messages/{batch_id}`).
    Staff bound to areas reach only their areas' customers (C-7). 422 when no customer
    matches, an id is unknown, or the title or body is blank or too long. Needs
    `messages:entry`."""
    batch_id, recipients = await BatchService(session).send(staff, body)
    return BatchAccepted(batch_id=batch_id, recipients=recipients)


@router.get("", response_model=list[BatchOut], responses=error_responses(401, 403, 422))
async def list_batches(session: Session, staff: MessagesQuery, response: Response,
                       limit: Limit = 20, offset: Offset = 0) -> list[BatchOut]:
    """Batches sent, newest first (X-Total-Count), with recipients, how many read it and
    deliveries by status (within your areas, C-7). Needs `messages:query`."""
    rows, total = await BatchService(session).list(staff, limit, offset)
    set_total(response, total)
    return [BatchOut(**_batch(b, stats, counts)) for b, stats, counts in rows]


@router.get("/{batch_id}", response_model=BatchDetailOut,
            responses=error_responses(401, 403, 404, 422))
async def get_batch(batch_id: uuid.UUID, session: Session,
                    staff: MessagesQuery) -> BatchDetailOut:
    """One batch with each recipient: read or not, and each channel's delivery."""
    batch, stats, counts, recipients, deliveries = await BatchService(session).get(
        staff, batch_id)
    by_customer: dict[uuid.UUID, list] = {}
    for d in deliveries:
        by_customer.setdefault(d.customer_id, []).append(d)
    return BatchDetailOut(**_batch(batch, stats, counts), recipient_list=[
        BatchRecipientOut(
            customer_id=m.customer_id, customer_number=c.customer_number if c else None,
            name=c.name if c else "", area=c.area if c else None, message_id=m.id,
            read_at=m.read_at,
            deliveries=[delivery_views.delivery(d, c).model_dump(mode="json")
                        for d in by_customer.get(m.customer_id, [])])
        for m, c in recipients])

