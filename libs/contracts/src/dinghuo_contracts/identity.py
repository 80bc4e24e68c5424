"""Events of the identity (see events.py for the conventions: money as Money, additive
changes only, a breaking change is a new class with version = 2). Defining a class
registers it."""

from __future__ import annotations

import uuid  # noqa: F401
from datetime import date, datetime  # noqa: F401
from typing import Literal  # noqa: F401

from .envelope import Event  # noqa: F401
from .events import Money, Part  # noqa: F401


class PasswordResetRequested(Event):
    """A user asked to reset a forgotten password (C-8). `token` is the one-time secret the
    notify service delivers by SMS or e-mail; the gateway keeps only its SHA-256. Never log
    this event's data."""

    type = "identity.password_reset_requested"
    user_id: uuid.UUID
    username: str
    kind: Literal["customer", "staff"]
    customer_id: uuid.UUID | None = None
    token: str
    expires_at: datetime
    mobile: str | None = None
    email: str | None = None


class DeliveryRequested(Event):
    """The notify service asks the external notifier (the SMS/WeChat notifier, B-4) to
    deliver one message on one channel (C-8, N-2). `delivery_id` names the delivery in
    notify's log; the notifier answers with `notify.delivery_reported` naming it and
    `attempt`. `template` names the provider template (payment_due, ordering_cycle_due,
    staff_message, password_reset), `params` its variables (strings) and `text` /
    `text_en` the whole message as the inbox shows it (for channels without templates).
    `params` may hold a secret (a reset token): never log this event's data.
    Additive since v1: delivery_id, attempt, text, text_en and the `wechat` channel (the
    recipient is then the customer's WeChat openid); a request without delivery_id is
    from before the delivery log and needs no report."""

    type = "notify.delivery_requested"
    channel: Literal["sms", "email", "wechat"]
    recipient: str
    template: str
    params: dict[str, str] = {}
    customer_id: uuid.UUID | None = None
    delivery_id: uuid.UUID | None = None
    attempt: int = 1
    text: str = ""
    text_en: str = ""


class DeliveryReported(Event):
    """The external notifier reports what became of one attempt of a delivery (N-2):
    `delivered` (the provider accepted it; `provider_message_id` is its receipt) or
    `failed` with a `reason` a person can read and `retryable` false when trying again
    cannot help (an invalid number, a rejected template). Published by the notifier to
    the `dinghuo.events` exchange; notify updates its delivery log and retries with
    backoff. A report for an unknown delivery or an old attempt is logged and ignored."""

    type = "notify.delivery_reported"
    delivery_id: uuid.UUID
    attempt: int = 1
    status: Literal["delivered", "failed"]
    reason: str | None = None
    retryable: bool = True
    provider: str | None = None
    provider_message_id: str | None = None
