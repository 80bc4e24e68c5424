"""The event envelope every Dinghuo integration event travels in.

`id` doubles as the AMQP message_id and as the inbox key of every consumer; `type` is the
routing key on the `dinghuo.events` topic exchange. A breaking change to an event's data
is a new `version`, never an edit of the old one.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field


class EventEnvelope(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    type: str
    version: int = 1
    occurred_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    source: str
    data: dict[str, Any]


class Event(BaseModel):
    """Base of every event payload; subclasses set `type` and `version`."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    type: ClassVar[str]
    version: ClassVar[int] = 1

    def envelope(self, source: str, *, event_id: uuid.UUID | None = None) -> EventEnvelope:
        return EventEnvelope(
            id=event_id or uuid.uuid4(),
            type=self.type,
            version=self.version,
            source=source,
            data=self.model_dump(mode="json"),
        )
