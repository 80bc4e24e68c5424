"""Events the points service consumes, each translated into one service call: the orders'
lifecycle moves their points and runs the points side of the redemption saga (P-2); the
customer service's events feed the read models (customers and their areas, C-7; product
categories, P-2). Duplicates are skipped by the inbox; the service tolerates events that
arrive out of order. Every handler that moved points announces the balances it changed
(points.balance_changed)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from dinghuo_contracts import (
    CustomerApproved,
    CustomerPriceChanged,
    CustomerUpdated,
    EventEnvelope,
    OrderApproved,
    OrderCancelled,
    OrderModified,
    OrderPointsConfirmed,
    OrderRejected,
    OrderSubmitted,
    PaymentReceived,
    PaymentReversed,
    RepairPointsReleaseRequested,
    RepairPointsRequested,
    ReturnApproved,
)
from servicekit.messaging import HandlerRegistry
from servicekit.timeutil import business_date
from sqlalchemy.ext.asyncio import AsyncSession

from ..config import settings
from . import domain
from .ledger import Ledger
from .repository import PointsRepository
from .service import EarningService, OrderFacts

registry = HandlerRegistry()


async def _earn(session: AsyncSession,
                call: Callable[[EarningService], Awaitable[None]]) -> None:
    await call(EarningService(
        session, reservation_timeout_seconds=settings.reservation_timeout_seconds))
    await Ledger(session).announce_balances()


@registry.on(OrderSubmitted)
async def on_submitted(session: AsyncSession, event: OrderSubmitted,
                       _env: EventEnvelope) -> None:
    await _earn(session, lambda s: s.submitted(OrderFacts(
        order_id=event.order_id, number=event.number, customer_id=event.customer_id,
        source=event.source, total=event.total,
        placed_on=business_date(event.submitted_at),
        lines=[(ln.product_id, ln.line_total) for ln in event.lines],
        points_requested=event.points_requested)))


@registry.on(PaymentReceived)
async def on_payment_received(session: AsyncSession, event: PaymentReceived,
                              _env: EventEnvelope) -> None:
    await _earn(session, lambda s: s.paid(OrderFacts(
        order_id=event.order_id, number=event.number, customer_id=event.customer_id,
        source=event.source, total=event.total, placed_on=event.paid_on, lines=None)))


@registry.on(PaymentReversed)
async def on_payment_reversed(session: AsyncSession, event: PaymentReversed,
                              _env: EventEnvelope) -> None:
    await _earn(session, lambda s: s.payment_reversed(event.order_id))


@registry.on(OrderModified)
async def on_modified(session: AsyncSession, event: OrderModified,
                      _env: EventEnvelope) -> None:
    await _earn(session, lambda s: s.modified(OrderFacts(
        order_id=event.order_id, number=event.number, customer_id=event.customer_id,
        source=event.source, total=event.total,
        placed_on=business_date(event.modified_at),
        lines=[(ln.product_id, ln.line_total) for ln in event.lines] or None)))


@registry.on(OrderCancelled)
async def on_cancelled(session: AsyncSession, event: OrderCancelled,
                       _env: EventEnvelope) -> None:
    await _earn(session, lambda s: s.cancelled(
        customer_id=event.customer_id, order_id=event.order_id, number=event.number,
        placed_on=business_date(event.cancelled_at), cause=domain.ReleaseCause.CANCELLED))


@registry.on(OrderRejected)
async def on_rejected(session: AsyncSession, event: OrderRejected,
                      _env: EventEnvelope) -> None:
    await _earn(session, lambda s: s.cancelled(
        customer_id=event.customer_id, order_id=event.order_id, number=event.number,
        placed_on=business_date(event.reviewed_at), cause=domain.ReleaseCause.REJECTED))


@registry.on(ReturnApproved)
async def on_return_approved(session: AsyncSession, event: ReturnApproved,
                             _env: EventEnvelope) -> None:
    await _earn(session, lambda s: s.returned(
        order_id=event.order_id, return_id=event.return_id,
        lines=[(ln.product_id, ln.unit_price * ln.quantity) for ln in event.lines]))


@registry.on(OrderPointsConfirmed)
async def on_points_confirmed(session: AsyncSession, event: OrderPointsConfirmed,
                              _env: EventEnvelope) -> None:
    await _earn(session, lambda s: s.redemptions.confirm(event.order_id))


@registry.on(OrderApproved)
async def on_approved(session: AsyncSession, event: OrderApproved,
                      _env: EventEnvelope) -> None:
    await _earn(session, lambda s: s.redemptions.approved(event.order_id, event.points_used))


@registry.on(RepairPointsRequested)
async def on_repair_points_requested(session: AsyncSession, event: RepairPointsRequested,
                                     _env: EventEnvelope) -> None:
    await _earn(session, lambda s: s.redemptions.redeem_repair(
        customer_id=event.customer_id, record_id=event.record_id, requested=event.points,
        charge=event.charge))


@registry.on(RepairPointsReleaseRequested)
async def on_repair_points_release_requested(
        session: AsyncSession, event: RepairPointsReleaseRequested,
        _env: EventEnvelope) -> None:
    await _earn(session, lambda s: s.redemptions.release_repair(event.record_id))


@registry.on(CustomerApproved)
async def on_customer_approved(session: AsyncSession, event: CustomerApproved,
                               env: EventEnvelope) -> None:
    repo = PointsRepository(session)
    await repo.upsert_customer(customer_id=event.customer_id,
                               customer_number=event.customer_number,
                               company_name=event.company_name, area=event.area,
                               as_of=env.occurred_at)
    await repo.set_categories((ln.product_id, ln.category) for ln in event.catalog
                              if ln.category is not None)


@registry.on(CustomerUpdated)
async def on_customer_updated(session: AsyncSession, event: CustomerUpdated,
                              env: EventEnvelope) -> None:
    """An older update arriving late (a redelivery) changes nothing newer (X-2)."""
    await PointsRepository(session).upsert_customer(
        customer_id=event.customer_id, customer_number=event.customer_number,
        company_name=event.company_name, area=event.area, as_of=env.occurred_at)


@registry.on(CustomerPriceChanged)
async def on_price_changed(session: AsyncSession, event: CustomerPriceChanged,
                           _env: EventEnvelope) -> None:
    if event.category is not None:
        await PointsRepository(session).set_categories([(event.product_id, event.category)])
