"""Session tokens for browsers (HttpOnly cookie) and API clients (bearer)."""

from __future__ import annotations

import time
import uuid

import jwt
from servicekit.errors import Unauthorized

AUDIENCE = "dinghuo-gateway"


def issue(user_id: uuid.UUID, kind: str, secret: str, hours: int) -> tuple[str, int]:
    ttl = hours * 3600
    now = int(time.time())
    token = jwt.encode({"sub": str(user_id), "kind": kind, "iat": now, "exp": now + ttl,
                        "aud": AUDIENCE, "jti": uuid.uuid4().hex}, secret, algorithm="HS256")
    return token, ttl


def verify(token: str, secret: str) -> uuid.UUID:
    try:
        claims = jwt.decode(token, secret, algorithms=["HS256"], audience=AUDIENCE)
        return uuid.UUID(claims["sub"])
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("Your session has expired; please log in again") from exc
    except (jwt.PyJWTError, KeyError, ValueError) as exc:
        raise Unauthorized("Invalid or missing credentials") from exc
