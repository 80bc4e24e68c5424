"""Who may see and handle dead letters (X-1, C-7): `ops:query` to see, `ops:entry` to
replay, `ops:modify` to discard — and no area limit, since a dead letter may concern any
customer. No `from __future__ import annotations` here: FastAPI reads the annotations of
`_check` at runtime, and they are local names."""

from typing import Annotated

from fastapi import Depends

from ..auth.caller import Caller
from ..auth.guards import require_staff
from .domain import check_unbound


def require_ops(permission: str):
    holder = require_staff(permission)

    async def _check(caller: holder) -> Caller:  # type: ignore[valid-type]
        check_unbound(caller.areas)
        return caller

    return Annotated[Caller, Depends(_check)]


OpsQuery = require_ops("ops:query")
OpsEntry = require_ops("ops:entry")
OpsModify = require_ops("ops:modify")
