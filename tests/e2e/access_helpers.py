"""Helpers for the access e2e tests: staff users created as an administrator would (with
the issued password changed at first login), and reading what the external notifier
receives."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Iterable

import aio_pika

from .api import Api

STAFF_PASSWORD = "Staff-2026-ok"


async def change_password(api: Api, current: str, new: str) -> None:
    r = await api.post("/api/auth/change-password",
                       json={"current_password": current, "new_password": new})
    assert r.status_code == 200, r.text
    api.token = r.json()["access_token"]


async def new_staff(admin: Api, permissions: Iterable[str] = (), areas: Iterable[str] = (),
                    **extra) -> tuple[Api, dict]:
    """A staff user created through /api/console/staff, logged in, its issued password
    changed; returns its client and its record."""
    username = f"s{uuid.uuid4().hex[:10]}"
    r = await admin.post("/api/console/staff", json={
        "username": username, "permissions": sorted(permissions), "areas": sorted(areas),
        **extra})
    assert r.status_code == 201, r.text
    body = r.json()
    staff = admin.as_user()
    await staff.login(username, body["temporary_password"])
    await change_password(staff, body["temporary_password"], STAFF_PASSWORD)
    return staff, body["user"]


async def notifier_message(system, match, timeout: float = 30.0) -> dict:
    """The first envelope on the external notifier's queue for which `match(envelope)`
    holds; it is acked, every other message is left on the queue for its reader."""
    name = f"{system.config.queue_prefix}notifier.reminders"
    deadline = time.monotonic() + timeout
    conn = await aio_pika.connect(system.config.amqp_url, timeout=10)
    try:
        while True:
            channel = await conn.channel()
            queue = await channel.get_queue(name, ensure=True)
            held = []
            found = None
            try:
                while found is None:
                    message = await queue.get(no_ack=False, fail=False)
                    if message is None:
                        break
                    envelope = json.loads(message.body)
                    if match(envelope):
                        await message.ack()
                        found = envelope
                    else:
                        held.append(message)
            finally:
                for message in held:
                    await message.nack(requeue=True)
                await channel.close()
            if found is not None:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"nothing for us on {name} within {timeout}s")
            await asyncio.sleep(0.5)
    finally:
        await conn.close()


def reset_code_for(username: str):
    def match(envelope: dict) -> bool:
        return envelope.get("type") == "notify.delivery_requested" and \
            envelope["data"].get("template") == "password_reset" and \
            envelope["data"].get("params", {}).get("username") == username
    return match
