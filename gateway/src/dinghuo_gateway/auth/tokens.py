"""Session tokens for browsers (HttpOnly cookie) and API clients (bearer)."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

from servicekit.errors import Unauthorized
from servicekit.imports import without_optional

with without_optional("cryptography"):  # HS256 only (servicekit.imports)
    import jwt

AUDIENCE = "dinghuo-gateway"


@dataclass(frozen=True)
class SessionClaims:
    user_id: uuid.UUID
    session_id: str
    issued_ms: int
    expires_at: int  # epoch seconds


def issue(user_id: uuid.UUID, kind: str, secret: str, hours: int) -> tuple[str, int]:
    ttl = hours * 3600
    now_ms = time.time_ns() // 1_000_000
    now = now_ms // 1000
    token = jwt.encode({"sub": str(user_id), "kind": kind, "iat": now, "exp": now + ttl,
                        "iat_ms": now_ms, "aud": AUDIENCE, "jti": uuid.uuid4().hex},
                       secret, algorithm="HS256")
    return token, ttl


# Tokens whose signature was checked, by (secret, token): a session's next requests skip
# the HMAC and the JSON decoding (issue 16). Expiry is checked on every use; whether the
# session is still valid is the `SessionRegistry`'s question, asked on every request.
_VERIFIED: dict[tuple[str, str], SessionClaims] = {}
MAX_VERIFIED = 10_000


def verify_claims(token: str, secret: str) -> SessionClaims:
    key = (secret, token)
    claims = _VERIFIED.get(key)
    if claims is not None:
        if claims.expires_at > time.time():
            return claims
        _VERIFIED.pop(key, None)
    claims = _decode(token, secret)
    if len(_VERIFIED) >= MAX_VERIFIED:
        _VERIFIED.clear()
    _VERIFIED[key] = claims
    return claims


def _decode(token: str, secret: str) -> SessionClaims:
    try:
        claims = jwt.decode(token, secret, algorithms=["HS256"], audience=AUDIENCE,
                            options={"require": ["exp", "sub"]})
        return SessionClaims(uuid.UUID(claims["sub"]), str(claims.get("jti") or "")[:64],
                             int(claims.get("iat_ms") or int(claims.get("iat", 0)) * 1000),
                             int(claims["exp"]))
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("Your session has expired; please log in again") from exc
    except (jwt.PyJWTError, KeyError, ValueError, TypeError) as exc:
        raise Unauthorized("Invalid or missing credentials") from exc


def verify(token: str, secret: str) -> uuid.UUID:
    return verify_claims(token, secret).user_id
