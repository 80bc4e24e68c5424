"""An order's steps, written one way by every use case (orders, shipments, payments,
returns): a state transition allowed by the domain's state machine, the order's new
status and timestamps, its timeline entry (O-11, X-3) and its event in the outbox — all in
the caller's transaction (nothing here commits).

    steps = Transitions(session)
    await steps.apply(order, Action.COMPLETE, domain.complete(status), principal,
                      entry="completed", note=note, event=OrderCompleted(...))

Steps that leave the order's status alone (a payment, a return, a credit hold) write
their timeline entry and event with `record`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from dinghuo_contracts import Event
from servicekit.auth import Principal
from servicekit.messaging import add_event
from servicekit.timeutil import utcnow
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import Order, OrderEvent
from . import domain
from .domain import Action, OrderStatus
from .repository import OrderRepository

SOURCE = "order"

T = TypeVar("T")
# A value, or a function of the order that gives it once the order is flushed (for what
# only the flush knows, like the version it bumps).
Lazy = T | Callable[[Order], T]


def log(repo: OrderRepository, order: Order, action: str, actor: Principal | None, *,
        note: str | None = None, data: dict[str, Any] | None = None,
        status: str | None = None) -> None:
    """Append to the order's timeline (O-11, X-3): who did what, when, the status after.
    `actor` None is the system (automatic steps, other services' events)."""
    repo.add_event(OrderEvent(
        order_id=order.id, occurred_at=utcnow(), action=action,
        status=status or order.status, actor=actor.display if actor else "system",
        actor_kind=actor.kind if actor else "system", note=note, data=data or {}))


def _given(value: Lazy[T], order: Order) -> T:
    return value(order) if callable(value) else value


class Transitions:
    def __init__(self, session: AsyncSession, orders: OrderRepository | None = None) -> None:
        self.session = session
        self.orders = orders or OrderRepository(session)

    async def apply(self, order: Order, action: Action, to: OrderStatus,
                    actor: Principal | None, *, entry: str, note: str | None = None,
                    data: Lazy[dict[str, Any] | None] = None,
                    event: Lazy[Event | None] = None, shown_as: OrderStatus | None = None,
                    at: datetime | None = None, flush: bool = True) -> datetime:
        """Move the (locked) order to `to` by `action`: refused with a 409 unless the
        state machine allows the action from the order's current status (nothing is
        changed then). Sets the status and `updated_at` — and `completed_at` or
        `cancelled_at` on reaching those states — to `at` (default now), flushes (which
        bumps the order's version), then appends the timeline entry `entry` by `actor`
        (None: the system) with `note` and `data`, showing the status `shown_as` when
        the order only passes through it, and adds `event` to the outbox. `data` and
        `event` may be functions of the order, called after the flush.

        `flush=False` leaves the flush to the caller: for one change in several steps
        (approved, then processing) that must bump the version once."""
        domain.check(OrderStatus(order.status), action)
        now = at or utcnow()
        order.status = to.value
        order.updated_at = now
        if to is OrderStatus.COMPLETED:
            order.completed_at = now
        elif to is OrderStatus.CANCELLED:
            order.cancelled_at = now
        if flush:
            await self.session.flush()
        await self.record(order, entry, actor, note=note, data=data, event=event,
                          status=shown_as)
        return now

    async def record(self, order: Order, entry: str, actor: Principal | None, *,
                     note: str | None = None, data: Lazy[dict[str, Any] | None] = None,
                     event: Lazy[Event | None] = None,
                     status: OrderStatus | None = None) -> None:
        """A step that leaves the order's status alone: its timeline entry and, when
        there is one, its event in the outbox."""
        log(self.orders, order, entry, actor, note=note, data=_given(data, order),
            status=status.value if status is not None else None)
        message = _given(event, order)
        if message is not None:
            await add_event(self.session, message, source=SOURCE)
