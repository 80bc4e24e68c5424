"""Read models follow other services by event, within milliseconds. A request that
arrives in those milliseconds (an order the instant its customer is approved) should not
be refused: `catch_up` reads again for a short while until the read model has what the
request needs.

Events may also arrive out of order (a redelivery, a replayed dead letter): `newer_wins`
is the rule a read model row keeps by the time of the event it last applied, and
`upsert_newer_wins` the one statement that applies it (X-2, issue 14 (c))."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Collection, Mapping
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Table, case, func, literal, null, or_

from .upsert import Insert, insert

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


def newer_wins(kept_as_of: datetime | None, as_of: datetime) -> bool:
    """Whether what an event that happened at `as_of` carries replaces what a read model
    keeps from its last event (`kept_as_of`; None: nothing kept yet, or kept before the
    time was recorded). The same instant counts as newer (the later arrival wins, as
    when events arrive in order). An older event only fills what is still unknown."""
    return kept_as_of is None or kept_as_of <= as_of


def kept_not_newer(kept_as_of: Any, as_of: datetime) -> ColumnElement[bool]:
    """`newer_wins` in SQL: the row's `kept_as_of` column is NULL or not after `as_of`
    (for an UPDATE … WHERE of one guarded field, or an upsert's conflict branch)."""
    return or_(kept_as_of.is_(None), kept_as_of <= literal(as_of, kept_as_of.type))


def upsert_newer_wins(table: Table | type, *, key: Mapping[str, Any], as_of_column: str,
                      as_of: datetime, carried: Mapping[str, Any],
                      defaults: Mapping[str, Any] | None = None,
                      nullable: Collection[str] = ()) -> Insert:
    """INSERT … ON CONFLICT (key) DO UPDATE with the values an event at `as_of` carries,
    by `newer_wins` against the row's `as_of_column`: newer, each carried value replaces
    the kept one; older (arriving late), it only fills a column that is still NULL
    (unknown). A None in `carried` is a value the event does not carry (the kept one
    stays), except in a `nullable` column: there NULL is a value (a newer None clears
    it) and an older event changes nothing. `defaults`: columns of a new row only. The
    row's `as_of_column` becomes the newer of both times. `table`: a Table or a mapped
    class."""
    table = getattr(table, "__table__", table)
    c = table.c
    kept_as_of = c[as_of_column]
    newer = kept_not_newer(kept_as_of, as_of)
    insert_values = {**(defaults or {}), **key, as_of_column: as_of}
    set_: dict[str, Any] = {}
    for name, value in carried.items():
        if name in nullable:  # NULL is a value here: only a newer event changes it
            insert_values[name] = value
            v = null() if value is None else literal(value, c[name].type)
            set_[name] = case((newer, v), else_=c[name])
        elif value is not None:
            insert_values[name] = value
            v = literal(value, c[name].type)
            set_[name] = case((newer, v), else_=func.coalesce(c[name], v))
    set_[as_of_column] = func.greatest(kept_as_of, literal(as_of, kept_as_of.type))
    stmt = insert(table).values(**insert_values)
    return stmt.on_conflict_do_update(index_elements=list(key), set_=set_)
