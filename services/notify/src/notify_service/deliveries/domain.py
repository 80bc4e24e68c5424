"""Deliveries by the external notifier, pure (N-2, C-8): on which channels a message
reaches a customer, how a password-reset code reaches its user, what a notifier report
does to a delivery and when a failed attempt is tried again.

A delivery's life:

    requested ──delivered report──► delivered
        │
        └──failed report──► retrying ──(next_attempt_at, deliveries/tasks.py)──► requested
                 │ (not retryable, no params kept, or max attempts reached)
                 └──────────────► failed
    no_recipient: the customer has no mobile number / WeChat binding for that channel, or
    switched the channel off; nothing is sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

PASSWORD_RESET = "password_reset"
STAFF_MESSAGE = "staff_message"

# The channels an external notifier delivers; the portal inbox is not one of them.
NOTIFIER_CHANNELS = ("sms", "wechat")
STATUSES = ("requested", "delivered", "retrying", "failed", "no_recipient")


@dataclass(frozen=True)
class Route:
    channel: str  # "sms", "email" or "none"
    recipient: str | None


def route(mobile: str | None, email: str | None) -> Route:
    """A reset code goes by SMS when a mobile number is known, else e-mail, else
    nowhere."""
    if mobile:
        return Route("sms", mobile)
    if email:
        return Route("email", email)
    return Route("none", None)


@dataclass(frozen=True)
class Reach:
    """How a customer can be reached: its read model's contact details and choices."""

    mobile: str | None = None
    wechat_openid: str | None = None
    sms_enabled: bool = True
    wechat_enabled: bool = True


@dataclass(frozen=True)
class Address:
    channel: str
    recipient: str | None
    why_not: str | None = None  # why there is no recipient (shown in the delivery log)


NO_MOBILE = "客户没有手机号 / no mobile number"
NO_WECHAT = "客户未绑定微信 / not bound to WeChat"
SWITCHED_OFF = "客户已关闭此渠道 / the customer switched this channel off"


def address(channel: str, reach: Reach) -> Address:
    """The recipient of `channel` for a customer, or why there is none."""
    if channel == "sms":
        if not reach.sms_enabled:
            return Address(channel, None, SWITCHED_OFF)
        return Address(channel, reach.mobile or None, None if reach.mobile else NO_MOBILE)
    if channel == "wechat":
        if not reach.wechat_enabled:
            return Address(channel, None, SWITCHED_OFF)
        openid = reach.wechat_openid
        return Address(channel, openid or None, None if openid else NO_WECHAT)
    raise ValueError(f"unknown notifier channel {channel!r}")


@dataclass(frozen=True)
class RetryPolicy:
    """A failed attempt is tried again after `first`, then `factor` times longer each
    time, at most `cap`, until `max_attempts` attempts have been made."""

    max_attempts: int = 5
    first: timedelta = timedelta(minutes=1)
    factor: int = 4
    cap: timedelta = timedelta(hours=2)

    def delay(self, attempts: int) -> timedelta:
        """The wait after the `attempts`-th failed attempt (1-based)."""
        return min(self.first * self.factor ** max(attempts - 1, 0), self.cap)


@dataclass(frozen=True)
class Outcome:
    status: str
    next_attempt_at: datetime | None = None


def after_report(*, status: str, attempts: int, delivered: bool, retryable: bool,
                 can_resend: bool, now: datetime, policy: RetryPolicy) -> Outcome | None:
    """What a notifier report does to a delivery in `status` after `attempts` attempts;
    None when the report changes nothing (the delivery is already final)."""
    if status in ("delivered", "failed", "no_recipient"):
        return None
    if delivered:
        return Outcome("delivered")
    if retryable and can_resend and attempts < policy.max_attempts:
        return Outcome("retrying", now + policy.delay(attempts))
    return Outcome("failed")


def mask(recipient: str | None) -> str | None:
    """What the logs may show of a recipient."""
    if not recipient:
        return None
    if "@" in recipient:
        name, _, domain = recipient.partition("@")
        return f"{name[:1]}***@{domain}"
    return f"{recipient[:3]}****{recipient[-4:]}" if len(recipient) >= 7 else "****"
