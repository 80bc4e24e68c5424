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


REGISTRY: dict[tuple[str, int], type[Event]] = {}


class UnknownEvent(LookupError):
    pass


class Event(BaseModel):
    """Base of every event payload; subclasses set `type` and `version` and are registered
    by defining them (any module of this package)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    type: ClassVar[str]
    version: ClassVar[int] = 1

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        event_type = cls.__dict__.get("type")
        if isinstance(event_type, str):
            key = (event_type, cls.version)
            if key in REGISTRY and REGISTRY[key].__qualname__ != cls.__qualname__:
                raise TypeError(f"two contracts for {event_type} v{cls.version}")
            REGISTRY[key] = cls

    def envelope(self, source: str, *, event_id: uuid.UUID | None = None) -> EventEnvelope:
        return EventEnvelope(
            id=event_id or uuid.uuid4(),
            type=self.type,
            version=self.version,
            source=source,
            data=self.model_dump(mode="json"),
        )


def parse_event(envelope: EventEnvelope) -> Event:
    """The typed payload of an envelope; raises UnknownEvent for a (type, version) we lack."""
    cls = REGISTRY.get((envelope.type, envelope.version))
    if cls is None:
        raise UnknownEvent(f"no contract for {envelope.type} v{envelope.version}")
    return cls.model_validate(envelope.data)
