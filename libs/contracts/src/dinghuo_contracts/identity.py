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
    """The notify service asks the external SMS/e-mail notifier to deliver a message built
    from `template` and `params` (C-8, N-2). `params` may hold a secret (a reset token):
    never log this event's data."""

    type = "notify.delivery_requested"
    channel: Literal["sms", "email"]
    recipient: str
    template: str
    params: dict[str, str] = {}
    customer_id: uuid.UUID | None = None
