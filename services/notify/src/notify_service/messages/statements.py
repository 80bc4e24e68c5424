"""Customer messages about monthly statements, pure (B-1, N-5): staff's answer to the
customer's dispute of a month's statement, which is open again to be confirmed. The text
is the template in `templates.py`; the staff's side is in `prompts/statements.py`. No
I/O; reached through `domain.customer_message`."""

from __future__ import annotations

from dinghuo_contracts import Event, StatementDisputeResolved
from servicekit.money import fmt

from ..prompts.notice import Notice, render
from .templates import MESSAGES, MessageKind


def statement_message(event: Event) -> Notice | None:
    """The message to the statement's customer, or None."""
    match event:
        case StatementDisputeResolved():
            zh, en = render(MESSAGES[MessageKind.STATEMENT_DISPUTE_RESOLVED],
                            month=event.month, note=event.note.strip().rstrip("。."))
            return Notice(
                kind=MessageKind.STATEMENT_DISPUTE_RESOLVED, message=zh, message_en=en,
                data={"customer_id": str(event.customer_id), "month": event.month,
                      "closing_balance": fmt(event.closing_balance), "note": event.note},
            )
    return None
