"""Integration: the console's prompt stream (N-3) sends each new prompt once, as a
server-sent event, and resumes after Last-Event-ID."""

import json

from notify_service.prompts.stream import PromptStream

from .test_notify_api import deliver, submitted


def parse(chunk: str) -> dict:
    fields = dict(line.split(": ", 1) for line in chunk.strip().splitlines())
    return {**fields, "data": json.loads(fields["data"])}


async def test_new_prompt_is_streamed_once_N3(notify_app, notify_db):
    await deliver(notify_db, submitted())  # existed before the client connected
    stream = PromptStream(notify_db.sessionmaker)
    await stream.start(None)
    assert await stream.poll() == []

    ev = submitted(number="DH-STREAM-1")
    await deliver(notify_db, ev)
    chunks = await stream.poll()
    assert len(chunks) == 1
    event = parse(chunks[0])
    assert event["event"] == "prompt"
    assert event["data"]["kind"] == "new_order" and event["data"]["window"] is True
    assert event["data"]["data"]["order_id"] == str(ev.order_id)
    assert event["id"] == event["data"]["id"]
    assert await stream.poll() == []  # sent once

    # A reconnecting browser sends the last id it saw and gets what it missed.
    later = submitted(number="DH-STREAM-2")
    await deliver(notify_db, later)
    resumed = PromptStream(notify_db.sessionmaker)
    await resumed.start(event["id"])
    missed = [parse(c)["data"]["data"]["number"] for c in await resumed.poll()]
    assert missed == ["DH-STREAM-2"]


async def test_events_start_with_retry_and_stop_on_disconnect_N3(notify_db):
    stream = PromptStream(notify_db.sessionmaker, poll_seconds=0.01, heartbeat_seconds=0.02)
    await stream.start("not-a-uuid")
    gone = iter([False, False, False, True])

    async def disconnected() -> bool:
        return next(gone)

    chunks = [c async for c in stream.events(disconnected)]
    assert chunks[0].startswith("retry: ")
    assert any(c.startswith(": keep-alive") for c in chunks[1:])


async def test_stream_needs_staff_N3(notify_app):
    from servicekit.testing import helpers as h

    async with h.client(notify_app, h.customer()) as c:
        r = await c.get("/api/console/prompts/stream")
    assert r.status_code == 403
