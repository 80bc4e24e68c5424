from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from servicekit.ops import OutboxFailureOut

__all__ = ["DeadLetterDetail", "DeadLetterOut", "DeadLetterQueueOut", "DiscardIn",
           "OutboxFailureOut", "ReplayIn"]

Status = Literal["open", "replayed", "discarded"]


class DeadLetterOut(BaseModel):
    id: uuid.UUID
    service: str = Field(description="The consumer: a service or an external subscriber")
    queue: str = Field(description="The queue it died in; a replay puts it back there")
    event_type: str | None
    event_id: uuid.UUID | None
    message_key: str = Field(description="The event id, else the message id, else a hash "
                                         "of the body")
    reason: str = Field(description=(
        "Why it was dead-lettered first: handler_failed (the handler kept failing until "
        "the delivery limit; `error` says how), unreadable (not an event envelope), "
        "unreadable_event (an unknown type or data not matching the contract), or the "
        "broker's delivery_limit, rejected, expired, maxlen"))
    error: str | None = Field(description="The consumer's error, when it said")
    death_count: int = Field(description="How often it was dead-lettered while open")
    first_death_at: datetime
    last_death_at: datetime
    received_at: datetime
    preview: str = Field(description="The beginning of the event's data")
    status: Status
    resolved_at: datetime | None
    resolved_by: str | None
    resolution_reason: str | None


class DeadLetterDetail(DeadLetterOut):
    payload: str = Field(description="The body: pretty JSON, or the text as received")
    payload_json: Any | None = Field(description="The body parsed, when it is JSON")
    headers: dict[str, Any]
    routing_key: str | None
    exchange: str | None
    message_id: str | None
    content_type: str | None


class DeadLetterQueueOut(BaseModel):
    service: str
    queue: str
    open: int = Field(description="Dead letters waiting for an operator")


class ReplayIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str | None = Field(None, max_length=500,
                               description="Why it is replayed (kept in the audit log)")


class DiscardIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=500,
                        description="Why it is discarded (required; kept in the audit log)")
