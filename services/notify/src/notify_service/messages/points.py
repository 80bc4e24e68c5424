"""Customer messages about points redemption, pure (P-2, N-5): the points service refused
the points an order asked for, or gave back a reservation the order never confirmed; in
both cases the order is payable in full. Releases of cancelled or rejected orders say
nothing beyond the cancellation's own message. No I/O; reached through
`domain.customer_message`."""

from __future__ import annotations

from dinghuo_contracts import Event, PointsRefused, PointsReleased

from ..prompts.notice import Notice, render
from .templates import MESSAGES, POINTS_REFUSALS, MessageKind

UNCONFIRMED = ("timeout", "not_confirmed")


def points_message(event: Event) -> Notice | None:
    match event:
        case PointsRefused():
            reason = POINTS_REFUSALS.get(event.reason, (event.detail, event.detail))
            zh, en = render(MESSAGES[MessageKind.POINTS_REFUSED],
                            number=event.order_number or "", points=event.points,
                            reason=reason)
            return Notice(
                kind=MessageKind.POINTS_REFUSED, message=zh, message_en=en,
                data={"order_id": str(event.order_id), "number": event.order_number,
                      "points": event.points, "reason": event.reason},
            )
        case PointsReleased(cause=cause) if cause in UNCONFIRMED:
            zh, en = render(MESSAGES[MessageKind.POINTS_RELEASED],
                            number=event.order_number or "", points=event.points)
            return Notice(
                kind=MessageKind.POINTS_RELEASED, message=zh, message_en=en,
                data={"order_id": str(event.order_id), "number": event.order_number,
                      "points": event.points, "reason": cause},
            )
    return None
