from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Status = Literal["requested", "delivered", "retrying", "failed", "no_recipient"]
Channel = Literal["sms", "wechat", "email", "none"]


class DeliveryOut(BaseModel):
    """One message on one channel by the external notifier (N-2)."""

    id: uuid.UUID
    customer_id: uuid.UUID | None
    customer_number: str | None
    customer_name: str | None
    template: str = Field(description="payment_due, ordering_cycle_due, staff_message, "
                                      "password_reset")
    channel: Channel
    recipient: str | None = Field(description="the mobile number, WeChat openid or "
                                              "e-mail; masked for a reset code")
    status: Status
    attempts: int
    last_error: str | None
    next_attempt_at: datetime | None
    provider: str | None
    provider_message_id: str | None
    text: str
    text_en: str
    message_id: uuid.UUID | None
    batch_id: uuid.UUID | None
    created_at: datetime
    updated_at: datetime
    delivered_at: datetime | None
    can_retry: bool


class ChannelSettings(BaseModel):
    """How the customer wants reminders and staff messages besides the portal inbox
    (N-2): by SMS to the registered mobile number, by WeChat to the bound openid."""

    model_config = ConfigDict(extra="forbid")

    sms: bool
    wechat: bool
    wechat_openid: Annotated[str, StringConstraints(
        strip_whitespace=True, min_length=1, max_length=64,
        pattern=r"^[A-Za-z0-9_-]+$")] | None = Field(
        None, description="the customer's openid of our WeChat Official Account "
                          "(letters, digits, - and _)")


class ChannelSettingsOut(ChannelSettings):
    mobile: str | None = Field(description="the registered mobile number SMS goes to")
