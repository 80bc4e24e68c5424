"""The order's side of points redemption (P-2): the check when an order is placed, and
the points service's answers moving the order's points (called by the handlers, which
only translate events). Every step writes the order's timeline; nothing here commits."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal

from dinghuo_contracts import (
    OrderPointsConfirmed,
    PointsBalanceChanged,
    PointsRedeemed,
    PointsRefused,
    PointsReleased,
    PointsReserved,
)
from servicekit.logging import get_logger
from servicekit.timeutil import utcnow
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import Order
from ..orders.repository import OrderRepository
from ..orders.transitions import Transitions
from . import domain
from .domain import PointsStatus
from .repository import RedemptionRepository

log = get_logger(__name__)


class RedemptionService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.repo = RedemptionRepository(session)
        self.orders = OrderRepository(session)
        self.transitions = Transitions(session, self.orders)

    # ------------------------------------------------------------ placing an order
    async def hold(self, customer_id: uuid.UUID, points: int,
                   lines: Sequence[tuple[str | None, Decimal]]) -> None:
        """Refuse at once (422) points the order cannot use by what this service knows,
        and count the requested ones off the customer's points until the points service
        answers (so that a second order cannot count on them too)."""
        if points == 0:
            return
        view = await self.repo.lock_balance(customer_id)
        balance = None if view is None else domain.Balance(
            total=view.total, remaining=view.remaining, threshold=view.threshold,
            can_redeem=view.can_redeem)
        domain.check_request(points, balance, domain.redeemable_value(lines))
        assert view is not None
        view.remaining -= points

    @staticmethod
    def request(order: Order, points: int) -> None:
        order.points_requested = points
        order.points_status = (PointsStatus.REQUESTED if points else PointsStatus.NONE).value

    # ------------------------------------------------------------ the points service's answers
    async def _order(self, order_id: uuid.UUID) -> Order | None:
        order = await self.orders.get(order_id, for_update=True)
        if order is None:
            log.warning("points_answer_for_unknown_order", order_id=str(order_id))
        return order

    def _set(self, order: Order, status: PointsStatus, *, used: int | None = None,
             reason: str | None = None) -> None:
        order.points_status = status.value
        order.points_reason = reason
        if used is not None:
            order.points_used = used
        order.updated_at = utcnow()

    async def reserved(self, event: PointsReserved) -> None:
        """Count the reserved points (payable drops) and confirm them to the points
        service; an order that no longer waits for them does not confirm, and the points
        service's timeout gives them back."""
        order = await self._order(event.order_id)
        if order is None:
            return
        why = domain.accept_reservation(PointsStatus(order.points_status), total=order.total,
                                        paid=order.paid_total, points=event.points)
        if why is not None:
            log.info("points_reservation_not_taken", order_id=str(order.id), reason=why)
            if why == domain.ORDER_PAID:
                self._set(order, PointsStatus.REFUSED, reason=why)
                await self.transitions.record(order, "points_refused", None,
                                              data={"points": event.points, "reason": why})
            return
        self._set(order, PointsStatus.RESERVED, used=event.points)
        await self.session.flush()
        await self.transitions.record(
            order, "points_reserved", None,
            data={"points": event.points, "payable": f"{order.total - event.points}"},
            event=OrderPointsConfirmed(customer_id=order.customer_id, order_id=order.id,
                                       points=event.points))

    async def refused(self, event: PointsRefused) -> None:
        order = await self._order(event.order_id)
        if order is None or not domain.on_refused(PointsStatus(order.points_status)):
            return
        self._set(order, PointsStatus.REFUSED, used=0, reason=event.reason)
        await self.transitions.record(order, "points_refused", None, note=event.detail,
                                      data={"points": event.points, "reason": event.reason})

    async def released(self, event: PointsReleased) -> None:
        order = await self._order(event.order_id)
        if order is None or not domain.on_released(PointsStatus(order.points_status)):
            return
        self._set(order, PointsStatus.RELEASED, used=0, reason=event.cause)
        await self.transitions.record(order, "points_released", None,
                                      data={"points": event.points, "reason": event.cause})

    async def redeemed(self, event: PointsRedeemed) -> None:
        order = await self._order(event.order_id)
        if order is None or not domain.on_redeemed(PointsStatus(order.points_status)):
            return
        self._set(order, PointsStatus.REDEEMED)
        await self.transitions.record(order, "points_redeemed", None,
                                      data={"points": event.points})

    async def balance_changed(self, event: PointsBalanceChanged) -> None:
        await self.repo.set_balance(customer_id=event.customer_id, total=event.total,
                                    remaining=event.remaining, threshold=event.threshold,
                                    can_redeem=event.can_redeem, as_of=event.as_of)

    # ------------------------------------------------------------ the reply timeout
    async def expire(self, now: datetime, timeout: timedelta) -> int:
        """Orders that waited longer than `timeout` for the points service's answer are
        payable in full (their points, if reserved meanwhile, time out on the points
        side too)."""
        orders = await self.repo.waiting_since(now - timeout)
        for order in orders:
            self._set(order, PointsStatus.REFUSED, used=0, reason=domain.TIMEOUT)
            await self.transitions.record(order, "points_refused", None,
                                          data={"points": order.points_requested,
                                                "reason": domain.TIMEOUT})
        return len(orders)
