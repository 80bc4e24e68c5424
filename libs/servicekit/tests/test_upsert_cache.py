"""servicekit.upsert: PostgreSQL upserts with a cache key (issue 16) — the same SQL as
SQLAlchemy's own construct, one key per shape (never per value), different keys for
different conflict targets, SET lists and WHEREs, and right values from a cached
statement against the real database (X-2's inbox depends on it)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from servicekit.upsert import insert
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import insert as pg_insert  # noqa: TID251 - compared

META = sa.MetaData()
T = sa.Table("upsert_probe", META,
             sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("name", sa.String(40), nullable=False),
             sa.Column("hits", sa.Integer, nullable=False, server_default="0"),
             sa.Column("as_of", sa.DateTime(timezone=True)))
DIALECT = postgresql.asyncpg.dialect()


def shapes(ins):
    """Statements of different shapes: each pair must differ in key and SQL."""
    base = ins(T).values(id=1, name="a")
    return {
        "plain": base,
        "nothing": base.on_conflict_do_nothing(),
        "nothing_target": base.on_conflict_do_nothing(index_elements=["id"]),
        "nothing_constraint": base.on_conflict_do_nothing(constraint="upsert_probe_pkey"),
        "update_name": base.on_conflict_do_update(index_elements=["id"],
                                                  set_={"name": "b"}),
        "update_hits": base.on_conflict_do_update(index_elements=["id"],
                                                  set_={"hits": T.c.hits + 1}),
        "update_excluded": base.on_conflict_do_update(
            index_elements=[T.c.id], set_={"name": base.excluded.name}),
        "update_where": base.on_conflict_do_update(
            index_elements=["id"], set_={"name": "b"},
            where=T.c.as_of < base.excluded.as_of),
        "returning": base.on_conflict_do_nothing().returning(T.c.id),
    }


def sql(stmt) -> str:
    return str(stmt.compile(dialect=DIALECT))


def test_same_sql_as_sqlalchemys_own_construct():
    ours, theirs = shapes(insert), shapes(pg_insert)
    for name in ours:
        assert sql(ours[name]) == sql(theirs[name]), name


def test_every_shape_has_its_own_cache_key():
    keys = {name: s._generate_cache_key() for name, s in shapes(insert).items()}
    assert all(k is not None for k in keys.values())
    assert len({k.key for k in keys.values()}) == len(keys)


def test_values_are_not_part_of_the_key():
    def upsert(i: int, name: str):
        return (insert(T).values(id=i, name=name)
                .on_conflict_do_update(index_elements=["id"],
                                       set_={"name": name, "hits": i}))
    k1, k2 = upsert(1, "a")._generate_cache_key(), upsert(2, "b")._generate_cache_key()
    assert k1 == k2
    assert [b.value for b in k2.bindparams] == [2, "b", "b", 2]


def test_a_second_on_conflict_is_refused_like_sqlalchemys():
    with pytest.raises(Exception, match="already has an ON CONFLICT"):
        insert(T).values(id=1, name="a").on_conflict_do_nothing().on_conflict_do_nothing()


async def test_cached_upserts_write_each_ones_values(kit_db):
    """Run the same shapes repeatedly on PostgreSQL: the second and later executions come
    from the compiled cache and must still carry their own values."""
    engine = kit_db.engine
    name = f"upsert_probe_{uuid.uuid4().hex[:8]}"
    table = T.to_metadata(sa.MetaData(), name=name)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(table.metadata.create_all)
        t0 = datetime(2026, 1, 1, tzinfo=UTC)
        async with engine.begin() as conn:
            for i in range(1, 4):
                ins = insert(table).values(id=i, name=f"n{i}", as_of=t0)
                got = (await conn.execute(ins.on_conflict_do_nothing()
                                          .returning(table.c.id))).scalar_one_or_none()
                assert got == i
                again = (await conn.execute(ins.on_conflict_do_nothing()
                                            .returning(table.c.id))).scalar_one_or_none()
                assert again is None  # the conflict did nothing
            for i, when in ((1, t0.replace(month=2)), (2, t0), (3, t0.replace(month=3))):
                ins = insert(table).values(id=i, name=f"m{i}", as_of=when)
                await conn.execute(ins.on_conflict_do_update(
                    index_elements=["id"], set_={"name": ins.excluded.name,
                                                 "hits": table.c.hits + i,
                                                 "as_of": ins.excluded.as_of},
                    where=table.c.as_of < ins.excluded.as_of))
            rows = (await conn.execute(sa.select(table.c.id, table.c.name, table.c.hits)
                                       .order_by(table.c.id))).all()
        # row 2's event was not newer: unchanged
        assert [tuple(r) for r in rows] == [(1, "m1", 1), (2, "n2", 0), (3, "m3", 3)]
    finally:
        async with engine.begin() as conn:
            await conn.run_sync(table.metadata.drop_all)
