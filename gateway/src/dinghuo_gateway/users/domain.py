"""Identity rules, pure: usernames and password strength."""

from __future__ import annotations

import re

from servicekit.errors import Unprocessable

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
