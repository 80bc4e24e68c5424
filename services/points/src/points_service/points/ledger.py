"""Writing the ledger (P-1): every movement is one signed row and moves the customer's
account (what it can still spend, P-2) in the same transaction; the customers whose
movements changed get their balance announced (points.balance_changed) for the order
service's read model. Nothing here commits."""

from __future__ import annotations

import uuid

from dinghuo_contracts import PointsBalanceChanged
from servicekit.messaging import add_event
from servicekit.timeutil import business_date, utcnow
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import PointsMovement
from . import domain
from .repository import PointsRepository

SOURCE = "points"


class Ledger:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.repo = PointsRepository(session)

    async def move(self, customer_id: uuid.UUID, kind: domain.MovementKind, points: int, *,
                   rule_version: int, pending: int = 0, effective: int = 0,
                   reserved: int = 0, redeemed: int = 0, order_id: uuid.UUID | None = None,
                   order_number: str | None = None, reference: str | None = None,
                   reason: str | None = None, actor: str | None = None,
                   spent: bool = False) -> PointsMovement:
        """Write a movement. `spent`: the caller already took the points from the account
        (`PointsRepository.debit_account`); otherwise the account follows the movement."""
        movement = PointsMovement(
            id=uuid.uuid4(), customer_id=customer_id, kind=kind.value, points=points,
            pending_delta=pending, effective_delta=effective, reserved_delta=reserved,
            redeemed_delta=redeemed, order_id=order_id, order_number=order_number,
            reference=reference, rule_version=rule_version, reason=reason, actor=actor,
            created_at=utcnow())
        self.repo.add_movement(movement)
        delta = domain.available_delta(effective=effective, reserved=reserved,
                                       redeemed=redeemed)
        if delta and not spent:
            await self.repo.credit_account(customer_id, delta)
        return movement

    async def threshold(self) -> int:
        return domain.rule_on(await self.repo.rule_list(), business_date()).redeem_threshold

    async def balance(self, customer_id: uuid.UUID) -> domain.Balance:
        await self.session.flush()
        return domain.balance(await self.repo.sums(customer_id), await self.threshold())

    async def announce_balances(self) -> None:
        """points.balance_changed for every customer whose movements changed."""
        await self.session.flush()
        touched = self.repo.touched()
        if not touched:
            return
        threshold = await self.threshold()
        now = utcnow()
        for customer_id in sorted(touched):
            b = domain.balance(await self.repo.sums(customer_id), threshold)
            await add_event(self.session, PointsBalanceChanged(
                customer_id=customer_id, pending=b.pending, total=b.total,
                redeemed=b.redeemed, reserved=b.reserved, remaining=b.remaining,
                threshold=b.threshold, can_redeem=b.can_redeem, as_of=now), source=SOURCE)
        await self.repo.mark_announced(sorted(touched), now)

    async def announce_unannounced(self, limit: int = 500) -> int:
        """Announce the balances of accounts never announced (a backfill: accounts older
        than the order service's read model of balances); how many were announced."""
        customers = await self.repo.unannounced_accounts(limit)
        for customer_id in customers:
            self.repo.touch(customer_id)
        await self.announce_balances()
        return len(customers)
