"""Customer messages about fault reports, pure (S-1, N-5): staff replied on the
customer's report (naming the new status when the reply changed it), or staff closed it.
The customer's own replies and closes tell the customer nothing. No I/O; reached through
`domain.customer_message`."""

from __future__ import annotations

from dinghuo_contracts import Event, ServiceRequestClosed, ServiceRequestReplied

from ..prompts.notice import Notice, render, snippet
from .templates import FRAGMENTS, MESSAGES, REPORT_STATUSES, MessageKind


def _status(status: str):
    return REPORT_STATUSES.get(status, (status, status.replace("_", " ")))


def servicedesk_message(event: Event) -> Notice | None:
    match event:
        case ServiceRequestReplied(author_kind="staff"):
            changed = event.status != event.previous_status
            zh, en = render(MESSAGES[MessageKind.SERVICE_REQUEST_REPLIED],
                            machine=event.machine, snippet=snippet(event.snippet),
                            status=(render(FRAGMENTS["report_status"],
                                           status=_status(event.status))
                                    if changed else ""))
            return Notice(
                kind=MessageKind.SERVICE_REQUEST_REPLIED, message=zh, message_en=en,
                data={"request_id": str(event.request_id), "machine": event.machine,
                      "reply_id": str(event.reply_id), "status": event.status,
                      "status_changed": changed},
            )
        case ServiceRequestClosed(closed_by_kind="staff"):
            zh, en = render(MESSAGES[MessageKind.SERVICE_REQUEST_CLOSED],
                            machine=event.machine)
            return Notice(
                kind=MessageKind.SERVICE_REQUEST_CLOSED, message=zh, message_en=en,
                data={"request_id": str(event.request_id), "machine": event.machine},
            )
    return None
