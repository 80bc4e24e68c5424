"""Operators' view of a service's outbox rows the relay gave up on (B-7), for the
gateway's `/api/console/ops/outbox-failures`, which asks every service and merges.

Internal routes (`/internal/ops/...`, not in the public OpenAPI document, reached only
with the gateway's signed token): the gateway checks `ops:query` / `ops:entry` and the
area rule and audits; the service checks them again on the token it gets."""

import json
import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from .auth import Principal, require_permission
from .db import Session
from .errors import Forbidden, NotFound
from .messaging.outbox import failed_rows, replay_failed

PREVIEW_CHARS = 200
AREA_BOUND = ("Dead letters and unsent events carry data of customers in every area: only "
              "staff without an area limit may see or handle them")


class OutboxFailureOut(BaseModel):
    service: str
    event_id: uuid.UUID
    event_type: str
    attempts: int
    last_error: str | None
    created_at: datetime
    given_up_at: datetime
    preview: str
    envelope: dict[str, Any] | None = None


def preview(value: Any, limit: int = PREVIEW_CHARS) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False,
                                                           default=str)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def outbox_failure_out(service: str, row: Any, *, full: bool = False) -> OutboxFailureOut:
    data = (row.envelope or {}).get("data", row.envelope)
    return OutboxFailureOut(
        service=service, event_id=row.event_id, event_type=row.event_type,
        attempts=row.attempts, last_error=row.last_error, created_at=row.created_at,
        given_up_at=row.given_up_at, preview=preview(data),
        envelope=row.envelope if full else None)


def require_ops(permission: str):
    """`permission` and no area limit (C-7): dead letters are not one area's data."""
    holder = require_permission(permission)

    # No `from __future__ import annotations` in this module: FastAPI reads this
    # annotation at runtime, and it is a local name.
    async def _check(principal: holder) -> Principal:  # type: ignore[valid-type]
        if principal.areas:
            raise Forbidden(AREA_BOUND)
        return principal

    return Annotated[Principal, Depends(_check)]


OpsQuery = require_ops("ops:query")
OpsEntry = require_ops("ops:entry")


def outbox_ops_router() -> APIRouter:
    router = APIRouter(prefix="/internal/ops/outbox-failures", include_in_schema=False)

    @router.get("", response_model=list[OutboxFailureOut])
    async def list_failures(_staff: OpsQuery, session: Session, request: Request,
                            limit: Annotated[int, Query(ge=1, le=200)] = 200
                            ) -> list[OutboxFailureOut]:
        settings = request.app.state.settings
        rows = await failed_rows(session, settings.outbox_max_attempts, limit=limit)
        return [outbox_failure_out(settings.service_name, r, full=True) for r in rows]

    @router.post("/{event_id}/replay", response_model=OutboxFailureOut)
    async def replay(event_id: uuid.UUID, _staff: OpsEntry, session: Session,
                     request: Request) -> OutboxFailureOut:
        settings = request.app.state.settings
        row = await replay_failed(session, event_id, settings.outbox_max_attempts)
        if row is None:
            raise NotFound("This unsent event is no longer waiting for an operator: it was "
                           "handed back to the relay or sent meanwhile; reload the list")
        return outbox_failure_out(settings.service_name, row, full=True)

    return router
