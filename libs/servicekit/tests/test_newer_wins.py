"""Newer wins (X-2, issue 14 (c)): a read model row keeps the time of the event it last
applied; an older event arriving late (a redelivery, a replayed dead letter) changes
nothing it knows and only fills what it does not know yet."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from servicekit.db import Database
from servicekit.readmodel import newer_wins, upsert_newer_wins
from sqlalchemy import Column, DateTime, MetaData, String, Table, Uuid, select

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)

profiles = Table("newer_wins_profiles", MetaData(),
                 Column("id", Uuid, primary_key=True),
                 Column("name", String(50), nullable=False),
                 Column("area", String(50)),
                 Column("status", String(20)),
                 Column("as_of", DateTime(timezone=True)))


def test_nothing_kept_yet_or_kept_before_the_time_was_recorded_the_event_applies():
    assert newer_wins(None, T0)


def test_a_newer_event_and_one_of_the_same_instant_apply_an_older_one_does_not():
    assert newer_wins(T0, T0 + timedelta(seconds=1))
    assert newer_wins(T0, T0), "the same instant: the later arrival wins, as in order"
    assert not newer_wins(T0, T0 - timedelta(microseconds=1))


@pytest.fixture
async def table(kit_db: Database) -> AsyncIterator[Table]:
    async with kit_db.engine.begin() as conn:
        await conn.run_sync(profiles.metadata.create_all)
    yield profiles
    async with kit_db.engine.begin() as conn:
        await conn.run_sync(profiles.metadata.drop_all)


async def _apply(db: Database, rid: uuid.UUID, at: datetime, **carried) -> None:
    async with db.sessionmaker() as s, s.begin():
        await s.execute(upsert_newer_wins(profiles, key={"id": rid}, as_of_column="as_of",
                                          as_of=at, carried=carried,
                                          defaults={"status": "new"}, nullable=("area",)))


async def _row(db: Database, rid: uuid.UUID):
    async with db.engine.connect() as c:
        return (await c.execute(select(profiles).where(profiles.c.id == rid))).one()


async def test_in_order_each_event_replaces_what_it_carries(kit_db, table):
    rid = uuid.uuid4()
    await _apply(kit_db, rid, T0, name="甲", area="华东")
    first = await _row(kit_db, rid)
    assert (first.name, first.area, first.status, first.as_of) == ("甲", "华东", "new", T0)
    await _apply(kit_db, rid, T0 + timedelta(minutes=1), name="乙", status=None)
    second = await _row(kit_db, rid)
    assert (second.name, second.area, second.status) == ("乙", "华东", "new"), \
        "a status the event does not carry stays; a nullable area it does not pass stays"
    await _apply(kit_db, rid, T0 + timedelta(minutes=2), name="乙", area=None)
    third = await _row(kit_db, rid)
    assert (third.area, third.as_of) == (None, T0 + timedelta(minutes=2)), \
        "a newer None clears a nullable column"


async def test_an_older_event_arriving_late_changes_nothing_known(kit_db, table):
    rid = uuid.uuid4()
    newest = T0 + timedelta(minutes=5)
    await _apply(kit_db, rid, newest, name="新", area="华南", status=None)
    await _apply(kit_db, rid, T0 + timedelta(minutes=1), name="旧", area="华东",
                 status="approved")
    await _apply(kit_db, rid, T0, name="最旧", area=None, status="pending")
    row = await _row(kit_db, rid)
    assert (row.name, row.area, row.as_of) == ("新", "华南", newest), \
        "the newest values and time stay"
    assert row.status == "new", "a default of the first row is known: not refilled"


async def test_an_older_event_fills_only_what_is_still_unknown(kit_db, table):
    rid = uuid.uuid4()
    newest = T0 + timedelta(minutes=5)
    async with kit_db.sessionmaker() as s, s.begin():  # a row that knows no status yet
        await s.execute(upsert_newer_wins(profiles, key={"id": rid}, as_of_column="as_of",
                                          as_of=newest, carried={"name": "新"}))
    await _apply(kit_db, rid, T0, name="旧", area="华东", status="approved")
    row = await _row(kit_db, rid)
    assert (row.name, row.area, row.status, row.as_of) == ("新", None, "approved", newest), \
        "the status was unknown: filled; the area is nullable: NULL is a value, kept"


async def test_a_row_from_before_the_time_was_recorded_takes_any_event(kit_db, table):
    rid = uuid.uuid4()
    async with kit_db.engine.begin() as c:
        await c.execute(profiles.insert().values(id=rid, name="迁移前", status="approved"))
    await _apply(kit_db, rid, T0, name="之后", area="华北")
    row = await _row(kit_db, rid)
    assert (row.name, row.area, row.status, row.as_of) == ("之后", "华北", "approved", T0)
