"""Deliveries by the external notifier, pure (C-8): how a password-reset code reaches
its user."""

from __future__ import annotations

from dataclasses import dataclass

PASSWORD_RESET = "password_reset"


@dataclass(frozen=True)
class Route:
    channel: str  # "sms", "email" or "none"
    recipient: str | None


def route(mobile: str | None, email: str | None) -> Route:
    """SMS when a mobile number is known, else e-mail, else nowhere."""
    if mobile:
        return Route("sms", mobile)
    if email:
        return Route("email", email)
    return Route("none", None)


def mask(recipient: str | None) -> str | None:
    """What the logs may show of a recipient."""
    if not recipient:
        return None
    if "@" in recipient:
        name, _, domain = recipient.partition("@")
        return f"{name[:1]}***@{domain}"
    return f"{recipient[:3]}****{recipient[-4:]}" if len(recipient) >= 7 else "****"
