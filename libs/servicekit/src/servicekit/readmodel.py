"""Read models follow other services by event, within milliseconds. A request that
arrives in those milliseconds (an order the instant its customer is approved) should not
be refused: `catch_up` reads again for a short while until the read model has what the
request needs."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")

STEPS = 15
STEP_SECONDS = 0.1


async def catch_up(load: Callable[[], Awaitable[T]], settled: Callable[[T], bool], *,
                   steps: int = STEPS, step_seconds: float = STEP_SECONDS) -> T:
    """`load()` again (each call must read fresh from the database) until `settled` says
    the answer is final, at most `steps` more times; returns the last answer."""
    value = await load()
    for _ in range(steps):
        if settled(value):
            break
        await asyncio.sleep(step_seconds)
        value = await load()
    return value
