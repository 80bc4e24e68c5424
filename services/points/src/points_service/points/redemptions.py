"""The points side of the redemption saga (P-2), called by the handlers of the order's
events and by the timeout job (tasks.py):

- order.submitted with points_requested → `reserve`: the points are taken from the
  customer's account (a conditional update under a CHECK that it never goes negative) and
  held as a `reserved` redemption (points.reserved), or refused with the reason
  (points.refused);
- order.points_confirmed → `confirm`: the reservation is held until the order is decided;
- order.approved → `approved`: redeemed when the order counts on them (points.redeemed),
  released when it does not;
- order.cancelled / order.rejected → `release`;
- the timeout job → `expire`: reservations never confirmed are released (points.released,
  cause "timeout");
- servicedesk.repair_points_requested → `redeem_repair`: a repair charge (S-3) has no
  review step, so the points are spent at once (points.repair_redeemed) or refused
  (points.repair_refused); servicedesk.repair_points_release_requested → `release_repair`
  (points.repair_released).

Every step is idempotent: a redelivered or late event finds the redemption already moved
and changes nothing. Nothing here commits."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from decimal import Decimal

from dinghuo_contracts import (
    PointsRedeemed,
    PointsRefused,
    PointsReleased,
    PointsRepairRedeemed,
    PointsRepairRefused,
    PointsRepairReleased,
    PointsReserved,
)
from servicekit.logging import get_logger
from servicekit.messaging import add_event
from servicekit.timeutil import business_date, utcnow
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import PointsRedemption
from . import domain
from .ledger import SOURCE, Ledger
from .repository import PointsRepository

log = get_logger(__name__)
Status = domain.RedemptionStatus


class RedemptionService:
    def __init__(self, session: AsyncSession, *, timeout_seconds: int = 600) -> None:
        self.session = session
        self.repo = PointsRepository(session)
        self.ledger = Ledger(session)
        self.timeout = timedelta(seconds=timeout_seconds)

    async def _rule_version(self) -> int:
        return domain.rule_on(await self.repo.rule_list(), business_date()).version

    async def reserve(self, *, customer_id: uuid.UUID, order_id: uuid.UUID,
                      order_number: str | None, requested: int,
                      lines: list[domain.Line]) -> int:
        """Reserve `requested` points for the order, or refuse them; the points reserved
        (0 when refused). A second call for the same order changes nothing."""
        existing = await self.repo.redemption(order_id)
        if existing is not None:
            return existing.points if existing.status in (
                Status.RESERVED, Status.HELD, Status.REDEEMED) else 0
        now = utcnow()
        decision = domain.decide_reservation(
            requested, await self.ledger.balance(customer_id),
            domain.redeemable_value(lines))
        if decision.refusal is None and not await self.repo.debit_account(customer_id,
                                                                          requested):
            # Another redemption took the points between reading and reserving.
            decision = domain.Decision(domain.Refusal.INSUFFICIENT,
                                       f"You no longer have {requested} points left")
        row = PointsRedemption(id=uuid.uuid4(), customer_id=customer_id, order_id=order_id,
                               order_number=order_number, points=requested,
                               created_at=now, updated_at=now)
        if decision.refusal is not None:
            row.status, row.reason = Status.REFUSED.value, decision.refusal.value
            self.repo.add(row)
            await add_event(self.session, PointsRefused(
                customer_id=customer_id, order_id=order_id, order_number=order_number,
                points=requested, reason=decision.refusal.value, detail=decision.detail),
                source=SOURCE)
            log.info("points_refused", order_id=str(order_id), points=requested,
                     reason=decision.refusal.value)
            return 0
        row.status, row.expires_at = Status.RESERVED.value, now + self.timeout
        self.repo.add(row)
        await self.ledger.move(customer_id, domain.MovementKind.RESERVED, -requested,
                               reserved=requested, order_id=order_id,
                               order_number=order_number,
                               rule_version=await self._rule_version(), spent=True)
        await add_event(self.session, PointsReserved(
            customer_id=customer_id, order_id=order_id, order_number=order_number,
            points=requested, reserved_at=now), source=SOURCE)
        return requested

    async def confirm(self, order_id: uuid.UUID) -> None:
        """The order recorded the reservation: held, no longer timing out."""
        row = await self.repo.redemption(order_id, for_update=True)
        if row is None:
            log.warning("points_confirm_without_reservation", order_id=str(order_id))
            return
        try:
            new = domain.confirm(Status(row.status))
        except domain.IllegalTransition as exc:
            # Released meanwhile (timeout): the order learns it from points.released.
            log.warning("points_not_confirmed", order_id=str(order_id), reason=exc.message)
            return
        row.status, row.expires_at, row.updated_at = new.value, None, utcnow()
        await self.session.flush()

    async def approved(self, order_id: uuid.UUID, points_used: int) -> None:
        """The order was approved: the points it counts on are spent; a reservation it
        does not count on (approved before the reply arrived) goes back."""
        row = await self.repo.redemption(order_id, for_update=True)
        if row is None or row.status in (Status.REFUSED, Status.RELEASED):
            if points_used:
                log.warning("points_approved_without_reservation", order_id=str(order_id),
                            points=points_used)
            return
        if points_used <= 0:
            await self._release(row, domain.ReleaseCause.NOT_CONFIRMED)
            return
        if Status(row.status) is Status.REDEEMED:
            return
        row.status, row.expires_at, row.updated_at = (
            domain.redeem(Status(row.status)).value, None, utcnow())
        await self.ledger.move(row.customer_id, domain.MovementKind.REDEEMED, -row.points,
                               reserved=-row.points, redeemed=row.points,
                               order_id=row.order_id, order_number=row.order_number,
                               rule_version=await self._rule_version())
        await add_event(self.session, PointsRedeemed(
            customer_id=row.customer_id, order_id=row.order_id,
            order_number=row.order_number, points=row.points, redeemed_at=row.updated_at),
            source=SOURCE)

    async def release(self, order_id: uuid.UUID, cause: domain.ReleaseCause) -> None:
        """The order was cancelled or rejected: its points go back."""
        row = await self.repo.redemption(order_id, for_update=True)
        if row is None:
            return
        await self._release(row, cause)

    async def _release(self, row: PointsRedemption, cause: domain.ReleaseCause) -> bool:
        before = Status(row.status)
        try:
            new = domain.release(before, cause)
        except domain.IllegalTransition as exc:
            log.info("points_not_released", order_id=str(row.order_id), reason=exc.message)
            return False
        now = utcnow()
        row.status, row.reason, row.expires_at, row.updated_at = (
            new.value, cause.value, None, now)
        was_redeemed = before is Status.REDEEMED
        await self.ledger.move(row.customer_id, domain.MovementKind.RELEASED, row.points,
                               reserved=0 if was_redeemed else -row.points,
                               redeemed=-row.points if was_redeemed else 0,
                               order_id=row.order_id, order_number=row.order_number,
                               reference=f"cause:{cause.value}",
                               rule_version=await self._rule_version())
        await add_event(self.session, PointsReleased(
            customer_id=row.customer_id, order_id=row.order_id,
            order_number=row.order_number, points=row.points, cause=cause.value,
            released_at=now), source=SOURCE)
        return True

    async def expire(self, now: datetime) -> int:
        """Release every reservation the order never confirmed in time (the timeout job)."""
        released = 0
        for row in await self.repo.expired_reservations(now):
            if domain.is_expired(Status(row.status), row.expires_at, now) and \
                    await self._release(row, domain.ReleaseCause.TIMEOUT):
                released += 1
        await self.ledger.announce_balances()
        return released


    # ------------------------------------------------------------ repairs (S-3)
    async def redeem_repair(self, *, customer_id: uuid.UUID, record_id: uuid.UUID,
                            requested: int, charge: Decimal) -> None:
        """Spend `requested` points on a repair charge at once, or refuse them. A repeated
        request for a repair already paid with points answers as before; one whose points
        were refused or given back may ask again."""
        row = await self.repo.redemption(record_id, for_update=True)
        if row is not None and Status(row.status) is Status.REDEEMED:
            await add_event(self.session, PointsRepairRedeemed(
                customer_id=customer_id, record_id=record_id, points=row.points,
                redeemed_at=row.updated_at), source=SOURCE)
            return
        now = utcnow()
        decision = domain.decide_repair(requested, await self.ledger.balance(customer_id),
                                        charge)
        if decision.refusal is None and not await self.repo.debit_account(customer_id,
                                                                          requested):
            decision = domain.Decision(domain.Refusal.INSUFFICIENT,
                                       f"You no longer have {requested} points left")
        if row is None:
            row = PointsRedemption(id=uuid.uuid4(), customer_id=customer_id,
                                   subject="repair", order_id=record_id, created_at=now)
            self.repo.add(row)
        row.points, row.updated_at, row.expires_at = requested, now, None
        if decision.refusal is not None:
            row.status, row.reason = Status.REFUSED.value, decision.refusal.value
            await self.session.flush()
            await add_event(self.session, PointsRepairRefused(
                customer_id=customer_id, record_id=record_id, points=requested,
                reason=decision.refusal.value, detail=decision.detail), source=SOURCE)
            log.info("repair_points_refused", record_id=str(record_id), points=requested,
                     reason=decision.refusal.value)
            return
        row.status, row.reason = Status.REDEEMED.value, None
        await self.session.flush()
        version = await self._rule_version()
        reference = f"repair:{record_id}"
        await self.ledger.move(customer_id, domain.MovementKind.RESERVED, -requested,
                               reserved=requested, reference=reference,
                               rule_version=version, spent=True)
        await self.ledger.move(customer_id, domain.MovementKind.REDEEMED, -requested,
                               reserved=-requested, redeemed=requested, reference=reference,
                               rule_version=version)
        await add_event(self.session, PointsRepairRedeemed(
            customer_id=customer_id, record_id=record_id, points=requested, redeemed_at=now),
            source=SOURCE)

    async def release_repair(self, record_id: uuid.UUID) -> None:
        """Give back the points spent on a repair charge."""
        row = await self.repo.redemption(record_id, for_update=True)
        if row is None:
            log.warning("repair_release_without_redemption", record_id=str(record_id))
            return
        try:
            new = domain.release_repair(Status(row.status))
        except domain.IllegalTransition as exc:
            log.info("repair_points_not_released", record_id=str(record_id),
                     reason=exc.message)
            return
        now = utcnow()
        row.status, row.reason, row.updated_at = new.value, "staff", now
        await self.ledger.move(row.customer_id, domain.MovementKind.RELEASED, row.points,
                               redeemed=-row.points, reference=f"repair:{record_id}",
                               rule_version=await self._rule_version())
        await add_event(self.session, PointsRepairReleased(
            customer_id=row.customer_id, record_id=record_id, points=row.points,
            released_at=now), source=SOURCE)
