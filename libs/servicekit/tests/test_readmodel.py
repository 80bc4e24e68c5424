"""catch_up: read again briefly until a read model has caught up with its events."""

from servicekit.readmodel import catch_up


async def test_returns_as_soon_as_settled():
    answers = iter([None, None, "approved", "never read"])
    calls = []

    async def load():
        calls.append(1)
        return next(answers)

    assert await catch_up(load, lambda v: v is not None, step_seconds=0) == "approved"
    assert len(calls) == 3


async def test_gives_up_after_the_steps_with_the_last_answer():
    calls = []

    async def load():
        calls.append(1)
        return None

    assert await catch_up(load, lambda v: v is not None, steps=4, step_seconds=0) is None
    assert len(calls) == 5
