"""Events of fault reports (S-1) after they are opened (servicedesk.request_opened is in
events.py): the thread and the end of a report. See events.py for the conventions:
additive changes only, a breaking change is a new class with version = 2. Defining a class
registers it.

    customer reply ─▶ servicedesk.request_replied (author_kind customer) ─▶ notify: a staff
                      prompt that opens the report
    staff reply    ─▶ servicedesk.request_replied (author_kind staff) ─▶ notify: the
                      customer's inbox message, naming the new status when it changed
    close          ─▶ servicedesk.request_closed ─▶ notify: the customer is told when staff
                      closed it"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from .envelope import Event

ReportStatus = Literal["open", "in_progress", "waiting_for_customer", "resolved", "closed"]
AuthorKind = Literal["customer", "staff"]


class ServiceRequestReplied(Event):
    """Someone added to a fault report's thread (S-1). `status` is the report's status
    after the reply, `previous_status` before it; `snippet` is the start of the message
    (at most 200 characters), enough for a notice."""

    type = "servicedesk.request_replied"
    request_id: uuid.UUID
    customer_id: uuid.UUID
    customer_name: str
    machine: str
    reply_id: uuid.UUID
    author_kind: AuthorKind
    author: str
    status: ReportStatus
    previous_status: ReportStatus
    snippet: str
    replied_at: datetime


class ServiceRequestClosed(Event):
    """A resolved fault report was closed by its customer or by staff (S-1); it takes no
    more replies."""

    type = "servicedesk.request_closed"
    request_id: uuid.UUID
    customer_id: uuid.UUID
    customer_name: str
    machine: str
    closed_by_kind: AuthorKind
    closed_by: str
    closed_at: datetime


class ServiceDeskMachinesCounted(Event):
    """A customer's installed base changed (S-2): staff registered a machine or changed
    its quantity. `machines` is the number of machines the customer has now (the sum of
    the quantities); `models` the distinct models. The order service keeps the count to
    sort and filter its order queries by machine quantity (A-1); a count older than the
    one it holds (`counted_at`) changes nothing."""

    type = "servicedesk.machines_counted"
    customer_id: uuid.UUID
    machines: int
    models: list[str] = []
    counted_at: datetime
