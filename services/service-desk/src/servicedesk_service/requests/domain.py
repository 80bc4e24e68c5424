"""Service request rules, pure (S-1): the status machine open → in_progress → resolved
and who may reply when. No I/O; unit-tested on their own."""

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
    RESOLVED = "resolved"


class Author(StrEnum):
    CUSTOMER = "customer"
    STAFF = "staff"


# Where a staff reply may take a request; a status never goes back.
TRANSITIONS: dict[RequestStatus, frozenset[RequestStatus]] = {
    RequestStatus.OPEN: frozenset({RequestStatus.IN_PROGRESS, RequestStatus.RESOLVED}),
    RequestStatus.IN_PROGRESS: frozenset({RequestStatus.IN_PROGRESS, RequestStatus.RESOLVED}),
    RequestStatus.RESOLVED: frozenset(),
}


@dataclass(frozen=True)
class ReplyOutcome:
    status: RequestStatus
    changed: bool


def reply(status: RequestStatus, author: Author,
          requested: RequestStatus | None = None) -> ReplyOutcome:
    """A reply on a request in `status`. A resolved request takes no more replies (from
    either side). The customer's reply leaves the status alone; a staff reply moves an open
    request to in_progress unless it asks for another status."""
    if status is RequestStatus.RESOLVED:
        raise IllegalTransition(
            "The service request is resolved and accepts no more replies; "
            "please open a new request")
    if author is Author.CUSTOMER:
        if requested is not None:
            raise InvalidRequest("Only staff can change the status of a service request")
        return ReplyOutcome(status, changed=False)
    target = requested or (RequestStatus.IN_PROGRESS if status is RequestStatus.OPEN
                           else status)
    if target not in TRANSITIONS[status]:
        raise IllegalTransition(
            f"A service request that is {status.value} cannot be moved to {target.value}")
    return ReplyOutcome(target, changed=target is not status)
