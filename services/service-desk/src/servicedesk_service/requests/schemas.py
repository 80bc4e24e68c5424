from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

MAX_MACHINE = 100
MAX_TEXT = 2000


def _text(value: str) -> str:
    if "\x00" in value:  # PostgreSQL text cannot hold it
        raise ValueError("must not contain NUL characters")
    return value.strip()


def _required(value: Any) -> Any:
    if isinstance(value, str):
        value = _text(value)
        if not value:
            raise ValueError("must not be blank")
    return value


def _optional(value: Any) -> Any:
    if isinstance(value, str):
        return _text(value) or None
    return value


class ServiceRequestIn(BaseModel):
    """A fault report on one of the customer's machines (S-1): either `machine_id`, one of
    the customer's installed machines (S-2), whose name, model and number fill the report,
    or the machine's name typed in."""

    model_config = ConfigDict(extra="forbid")

    machine_id: uuid.UUID | None = Field(default=None,
                                         description="One of your machines (GET /machines)")
    machine: str | None = Field(default=None, max_length=MAX_MACHINE,
                                description="Machine name, e.g. UV 喷码机")
    description: str = Field(max_length=MAX_TEXT, description="What is wrong")
    model: str | None = Field(default=None, max_length=MAX_MACHINE)
    machine_number: str | None = Field(default=None, max_length=MAX_MACHINE)

    check_required = field_validator("description", mode="before")(_required)
    check_optional = field_validator("machine", "model", "machine_number",
                                     mode="before")(_optional)


class ReplyIn(BaseModel):
    """The customer's reply on its own open request."""

    model_config = ConfigDict(extra="forbid")

    message: str = Field(max_length=MAX_TEXT)

    check_message = field_validator("message", mode="before")(_required)


class StaffReplyIn(ReplyIn):
    """A staff reply; `status` moves the request on (an open request goes to in_progress
    on the first staff reply unless `resolved` is asked for)."""

    status: Literal["in_progress", "resolved"] | None = None


class ReplyOut(BaseModel):
    id: uuid.UUID
    author_kind: Literal["customer", "staff"]
    author: str
    message: str
    status_change: str | None = Field(description="The status this reply moved the request to")
    created_at: datetime


class ServiceRequestSummary(BaseModel):
    id: uuid.UUID
    customer_id: uuid.UUID
    customer_name: str
    customer_number: str | None
    status: Literal["open", "in_progress", "resolved"]
    machine_id: uuid.UUID | None
    machine: str
    model: str | None
    machine_number: str | None
    description: str
    created_at: datetime
    updated_at: datetime
    resolved_at: datetime | None


class ServiceRequestOut(ServiceRequestSummary):
    replies: list[ReplyOut]
