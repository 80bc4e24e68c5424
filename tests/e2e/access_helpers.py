"""Helpers for the access e2e tests: staff users created as an administrator would (with
the issued password changed at first login), and reading what the external notifier
receives."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Iterable

from system import NOTIFIER_OUTBOX

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


def notifier_outbox(system) -> list[dict]:
    """Every message the reference notifier (started with the system, B-4) has sent in
    development, as delivery requests: `{"type": "notify.delivery_requested", "data":
    {channel, recipient, template, params, text, text_en, delivery_id, attempt}}`."""
    path = system.config.run_dir / NOTIFIER_OUTBOX
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [{"type": "notify.delivery_requested", "data": json.loads(line)}
            for line in lines if line.strip()]


async def notifier_message(system, match, timeout: float = 30.0) -> dict:
    """The first message the external notifier sent (through its queue,
    notifier.reminders) for which `match(envelope)` holds and that no earlier call
    returned: a second call for the same user finds its next reset code."""
    taken: set = system.__dict__.setdefault("notifier_taken", set())
    deadline = time.monotonic() + timeout
    while True:
        for envelope in notifier_outbox(system):
            key = (envelope["data"].get("delivery_id"), envelope["data"].get("attempt"))
            if key not in taken and match(envelope):
                taken.add(key)
                return envelope
        if time.monotonic() > deadline:
            raise AssertionError(f"the notifier sent nothing for us within {timeout}s")
        await asyncio.sleep(0.3)


def reset_code_for(username: str):
    def match(envelope: dict) -> bool:
        return envelope.get("type") == "notify.delivery_requested" and \
            envelope["data"].get("template") == "password_reset" and \
            envelope["data"].get("params", {}).get("username") == username
    return match
