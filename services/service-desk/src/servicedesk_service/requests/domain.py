"""Fault report rules, pure (S-1): the status machine, who may reply or close when, and
how many photos a report takes. No I/O; unit-tested on their own.

    open ──staff──▶ in_progress ◀──customer reply── waiting_for_customer
      │               │    ▲                              ▲
      │               ▼    └──────────staff───────────────┘
      └──staff──▶ resolved ──customer reply──▶ open (the fault is back)
                      │
                      └──customer or staff close──▶ closed (no more replies, no photos)

A staff reply may move a report that is not closed to in_progress, waiting_for_customer
or resolved; without a status it moves an open report to in_progress and leaves any
other status alone. A customer reply never names a status: on waiting_for_customer it
brings the report back to in_progress (the answer staff waited for), on resolved back to
open (the fault is not gone, the queue must show it again); otherwise it changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from servicekit.errors import Conflict, Unprocessable


class InvalidRequest(Unprocessable):
    """The request or reply breaks a rule of its own content (422)."""


class IllegalTransition(Conflict):
    """The request's current status does not allow this (409)."""


class RequestStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    WAITING_FOR_CUSTOMER = "waiting_for_customer"
    RESOLVED = "resolved"
    CLOSED = "closed"


class Author(StrEnum):
    CUSTOMER = "customer"
    STAFF = "staff"


S = RequestStatus

# Where a staff reply may take a report (a status not listed is refused with 409).
TRANSITIONS: dict[RequestStatus, frozenset[RequestStatus]] = {
    S.OPEN: frozenset({S.IN_PROGRESS, S.WAITING_FOR_CUSTOMER, S.RESOLVED}),
    S.IN_PROGRESS: frozenset({S.IN_PROGRESS, S.WAITING_FOR_CUSTOMER, S.RESOLVED}),
    S.WAITING_FOR_CUSTOMER: frozenset({S.IN_PROGRESS, S.WAITING_FOR_CUSTOMER, S.RESOLVED}),
    S.RESOLVED: frozenset({S.IN_PROGRESS, S.WAITING_FOR_CUSTOMER, S.RESOLVED}),
    S.CLOSED: frozenset(),
}

# Where a customer's reply takes a report.
CUSTOMER_REPLY: dict[RequestStatus, RequestStatus] = {
    S.OPEN: S.OPEN,
    S.IN_PROGRESS: S.IN_PROGRESS,
    S.WAITING_FOR_CUSTOMER: S.IN_PROGRESS,
    S.RESOLVED: S.OPEN,
}

# The statuses the console's queue shows by default: work that is not finished.
UNFINISHED: tuple[RequestStatus, ...] = (S.OPEN, S.IN_PROGRESS, S.WAITING_FOR_CUSTOMER)

MAX_PHOTOS = 6
MAX_PHOTO_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class ReplyOutcome:
    status: RequestStatus
    changed: bool


def _refuse_closed(status: RequestStatus) -> None:
    if status is S.CLOSED:
        raise IllegalTransition(
            "This fault report is closed and accepts no more replies or photos; "
            "please report the fault again as a new report")


def reply(status: RequestStatus, author: Author,
          requested: RequestStatus | None = None) -> ReplyOutcome:
    """A reply on a report in `status` (see the module's diagram). A closed report takes
    no replies from either side (409)."""
    _refuse_closed(status)
    if author is Author.CUSTOMER:
        if requested is not None:
            raise InvalidRequest("Only staff can change the status of a fault report")
        target = CUSTOMER_REPLY[status]
        return ReplyOutcome(target, changed=target is not status)
    target = requested or (S.IN_PROGRESS if status is S.OPEN else status)
    if target not in TRANSITIONS[status]:
        raise IllegalTransition(
            f"A fault report that is {status.value} cannot be moved to {target.value}")
    return ReplyOutcome(target, changed=target is not status)


def close(status: RequestStatus) -> RequestStatus:
    """Closing a report, by its customer or by staff: only a resolved one (409 otherwise)."""
    if status is S.CLOSED:
        raise IllegalTransition("This fault report is already closed")
    if status is not S.RESOLVED:
        raise IllegalTransition(
            f"Only a resolved fault report can be closed; this one is {status.value}")
    return S.CLOSED


def add_photos(status: RequestStatus, existing: int, adding: int) -> None:
    """Photos go on a report that is not closed, MAX_PHOTOS in all."""
    _refuse_closed(status)
    if adding < 1:
        raise InvalidRequest("Choose at least one photo to upload")
    if existing + adding > MAX_PHOTOS:
        left = max(MAX_PHOTOS - existing, 0)
        raise InvalidRequest(
            f"A fault report takes at most {MAX_PHOTOS} photos; this one has {existing}, "
            f"so {left} more can be added (not {adding})")


def actions(status: RequestStatus, author: Author) -> list[str]:
    """What the UI may offer on a report in `status` to `author`: `reply`, `photos`,
    `close` (one source with the rules above)."""
    if status is S.CLOSED:
        return []
    offered = ["reply"]
    if author is Author.CUSTOMER:
        offered.append("photos")
    if status is S.RESOLVED:
        offered.append("close")
    return offered
