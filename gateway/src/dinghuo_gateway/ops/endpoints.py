"""/api/console/ops: dead letters and unsent events for operators (B-7)."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from servicekit.db import Session
from servicekit.pagination import set_total

from ..errors import responses
from ..models import DeadLetter
from ..security.clients import client_address
from . import domain
from .auth import OpsEntry, OpsModify, OpsQuery
from .schemas import (
    DeadLetterDetail,
    DeadLetterOut,
    DeadLetterQueueOut,
    DiscardIn,
    OutboxFailureOut,
    ReplayIn,
    Status,
)
from .service import DeadLetterService, OutboxFailureService

router = APIRouter(prefix="/api/console/ops", tags=["console: operations"])
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]
UNAVAILABLE_HEADER = "X-Unavailable-Services"


def dead_letter_out(row: DeadLetter) -> DeadLetterOut:
    return DeadLetterOut(
        id=row.id, service=row.service, queue=row.queue, event_type=row.event_type,
        event_id=row.event_id, message_key=row.message_key, reason=row.reason,
        error=row.error, death_count=row.death_count, first_death_at=row.first_death_at,
        last_death_at=row.last_death_at, received_at=row.received_at,
        preview=domain.body_preview(row.body), status=row.status,  # type: ignore[arg-type]
        resolved_at=row.resolved_at, resolved_by=row.resolved_by,
        resolution_reason=row.resolution_reason)


def dead_letter_detail(row: DeadLetter) -> DeadLetterDetail:
    payload, data = domain.decode(row.body)
    return DeadLetterDetail(
        **dead_letter_out(row).model_dump(), payload=payload, payload_json=data,
        headers=row.headers or {}, routing_key=row.routing_key, exchange=row.exchange,
        message_id=row.message_id, content_type=row.content_type)


def _service(request: Request, session) -> DeadLetterService:
    return DeadLetterService(session, request.app.state.settings,
                             getattr(request.app.state, "republisher", None))


def _address(request: Request) -> str:
    return client_address(request, request.app.state.settings)


@router.get("/dead-letters", response_model=list[DeadLetterOut],
            responses=responses(401, 403, 422))
async def list_dead_letters(
    _staff: OpsQuery, session: Session, request: Request, response: Response,
    service: Annotated[str | None, Query(max_length=60, description=(
        "A consumer: customer, order, invoice, points, servicedesk, notify, or an "
        "external subscriber (finance, notifier)"))] = None,
    status: Annotated[Status | None, Query(description="Default: open")] = "open",
    event_type: Annotated[str | None, Query(max_length=120)] = None,
    limit: Limit = 50, offset: Offset = 0,
) -> list[DeadLetterOut]:
    """Messages that could not be processed and were dead-lettered, newest first: where
    (queue, consumer), which event, the first reason and the consumer's error, how often,
    when, and the beginning of the data (`ops:query`, staff without an area limit)."""
    rows, total = await _service(request, session).list(
        service=service, status=status, event_type=event_type, limit=limit, offset=offset)
    set_total(response, total)
    return [dead_letter_out(r) for r in rows]


@router.get("/dead-letters/queues", response_model=list[DeadLetterQueueOut],
            responses=responses(401, 403))
async def dead_letter_queues(_staff: OpsQuery, session: Session,
                             request: Request) -> list[DeadLetterQueueOut]:
    """Every consumer's queue and how many of its dead letters wait (`ops:query`)."""
    return await _service(request, session).queues()


@router.get("/dead-letters/{dead_letter_id}", response_model=DeadLetterDetail,
            responses=responses(401, 403, 404))
async def get_dead_letter(dead_letter_id: uuid.UUID, _staff: OpsQuery, session: Session,
                          request: Request) -> DeadLetterDetail:
    """One dead letter with its whole payload and headers (`ops:query`)."""
    return dead_letter_detail(await _service(request, session).get(dead_letter_id))


@router.post("/dead-letters/{dead_letter_id}/replay", response_model=DeadLetterOut,
             responses=responses(401, 403, 404, 409, 422, 503))
async def replay_dead_letter(dead_letter_id: uuid.UUID, actor: OpsEntry, session: Session,
                             request: Request, body: ReplayIn | None = None) -> DeadLetterOut:
    """Put the message back onto the queue it died in (only that consumer gets it again;
    its inbox applies it once) and mark it replayed (`ops:entry`). 409 when someone
    replayed or discarded it already. Audited."""
    row = await _service(request, session).replay(
        actor, dead_letter_id, body.reason if body else None, _address(request))
    return dead_letter_out(row)


@router.post("/dead-letters/{dead_letter_id}/discard", response_model=DeadLetterOut,
             responses=responses(401, 403, 404, 409, 422))
async def discard_dead_letter(dead_letter_id: uuid.UUID, body: DiscardIn, actor: OpsModify,
                              session: Session, request: Request) -> DeadLetterOut:
    """Give the message up, saying why (`ops:modify`); it is kept as a record. 409 when
    someone replayed or discarded it already. Audited."""
    row = await _service(request, session).discard(actor, dead_letter_id, body.reason,
                                                   _address(request))
    return dead_letter_out(row)


@router.get("/outbox-failures", response_model=list[OutboxFailureOut],
            responses=responses(401, 403, 404, 422))
async def list_outbox_failures(
    actor: OpsQuery, session: Session, request: Request, response: Response,
    service: Annotated[str | None, Query(max_length=60, description=(
        "gateway, customer, order, invoice, points, servicedesk or notify"))] = None,
    limit: Limit = 50, offset: Offset = 0,
) -> list[OutboxFailureOut]:
    """Events a service wrote but its relay gave up publishing (the broker refused them
    every time: no queue bound, or a queue over its limit), newest first, with the
    attempts and the last error (`ops:query`). A service that does not answer is named
    in the X-Unavailable-Services header."""
    items, unavailable = await OutboxFailureService(
        session, request.app.state.settings, request.app.state.forwarder).list(actor, service)
    set_total(response, len(items))
    if unavailable:
        response.headers[UNAVAILABLE_HEADER] = ",".join(unavailable)
    return items[offset:offset + limit]


@router.post("/outbox-failures/{service}/{event_id}/replay", response_model=OutboxFailureOut,
             responses=responses(401, 403, 404, 409, 422, 503))
async def replay_outbox_failure(service: Annotated[str, Path(max_length=60)],
                                event_id: uuid.UUID, actor: OpsEntry, session: Session,
                                request: Request, body: ReplayIn | None = None
                                ) -> OutboxFailureOut:
    """Hand the event back to its service's relay, which tries it again from attempt zero
    (`ops:entry`). 404 when it is not waiting any more. Audited."""
    return await OutboxFailureService(
        session, request.app.state.settings, request.app.state.forwarder).replay(
        actor, service, event_id, body.reason if body else None, _address(request))
