from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

from . import domain

Grade = Literal["normal", "small", "large"]
Channel = Literal["inbox", "sms", "wechat"]
Title = Annotated[str, AfterValidator(lambda v: domain.clean(v, "title", domain.TITLE_MAX)),
                  WithJsonSchema({"type": "string", "minLength": 1,
                                  "maxLength": domain.TITLE_MAX})]
Body = Annotated[str, AfterValidator(lambda v: domain.clean(v, "message body",
                                                            domain.BODY_MAX)),
                 WithJsonSchema({"type": "string", "minLength": 1,
                                 "maxLength": domain.BODY_MAX})]


class RecipientFilter(BaseModel):
    """Every approved customer matching all the given conditions (none: all customers)."""

    model_config = ConfigDict(extra="forbid")

    grade: Grade | None = None
    area: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                           max_length=100)] | None = None
    overdue: bool | None = Field(None, description="true: customers with an overdue "
                                 "payment; false: customers without one")
    cycle_due: bool | None = Field(None, description="true: customers whose ordering cycle "
                                   "(C-6) is due and who have not ordered since")


class Recipients(BaseModel):
    """Exactly one of `customer_ids` and `filter`."""

    model_config = ConfigDict(extra="forbid")

    customer_ids: list[uuid.UUID] | None = Field(None, max_length=5000)
    filter: RecipientFilter | None = None

    @model_validator(mode="after")
    def _one_way(self) -> Recipients:
        if (self.customer_ids is None) == (self.filter is None):
            raise ValueError("give either customer_ids or filter (exactly one of them)")
        if self.customer_ids is not None and not self.customer_ids:
            raise ValueError("customer_ids is empty: choose at least one customer")
        return self


class BatchIn(Recipients):
    title: Title
    body: Body
    channels: list[Channel] = Field(min_length=1, max_length=3, description="`inbox` "
                                    "is implied: every recipient gets an inbox message; "
                                    "`sms` and `wechat` add a delivery each")


class BatchAccepted(BaseModel):
    batch_id: uuid.UUID
    recipients: int


class RecipientOut(BaseModel):
    customer_id: uuid.UUID
    customer_number: str | None
    name: str
    area: str | None
    grade: str | None
    has_mobile: bool
    has_wechat: bool
    overdue_orders: int
    cycle_due_on: date | None


class PreviewOut(BaseModel):
    count: int
    recipients: list[RecipientOut] = Field(description=f"the first {domain.PREVIEW_MAX}")


class BatchOut(BaseModel):
    id: uuid.UUID
    title: str
    body: str
    channels: list[str]
    selection: dict
    selection_text: str
    selection_text_en: str
    recipients: int
    created_by: str
    created_at: datetime
    deliveries: dict[str, int] = Field(description="deliveries by status")
    read: int = Field(description="recipients who have read the inbox message")


class BatchRecipientOut(BaseModel):
    customer_id: uuid.UUID
    customer_number: str | None
    name: str
    area: str | None
    message_id: uuid.UUID
    read_at: datetime | None
    deliveries: list[dict]


class BatchDetailOut(BatchOut):
    recipient_list: list[BatchRecipientOut]
