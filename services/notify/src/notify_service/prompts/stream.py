"""New staff prompts as server-sent events (N-3): the console's prompt bell listens to
`GET /api/console/prompts/stream` instead of polling.

A short poll of the prompts table feeds the stream (one cheap indexed query a second per
open console). Prompts are committed by the inbox consumer, whose `created_at` may be a
little older than its commit, so each poll looks back a window (`OVERLAP`) and skips the
prompts it already sent. `Last-Event-ID` (the browser sends it when it reconnects) resumes
after that prompt; a new connection starts with the prompts created from now on; it opens
with a `ready` event. A comment
line every `heartbeat` seconds keeps proxies from closing an idle stream. A staff member
bound to areas gets only the prompts of their areas (C-7, `repository.visible_to`)."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime, timedelta

from servicekit.timeutil import utcnow
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from . import views
from .repository import PromptRepository

OVERLAP = timedelta(seconds=30)
RETRY_MS = 3000
BATCH = 100


def sse(event: str, data: str, event_id: str | None = None) -> str:
    """One server-sent event; `data` must be a single line (JSON is)."""
    head = f"id: {event_id}\n" if event_id else ""
    return f"{head}event: {event}\ndata: {data}\n\n"


class PromptStream:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], *,
                 poll_seconds: float = 1.0, heartbeat_seconds: float = 15.0,
                 areas: frozenset[str] = frozenset()) -> None:
        self.sessionmaker = sessionmaker
        self.areas = areas
        self.poll_seconds = poll_seconds
        self.heartbeat_seconds = heartbeat_seconds
        self.since: datetime = utcnow()
        self.sent: dict[uuid.UUID, datetime] = {}

    async def start(self, last_event_id: str | None) -> None:
        """Mark what the client already has: everything up to `last_event_id`, or
        everything that exists now."""
        resume = None
        try:
            resume = uuid.UUID(last_event_id) if last_event_id else None
        except ValueError:
            resume = None
        async with self.sessionmaker() as session:
            repo = PromptRepository(session)
            last = await repo.get(resume, areas=self.areas) if resume else None
            if last is not None:
                self.since = last.created_at
                rows = await repo.created_since(last.created_at - OVERLAP, limit=10_000,
                                                areas=self.areas)
                self.sent = {p.id: p.created_at for p in rows if p.created_at <= last.created_at}
            else:
                self.since = utcnow()
                rows = await repo.created_since(self.since - OVERLAP, limit=10_000,
                                                areas=self.areas)
                self.sent = {p.id: p.created_at for p in rows}

    async def poll(self) -> list[str]:
        """The events of the prompts not sent yet, oldest first."""
        async with self.sessionmaker() as session:
            rows = await PromptRepository(session).created_since(
                self.since - OVERLAP, limit=BATCH + len(self.sent), areas=self.areas)
        out = []
        for p in rows:
            if p.id in self.sent:
                continue
            self.sent[p.id] = p.created_at
            self.since = max(self.since, p.created_at)
            out.append(sse("prompt", views.prompt(p).model_dump_json(), str(p.id)))
        horizon = self.since - OVERLAP
        self.sent = {k: v for k, v in self.sent.items() if v >= horizon}
        return out

    async def events(self, disconnected: Callable[[], Awaitable[bool]]) -> AsyncIterator[str]:
        # A first event at once ("ready", which the console ignores): a client, proxy or
        # test tool that waits for one event knows the stream is open and answering.
        yield f"retry: {RETRY_MS}\n: connected\nevent: ready\ndata: {{}}\n\n"
        quiet = 0.0
        while not await disconnected():
            chunks = await self.poll()
            for chunk in chunks:
                yield chunk
            if chunks:
                quiet = 0.0
            else:
                quiet += self.poll_seconds
                if quiet >= self.heartbeat_seconds:
                    quiet = 0.0
                    yield f": keep-alive {json.dumps(utcnow().isoformat())}\n\n"
            await asyncio.sleep(self.poll_seconds)
