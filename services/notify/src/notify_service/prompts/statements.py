"""Staff prompts about monthly statements, pure (B-1, N-3): a customer disputing a
month's statement prompts the staff (of the customer's area: `area` is in the data) to
answer it; a confirmation is noted too. The link is the console's statement of that
customer and month. Texts are the templates in `templates.py`; the customer's side (the
answer to a dispute) is in `messages/statements.py`. No I/O; reached through
`domain.staff_prompt`."""

from __future__ import annotations

from typing import Any

from dinghuo_contracts import Event, StatementConfirmed, StatementDisputed
from servicekit.money import fmt

from .notice import Notice, render, snippet
from .templates import FRAGMENTS, PROMPTS, PromptKind


def statement_ids(event: StatementConfirmed | StatementDisputed) -> dict[str, Any]:
    return {"customer_id": str(event.customer_id),
            "customer_name": event.customer_name or None, "area": event.area,
            "month": event.month, "opening_balance": fmt(event.opening_balance),
            "closing_balance": fmt(event.closing_balance)}


def statement_prompt(event: Event) -> Notice | None:
    """The staff prompt for a statement event, or None."""
    match event:
        case StatementDisputed():
            zh, en = render(
                PROMPTS[PromptKind.STATEMENT_DISPUTED],
                customer=event.customer_name or FRAGMENTS["a_customer"], month=event.month,
                closing_balance=fmt(event.closing_balance), note=snippet(event.note))
            return Notice(
                kind=PromptKind.STATEMENT_DISPUTED, message=zh, message_en=en,
                data={**statement_ids(event), "note": event.note,
                      "disputed_by": event.disputed_by},
                window=True,
            )
        case StatementConfirmed():
            zh, en = render(
                PROMPTS[PromptKind.STATEMENT_CONFIRMED],
                customer=event.customer_name or FRAGMENTS["a_customer"], month=event.month,
                closing_balance=fmt(event.closing_balance))
            return Notice(
                kind=PromptKind.STATEMENT_CONFIRMED, message=zh, message_en=en,
                data={**statement_ids(event), "confirmed_by": event.confirmed_by},
            )
    return None
