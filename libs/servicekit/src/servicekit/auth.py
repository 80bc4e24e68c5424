"""The internal token: the gateway signs a short-lived token for each forwarded request;
services verify it. It carries the subject, kind (customer/staff), customer id,
permissions, areas and whether the staff user's query password currently unlocks sensitive
reports. A request without a valid one gets 401."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from typing import Annotated, Literal

from fastapi import Depends, Request

from .errors import Forbidden, Unauthorized
from .imports import without_optional
from .permissions import covers

with without_optional("cryptography"):  # HS256 only (servicekit.imports)
    import jwt

HEADER = "X-Internal-Token"
ALGORITHM = "HS256"
AUDIENCE = "dinghuo-services"
TTL_SECONDS = 60


@dataclass(frozen=True)
class Principal:
    subject: str
    kind: Literal["customer", "staff"]
    username: str = ""
    customer_id: uuid.UUID | None = None
    permissions: frozenset[str] = field(default_factory=frozenset)
    areas: frozenset[str] = field(default_factory=frozenset)
    # True while the staff user's query password unlocks sensitive reports.
    sensitive: bool = False

    def has(self, permission: str) -> bool:
        """`*` grants everything; `orders:*` every action of a module (the one matcher,
        `servicekit.permissions.covers`, which the gateway's guards use too)."""
        return self.kind == "staff" and covers(self.permissions, permission)

    @property
    def display(self) -> str:
        return self.username or self.subject


def sign_internal_token(principal: Principal, secret: str, ttl: int = TTL_SECONDS) -> str:
    now = int(time.time())
    claims = {
        "sub": principal.subject,
        "kind": principal.kind,
        "name": principal.username,
        "cid": str(principal.customer_id) if principal.customer_id else None,
        "perms": sorted(principal.permissions),
        "areas": sorted(principal.areas),
        "iat": now,
        "exp": now + ttl,
        "aud": AUDIENCE,
    }
    if principal.sensitive:
        claims["sens"] = True
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


# Tokens already verified (issue 16): the gateway signs one per caller and half-minute,
# so a service saw the same token on request after request and checked its HMAC and
# decoded its claims every time. Remembered until it expires; bounded.
_VERIFIED: dict[tuple[str, str], tuple[Principal, float]] = {}
_VERIFIED_MAX = 4096


def verify_internal_token(token: str, secret: str) -> Principal:
    known = _VERIFIED.get((secret, token))
    if known is not None:
        principal, expires = known
        if time.time() < expires:
            return principal
        del _VERIFIED[(secret, token)]
    principal, expires = _verify(token, secret)
    if len(_VERIFIED) >= _VERIFIED_MAX:
        _VERIFIED.clear()
    _VERIFIED[(secret, token)] = (principal, expires)
    return principal


def _verify(token: str, secret: str) -> tuple[Principal, float]:
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM], audience=AUDIENCE,
                            options={"require": ["exp"]})
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("Internal token expired") from exc
    except jwt.PyJWTError as exc:
        raise Unauthorized("Invalid internal token") from exc
    kind = claims.get("kind")
    if kind not in ("customer", "staff"):
        raise Unauthorized("Invalid internal token")
    cid = claims.get("cid")
    return Principal(
        subject=str(claims["sub"]),
        kind=kind,
        username=claims.get("name") or "",
        customer_id=uuid.UUID(cid) if cid else None,
        permissions=frozenset(claims.get("perms") or ()),
        areas=frozenset(claims.get("areas") or ()),
        sensitive=claims.get("sens") is True,
    ), float(claims["exp"])


async def _principal(request: Request) -> Principal:
    token = request.headers.get(HEADER)
    if not token:
        raise Unauthorized("Missing internal token")
    return verify_internal_token(token, request.app.state.settings.internal_token_secret)


async def _customer(principal: Annotated[Principal, Depends(_principal)]) -> Principal:
    if principal.kind != "customer" or principal.customer_id is None:
        raise Forbidden("Only customer users may do this")
    return principal


async def _staff(principal: Annotated[Principal, Depends(_principal)]) -> Principal:
    if principal.kind != "staff":
        raise Forbidden("Only staff users may do this")
    return principal


AnyPrincipal = Annotated[Principal, Depends(_principal)]
CustomerPrincipal = Annotated[Principal, Depends(_customer)]
StaffPrincipal = Annotated[Principal, Depends(_staff)]


def require_permission(permission: str):
    """An Annotated dependency for a staff user holding `<module>:<action>` (X-1)."""

    async def _check(principal: Annotated[Principal, Depends(_staff)]) -> Principal:
        if not principal.has(permission):
            raise Forbidden(f"Permission {permission} is required")
        return principal

    return Annotated[Principal, Depends(_check)]


class SensitiveLocked(Forbidden):
    """A sensitive report needs the query password to be unlocked first (X-3, A-2)."""


def require_sensitive(permission: str | None = None):
    """An Annotated dependency for a staff user (holding `permission`, when given) whose
    query password unlocked sensitive reports (POST /api/auth/unlock-sensitive);
    otherwise 403 {"error": "SensitiveLocked"}."""

    async def _check(principal: Annotated[Principal, Depends(_staff)]) -> Principal:
        if permission is not None and not principal.has(permission):
            raise Forbidden(f"Permission {permission} is required")
        if not principal.sensitive:
            raise SensitiveLocked(
                "This report is sensitive: enter your query password to unlock it "
                "(POST /api/auth/unlock-sensitive)")
        return principal

    return Annotated[Principal, Depends(_check)]
