"""Dead letters for operators, pure (B-7): statuses, which consumer a queue belongs to,
what a message looks like to a person, and what happened to one already handled."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from servicekit.errors import Conflict, Forbidden
from servicekit.messaging import Topology
from servicekit.ops import AREA_BOUND, preview

OPEN, REPLAYED, DISCARDED = "open", "replayed", "discarded"
STATUSES = (OPEN, REPLAYED, DISCARDED)
# The gateway's own outbox, beside the services' (password-reset requests …).
GATEWAY = "gateway"

__all__ = ["AREA_BOUND", "preview"]


class AreaBound(Forbidden):
    """Dead letters carry every area's data (C-7)."""


class AlreadyHandled(Conflict):
    pass


def check_unbound(areas: Iterable[str]) -> None:
    """Only staff without an area limit see dead letters: a message may concern any
    customer, and its payload is not filtered (C-7)."""
    if set(areas):
        raise AreaBound(AREA_BOUND)


def consumers(topology: Topology, services: Iterable[str]) -> dict[str, str]:
    """Every consuming queue → the consumer's name (service or external subscriber)."""
    return topology.consumers(services)


def check_open(status: str, resolved_by: str | None, resolved_at: datetime | None) -> None:
    """A dead letter is replayed or discarded once; the second operator learns who was
    first (several operators, several gateway replicas)."""
    if status == OPEN:
        return
    verb = "replayed" if status == REPLAYED else "discarded"
    when = resolved_at.isoformat(timespec="seconds") if resolved_at else "earlier"
    raise AlreadyHandled(f"This dead letter was already {verb} by {resolved_by or 'someone'} "
                         f"at {when}; nothing was done")


def decode(body: bytes) -> tuple[str, Any | None]:
    """The payload as a person reads it: pretty JSON when it is JSON, else the text (bytes
    that are not UTF-8 shown as replacement characters); and the parsed JSON, if any."""
    text = body.decode("utf-8", "replace")
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return text, None
    return json.dumps(data, ensure_ascii=False, indent=2), data


def body_preview(body: bytes) -> str:
    """A short line for the table: the event's `data` when it is an envelope."""
    _, data = decode(body)
    if isinstance(data, dict) and "data" in data:
        return preview(data["data"])
    return preview(data if data is not None else body.decode("utf-8", "replace"))
