"""PostgreSQL's `INSERT … ON CONFLICT`, cached like every other statement.

SQLAlchemy 2.0 marks `sqlalchemy.dialects.postgresql.Insert` `inherit_cache = False`: an
upsert is compiled from scratch on every execution (0.2–0.6 ms each on our 2-core
machine). Every consumed event runs at least one (the inbox row), and the read models,
prompts, messages and points entries more — in a profile under load compiling them was
up to 16 % of a worker's CPU (issue 16). SQLAlchemy 2.1 makes these constructs cacheable
by declaring what their cache key is made of; we are held on 2.0 (the OpenTelemetry
SQLAlchemy instrumentation records nothing on 2.1), so this module declares the same
for 2.0: the conflict target, its WHERE, and for DO UPDATE the SET pairs (their values
coerced to bound parameters, so the key holds their shape, never a value) and the WHERE.

Use `servicekit.upsert.insert` wherever `sqlalchemy.dialects.postgresql.insert` was
used; the statements it builds compile to the same SQL (tests/test_upsert_cache.py).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects.postgresql import dml as pg_dml
from sqlalchemy.sql import coercions, roles
from sqlalchemy.sql.base import _generative
from sqlalchemy.sql.sqltypes import NULLTYPE
from sqlalchemy.sql.visitors import InternalTraversal

_TARGET = [
    ("constraint_target", InternalTraversal.dp_string),
    ("inferred_target_elements", InternalTraversal.dp_multi_list),
    ("inferred_target_whereclause", InternalTraversal.dp_clauseelement),
]


class OnConflictDoNothing(pg_dml.OnConflictDoNothing):
    inherit_cache = True
    _traverse_internals = _TARGET


class OnConflictDoUpdate(pg_dml.OnConflictDoUpdate):
    inherit_cache = True
    _traverse_internals = [
        *_TARGET,
        ("update_values_to_set", InternalTraversal.dp_dml_ordered_values),
        ("update_whereclause", InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A literal becomes a bound parameter (typed from its column when compiled, as
        # the dialect already does for a NULLTYPE bind), so that the cache key carries
        # no value and two upserts of the same shape share one compiled statement.
        self.update_values_to_set = [
            (key, coercions.expect(roles.ExpressionElementRole, value, type_=NULLTYPE,
                                   is_crud=True))
            for key, value in self.update_values_to_set
        ]


class Insert(pg_dml.Insert):
    """`sqlalchemy.dialects.postgresql.Insert` with a cache key."""

    inherit_cache = True

    @_generative
    @pg_dml.Insert._on_conflict_exclusive
    def on_conflict_do_nothing(self, constraint: Any = None, index_elements: Any = None,
                               index_where: Any = None) -> Insert:
        self._post_values_clause = OnConflictDoNothing(constraint, index_elements,
                                                       index_where)
        return self

    @_generative
    @pg_dml.Insert._on_conflict_exclusive
    def on_conflict_do_update(self, constraint: Any = None, index_elements: Any = None,
                              index_where: Any = None, set_: Any = None,
                              where: Any = None) -> Insert:
        self._post_values_clause = OnConflictDoUpdate(constraint, index_elements,
                                                      index_where, set_, where)
        return self


def insert(table: Any) -> Insert:
    """`INSERT` into `table` with PostgreSQL's `ON CONFLICT`, cached."""
    return Insert(table)
