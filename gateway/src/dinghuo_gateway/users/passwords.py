"""argon2id password hashing."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from ..config import settings


def hasher_for(cost: str) -> PasswordHasher:
    """argon2id with the library's recommended parameters, or the cheap test profile
    (see Settings.password_hash_cost)."""
    if cost == "low":
        return PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
    return PasswordHasher()


_hasher = hasher_for(settings.password_hash_cost)
# Verified against when the username is unknown, so both paths cost the same.
_DUMMY = _hasher.hash("dummy-password-for-timing-0")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def temporary_password(length: int = 12) -> str:
    """A random password to hand over once (no look-alike characters); it has letters and
    digits so it passes the strength rule, and must be changed at first login."""
    while True:
        pw = "".join(secrets.choice(_ALPHABET) for _ in range(length))
        if any(c.isalpha() for c in pw) and any(c.isdigit() for c in pw):
            return pw
