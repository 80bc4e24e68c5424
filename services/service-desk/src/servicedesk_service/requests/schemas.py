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
    """A staff reply; `status` moves the report on (an open report goes to in_progress on
    the first staff reply unless another status is asked for)."""

    status: Literal["in_progress", "waiting_for_customer", "resolved"] | None = None


Status = Literal["open", "in_progress", "waiting_for_customer", "resolved", "closed"]


class PhotoOut(BaseModel):
    id: uuid.UUID
    url: str = Field(description="Where the image is served, for the side that asked")
    filename: str
    content_type: Literal["image/jpeg", "image/png", "image/webp"]
    size: int = Field(description="Bytes of the stored (re-encoded) image")
    width: int
    height: int
    uploaded_by_kind: Literal["customer", "staff"]
    created_at: datetime


class ReplyOut(BaseModel):
    id: uuid.UUID
    author_kind: Literal["customer", "staff"]
    author: str
    message: str
    status_change: Status | None = Field(description="The status this reply moved the request to")
    created_at: datetime


class ServiceRequestSummary(BaseModel):
    id: uuid.UUID
    customer_id: uuid.UUID
    customer_name: str
    customer_number: str | None
    status: Status
    machine_id: uuid.UUID | None
    machine: str
    model: str | None
    machine_number: str | None
    description: str
    created_at: datetime
    updated_at: datetime
    resolved_at: datetime | None
    closed_at: datetime | None
    photo_count: int


class ServiceRequestOut(ServiceRequestSummary):
    replies: list[ReplyOut]
    photos: list[PhotoOut]
    actions: list[Literal["reply", "photos", "close"]] = Field(
        description="What the caller may do now (the status rules decide)")
