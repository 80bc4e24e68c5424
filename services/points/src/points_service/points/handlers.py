"""Points follow the customer's orders (P-2): pending on submission, effective once
paid, cancelled on rejection or cancellation, revised when the customer modifies its
unreviewed order. Handlers tolerate duplicates (the inbox) and events that
arrive out of order."""

from __future__ import annotations

import uuid

from dinghuo_contracts import (
    EventEnvelope,
    OrderCancelled,
    OrderModified,
    OrderRejected,
    OrderSubmitted,
    PaymentReceived,
    PointsEarned,
)
from servicekit.logging import get_logger
from servicekit.messaging import HandlerRegistry, add_event
from servicekit.timeutil import utcnow
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import PointsEntry
from . import domain
from .repository import PointsRepository

SOURCE = "points"
log = get_logger(__name__)
registry = HandlerRegistry()


async def _earned(session: AsyncSession, customer_id: uuid.UUID, order_id: uuid.UUID,
                  points: int, status: domain.EntryStatus, order_number: str | None) -> None:
    await add_event(session, PointsEarned(customer_id=customer_id, order_id=order_id,
                                          points=points, status=status.value,
                                          order_number=order_number), source=SOURCE)


@registry.on(OrderSubmitted)
async def on_submitted(session: AsyncSession, event: OrderSubmitted,
                       _env: EventEnvelope) -> None:
    """A customer's own order earns floor(total / 20) points, pending until paid."""
    if not domain.earns_points(event.source):
        return
    points = domain.points_for(event.total)
    if points == 0:
        return
    created = await PointsRepository(session).create_if_absent(
        customer_id=event.customer_id, order_id=event.order_id, order_number=event.number,
        order_total=event.total, points=points, status=domain.EntryStatus.PENDING.value,
        rule_version=domain.RULE_VERSION)
    # An entry already there came from this order's payment or rejection overtaking it.
    if created:
        await _earned(session, event.customer_id, event.order_id, points,
                      domain.EntryStatus.PENDING, event.number)


@registry.on(PaymentReceived)
async def on_payment_received(session: AsyncSession, event: PaymentReceived,
                              _env: EventEnvelope) -> None:
    """The order is paid: its points take effect (P-2)."""
    repo = PointsRepository(session)
    entry = await repo.get_by_order(event.order_id, for_update=True)
    if entry is None:
        # order.submitted has not arrived yet: earn from the payment's own facts.
        if not domain.earns_points(event.source):
            return
        points = domain.points_for(event.total)
        if points == 0:
            return
        if await repo.create_if_absent(
                customer_id=event.customer_id, order_id=event.order_id,
                order_number=event.number, order_total=event.total, points=points,
                status=domain.EntryStatus.EFFECTIVE.value, rule_version=domain.RULE_VERSION,
                effective_at=utcnow()):
            await _earned(session, event.customer_id, event.order_id, points,
                          domain.EntryStatus.EFFECTIVE, event.number)
            return
        entry = await repo.get_by_order(event.order_id, for_update=True)
        assert entry is not None
    await _settle(session, entry)


async def _settle(session: AsyncSession, entry: PointsEntry) -> None:
    current = domain.EntryStatus(entry.status)
    try:
        new = domain.settle(current)
    except domain.IllegalTransition as exc:
        log.warning("points_not_settled", order_id=str(entry.order_id), reason=exc.message)
        return
    if new is current:
        return
    entry.status, entry.effective_at = new.value, utcnow()
    await session.flush()
    await _earned(session, entry.customer_id, entry.order_id, entry.points, new,
                  entry.order_number)


@registry.on(OrderModified)
async def on_modified(session: AsyncSession, event: OrderModified,
                      _env: EventEnvelope) -> None:
    """The customer changed its unreviewed order (O-4): pending points follow the new
    total."""
    if not domain.earns_points(event.source):
        return
    repo = PointsRepository(session)
    points = domain.points_for(event.total)
    entry = await repo.get_by_order(event.order_id, for_update=True)
    if entry is None:
        # Overtook its order.submitted (or that earned nothing): the newer total counts,
        # and the late submission finds the entry and changes nothing.
        if await repo.create_if_absent(
                customer_id=event.customer_id, order_id=event.order_id,
                order_number=event.number, order_total=event.total, points=points,
                status=domain.EntryStatus.PENDING.value, rule_version=domain.RULE_VERSION):
            return
        entry = await repo.get_by_order(event.order_id, for_update=True)
        assert entry is not None
    try:
        domain.revise(domain.EntryStatus(entry.status))
    except domain.IllegalTransition as exc:
        log.warning("points_not_revised", order_id=str(entry.order_id), reason=exc.message)
        return
    entry.points, entry.order_total = points, event.total
    await session.flush()


@registry.on(OrderCancelled)
async def on_cancelled(session: AsyncSession, event: OrderCancelled,
                       _env: EventEnvelope) -> None:
    """A cancelled order earns nothing, like a rejected one (O-5, P-2)."""
    await _cancel(session, event.customer_id, event.order_id, event.number)


@registry.on(OrderRejected)
async def on_rejected(session: AsyncSession, event: OrderRejected,
                      _env: EventEnvelope) -> None:
    """A rejected order earns nothing: its pending points are cancelled."""
    await _cancel(session, event.customer_id, event.order_id, event.number)


async def _cancel(session: AsyncSession, customer_id: uuid.UUID, order_id: uuid.UUID,
                  number: str) -> None:
    repo = PointsRepository(session)
    entry = await repo.get_by_order(order_id, for_update=True)
    if entry is None:
        # Rejected before its order.submitted arrived: leave a zero-point marker so
        # that the late submission earns nothing.
        await repo.create_if_absent(
            customer_id=customer_id, order_id=order_id,
            order_number=number, order_total=None, points=0,
            status=domain.EntryStatus.CANCELLED.value, rule_version=domain.RULE_VERSION,
            cancelled_at=utcnow())
        return
    current = domain.EntryStatus(entry.status)
    try:
        new = domain.cancel(current)
    except domain.IllegalTransition as exc:
        log.warning("points_not_cancelled", order_id=str(entry.order_id), reason=exc.message)
        return
    if new is not current:
        entry.status, entry.cancelled_at = new.value, utcnow()
        await session.flush()
