"""Rate limits per client address on login and password-reset requests (X-3), counted in
a session of their own that commits even when the request fails."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from servicekit.logging import get_logger
from sqlalchemy.ext.asyncio import AsyncSession

from .clients import client_address
from .service import Guard

log = get_logger(__name__)


async def _security_session(request: Request) -> AsyncIterator[AsyncSession]:
    """A second session for security records (failures, lockouts, rate counters, audit of
    refusals): it commits even when the request fails."""
    async with request.app.state.db.sessionmaker() as session:
        try:
            yield session
        finally:
            try:
                await session.commit()
            except Exception as exc:  # noqa: BLE001 - never hide the request's own outcome
                log.warning("security_record_failed", error=repr(exc))
                await session.rollback()


SecuritySession = Annotated[AsyncSession, Depends(_security_session, scope="function")]


def rate_limited(bucket: str):
    """A dependency counting the request against the client address's limit for
    `bucket` (login, password reset): 429 with Retry-After beyond it (X-3)."""

    async def _check(request: Request, security: SecuritySession) -> None:
        settings = request.app.state.settings
        await Guard(security, settings).check_rate(bucket, client_address(request, settings))

    return Depends(_check)
