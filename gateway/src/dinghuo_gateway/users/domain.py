"""Identity rules, pure: usernames, password strength, contact details, one-time reset
tokens, forced password changes and the query-password unlock."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime

from servicekit.errors import AppError, BadRequest, Forbidden, Unprocessable

USERNAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{2,39}$")


class InvalidCredentialsFormat(Unprocessable):
    pass


def normalize_username(username: str) -> str:
    return username.strip().lower()


def check_username(username: str) -> str:
    name = normalize_username(username)
    if not USERNAME_RE.match(name):
        raise InvalidCredentialsFormat(
            "username must be 3-40 characters: letters, digits and _ . @ -, "
            "starting with a letter or digit")
    return name


def check_password(password: str, username: str = "") -> None:
    """At least 8 characters with a letter and a digit, not the username (X-3)."""
    if len(password) < 8:
        raise InvalidCredentialsFormat("password must be at least 8 characters long")
    if len(password) > 128:
        raise InvalidCredentialsFormat("password must be at most 128 characters long")
    if not re.search(r"[A-Za-z]", password) or not re.search(r"\d", password):
        raise InvalidCredentialsFormat("password must contain both letters and digits")
    if username and password.lower() == username.lower():
        raise InvalidCredentialsFormat("password must not be the same as the username")


COMPANY_ADMIN = "admin"
COMPANY_BUYER = "buyer"
MOBILE_RE = re.compile(r"^1\d{10}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class PasswordChangeRequired(Forbidden):
    pass


class Gone(AppError):
    status_code = 410


class InvalidResetToken(BadRequest):
    pass


class ResetTokenUsed(Gone):
    pass


class ResetTokenExpired(Gone):
    pass


def check_new_password(current: str, new: str, username: str) -> None:
    check_password(new, username)
    if current == new:
        raise InvalidCredentialsFormat("new_password must differ from the current password")


def check_mobile(mobile: str | None, field: str = "mobile") -> str | None:
    if mobile is None or not mobile.strip():
        return None
    value = mobile.strip()
    if not MOBILE_RE.match(value):
        raise InvalidCredentialsFormat(f"{field} must be an 11-digit mainland mobile number "
                                       "starting with 1")
    return value


def check_email(email: str | None, field: str = "email") -> str | None:
    if email is None or not email.strip():
        return None
    value = email.strip()
    if len(value) > 120 or not EMAIL_RE.match(value):
        raise InvalidCredentialsFormat(f"{field} must be an e-mail address like name@example.cn")
    return value


def reset_contact(identifier: str) -> tuple[str, str] | None:
    """What a password-reset request names when it is not a username: ("sms", mobile)
    for a mainland mobile number (spaces, dashes and +86 allowed), ("email", address)
    for an e-mail address, else None (C-8)."""
    value = identifier.strip()
    digits = re.sub(r"[\s\-()]", "", value)
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            digits = digits[len(prefix):]
    if MOBILE_RE.match(digits):
        return "sms", digits
    if len(value) <= 120 and EMAIL_RE.match(value):
        return "email", value
    return None


def hash_token(token: str) -> str:
    """Reset tokens are kept only as their SHA-256 (C-8)."""
    return hashlib.sha256(token.encode()).hexdigest()


def check_reset_token(expires_at: datetime, used_at: datetime | None, now: datetime) -> None:
    """A reset token works once, before it expires (C-8)."""
    if used_at is not None:
        raise ResetTokenUsed("This password-reset token has already been used; "
                             "please request a new one")
    if now >= expires_at:
        raise ResetTokenExpired("This password-reset token has expired; please request a new one")


def sensitive_unlocked(session_id: str, unlocked_session: str | None,
                       until: datetime | None, now: datetime) -> bool:
    """The query password unlocks sensitive reports for the session that entered it, for a
    limited time (X-3)."""
    return unlocked_session is not None and unlocked_session == session_id \
        and until is not None and now < until
