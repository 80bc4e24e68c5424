"""Helpers for service tests: an HTTP client that speaks to a service app as the gateway
would (with a signed internal token), principals, and event delivery through the inbox."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from dinghuo_contracts import Event, EventEnvelope
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..auth import HEADER, Principal, sign_internal_token
from ..messaging.inbox import HandlerRegistry, handle_envelope


def customer(customer_id: uuid.UUID | None = None, username: str = "buyer") -> Principal:
    cid = customer_id or uuid.uuid4()
    return Principal(subject=f"user-{cid}", kind="customer", username=username, customer_id=cid)


def staff(*permissions: str, username: str = "staff", areas: tuple[str, ...] = ()) -> Principal:
    return Principal(subject=f"staff-{username}", kind="staff", username=username,
                     permissions=frozenset(permissions or ("*",)), areas=frozenset(areas))


@asynccontextmanager
async def client(
    app: FastAPI, principal: Principal | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    headers = {}
    if principal is not None:
        headers[HEADER] = sign_internal_token(principal, app.state.settings.internal_token_secret)
    # Like a real server: an unhandled error is a 500 response, not an exception here.
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://svc",
                                 headers=headers) as c:
        yield c


async def deliver(
    sessionmaker: async_sessionmaker[AsyncSession], consumer: str, registry: HandlerRegistry,
    event: Event | EventEnvelope, source: str = "test",
) -> EventEnvelope:
    """Apply an event exactly as the consumer would (inbox row + handler, one transaction)."""
    env = event if isinstance(event, EventEnvelope) else event.envelope(source)
    async with sessionmaker() as session, session.begin():
        await handle_envelope(session, consumer, registry, env)
    return env


async def eventually(check, timeout: float = 20.0, interval: float = 0.1):
    """Await `check()` until it returns something truthy and return that; fail with its
    last value. For effects that travel by event (asynchronously)."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = await check()
        if last:
            return last
        await asyncio.sleep(interval)
    raise AssertionError(f"not reached within {timeout}s; last value: {last!r}")
