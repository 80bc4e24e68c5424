"""Text search in SQL: a person's search text matched anywhere in a column, its LIKE
wildcards (`%`, `_`) and the escape character taken literally — one rule for every
service's search box."""

from __future__ import annotations

from sqlalchemy import or_
from sqlalchemy.sql.elements import ColumnElement

ESCAPE = "\\"


def like_pattern(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, with its wildcards taken literally (use
    with `escape=ESCAPE`)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def contains(text: str, *columns) -> ColumnElement[bool]:
    """Any of `columns` contains `text`, case-insensitively."""
    pattern = like_pattern(text)
    return or_(*(c.ilike(pattern, escape=ESCAPE) for c in columns))
