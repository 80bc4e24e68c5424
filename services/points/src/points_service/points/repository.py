"""All SQL of the points service."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from servicekit.readmodel import upsert_newer_wins
from servicekit.upsert import insert
from sqlalchemy import bindparam, func, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import (
    CustomerView,
    EventMonth,
    PointsAccount,
    PointsDescription,
    PointsEntry,
    PointsMovement,
    PointsRedemption,
    ProductCategory,
    RuleVersion,
)
from . import domain

TOUCHED = "points_touched"


# What an order's points are computed from, in one round trip instead of three (issue
# 16: every order.submitted): the rule versions, the event months and the categories of
# the order's products.
_EARNING_INPUTS = text("""
SELECT (SELECT coalesce(array_agg(version ORDER BY version), '{}') FROM rule_versions),
       (SELECT coalesce(array_agg(yuan_per_point ORDER BY version), '{}') FROM rule_versions),
       (SELECT coalesce(array_agg(redeem_threshold ORDER BY version), '{}')
          FROM rule_versions),
       (SELECT coalesce(array_agg(effective_from ORDER BY version), '{}') FROM rule_versions),
       (SELECT coalesce(array_agg(month ORDER BY month), '{}') FROM event_months),
       (SELECT coalesce(array_agg(product_id ORDER BY product_id), '{}')
          FROM product_categories
         WHERE product_id = ANY(:ids)),
       (SELECT coalesce(array_agg(category ORDER BY product_id), '{}') FROM product_categories
         WHERE product_id = ANY(:ids))
""")


# An order's entry unless it has one, built once (issue 16: every order.submitted).
_CREATE_ENTRY = (insert(PointsEntry).values(
    {name: bindparam(name) for name in (
        "id", "customer_id", "order_id", "order_number", "order_total", "earning_amount",
        "points", "status", "rule_version", "placed_on", "effective_at", "cancelled_at",
        "points_used")} | {"returned_amount": Decimal("0")})
    .on_conflict_do_nothing(index_elements=["order_id"])
    .returning(PointsEntry))


class PointsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # ------------------------------------------------------------ order entries
    async def get_by_order(self, order_id: uuid.UUID, *,
                           for_update: bool = False) -> PointsEntry | None:
        stmt = select(PointsEntry).where(PointsEntry.order_id == order_id)
        if for_update:
            stmt = stmt.with_for_update()
        return (await self.session.scalars(stmt)).first()

    async def create_if_absent(self, *, customer_id: uuid.UUID, order_id: uuid.UUID,
                               order_number: str | None, order_total: Decimal | None,
                               earning_amount: Decimal | None, points: int, status: str,
                               rule_version: int, placed_on: date | None,
                               effective_at: datetime | None = None,
                               cancelled_at: datetime | None = None,
                               points_used: int = 0) -> PointsEntry | None:
        """Insert the order's entry unless it has one; the inserted entry (one round trip:
        `RETURNING` the row, issue 16), None when it had one."""
        return (await self.session.scalars(_CREATE_ENTRY, {
            "id": uuid.uuid4(), "customer_id": customer_id, "order_id": order_id,
            "order_number": order_number, "order_total": order_total,
            "earning_amount": earning_amount, "points": points, "status": status,
            "rule_version": rule_version, "placed_on": placed_on,
            "effective_at": effective_at, "cancelled_at": cancelled_at,
            "points_used": points_used})).first()

    # ------------------------------------------------------------ ledger
    def add_movement(self, movement: PointsMovement) -> None:
        """A movement that changes what the customer can redeem (effective, reserved or
        redeemed points) also marks it for a balance announcement
        (`ledger.announce_balances`); pending points change nothing the announcement's
        reader (the order service) uses, so a new order's pending points announce
        nothing (issue 16: one event and one consumer less per order)."""
        self.session.add(movement)
        if domain.changes_redeemable(effective=movement.effective_delta,
                                     reserved=movement.reserved_delta,
                                     redeemed=movement.redeemed_delta):
            self.session.info.setdefault(TOUCHED, set()).add(movement.customer_id)

    def touch(self, customer_id: uuid.UUID) -> None:
        """Mark a customer's balances for announcement without a movement."""
        self.session.info.setdefault(TOUCHED, set()).add(customer_id)

    async def unannounced_accounts(self, limit: int) -> list[uuid.UUID]:
        return list((await self.session.scalars(
            select(PointsAccount.customer_id).where(PointsAccount.announced_at.is_(None))
            .order_by(PointsAccount.customer_id).limit(limit)
            .with_for_update(skip_locked=True))).all())

    async def mark_announced(self, customer_ids: list[uuid.UUID], at) -> None:
        await self.session.execute(update(PointsAccount).where(
            PointsAccount.customer_id.in_(customer_ids)).values(announced_at=at))

    def touched(self) -> set[uuid.UUID]:
        """The customers whose movements changed since the last call."""
        return self.session.info.pop(TOUCHED, set())

    # ------------------------------------------------------------ accounts (P-2)
    async def credit_account(self, customer_id: uuid.UUID, delta: int) -> None:
        """A change that is not spending (points take effect, are taken back, are released):
        what is owed is settled first, and what is taken beyond what is available becomes
        owed, so `available` never goes below zero."""
        table = PointsAccount.__table__
        stmt = insert(PointsAccount).values(
            customer_id=customer_id, available=max(delta, 0), owed=max(-delta, 0),
            updated_at=func.now())
        await self.session.execute(stmt.on_conflict_do_update(
            index_elements=["customer_id"], set_={
                "available": func.greatest(table.c.available - table.c.owed + delta, 0),
                "owed": func.greatest(table.c.owed - table.c.available - delta, 0),
                "updated_at": func.now()}))

    async def debit_account(self, customer_id: uuid.UUID, points: int) -> bool:
        """Spend `points` if the customer has them; False otherwise. The row lock orders
        concurrent spenders and the CHECK (available >= 0) refuses an overdraw even if a
        caller skipped this condition."""
        await self.session.execute(insert(PointsAccount).values(
            customer_id=customer_id, available=0, owed=0).on_conflict_do_nothing())
        row = (await self.session.execute(
            update(PointsAccount)
            .where(PointsAccount.customer_id == customer_id,
                   PointsAccount.available >= points)
            .values(available=PointsAccount.available - points, updated_at=func.now())
            .returning(PointsAccount.available))).first()
        return row is not None

    async def account(self, customer_id: uuid.UUID) -> PointsAccount | None:
        return await self.session.get(PointsAccount, customer_id, populate_existing=True)

    # ------------------------------------------------------------ redemptions (P-2)
    async def redemption(self, order_id: uuid.UUID, *,
                         for_update: bool = False) -> PointsRedemption | None:
        stmt = select(PointsRedemption).where(PointsRedemption.order_id == order_id)
        if for_update:
            stmt = stmt.with_for_update()
        return (await self.session.scalars(stmt)).first()

    async def redemptions(self, customer_id: uuid.UUID, *, limit: int,
                          offset: int) -> tuple[list[PointsRedemption], int]:
        stmt = select(PointsRedemption).where(PointsRedemption.customer_id == customer_id)
        total = (await self.session.execute(
            select(func.count()).select_from(stmt.subquery()))).scalar_one()
        rows = (await self.session.scalars(
            stmt.order_by(PointsRedemption.created_at.desc(), PointsRedemption.id.desc())
            .limit(limit).offset(offset))).all()
        return list(rows), total

    async def expired_reservations(self, now: datetime, limit: int = 500
                                   ) -> list[PointsRedemption]:
        """Unconfirmed reservations past their time, locked; a concurrent run skips them."""
        return list((await self.session.scalars(
            select(PointsRedemption)
            .where(PointsRedemption.status == domain.RedemptionStatus.RESERVED.value,
                   PointsRedemption.expires_at <= now)
            .order_by(PointsRedemption.expires_at).limit(limit)
            .with_for_update(skip_locked=True))).all())

    async def sums(self, customer_id: uuid.UUID) -> dict[str, int]:
        row = (await self.session.execute(select(
            func.coalesce(func.sum(PointsMovement.pending_delta), 0),
            func.coalesce(func.sum(PointsMovement.effective_delta), 0),
            func.coalesce(func.sum(PointsMovement.reserved_delta), 0),
            func.coalesce(func.sum(PointsMovement.redeemed_delta), 0),
        ).where(PointsMovement.customer_id == customer_id))).one()
        return {"pending": int(row[0]), "effective": int(row[1]), "reserved": int(row[2]),
                "redeemed": int(row[3])}

    async def movements(self, customer_id: uuid.UUID, *, limit: int = 50,
                        offset: int = 0) -> tuple[list[PointsMovement], int]:
        """The customer's movements, newest first."""
        stmt = select(PointsMovement).where(PointsMovement.customer_id == customer_id)
        total = (await self.session.execute(
            select(func.count()).select_from(stmt.subquery()))).scalar_one()
        rows = (await self.session.scalars(
            stmt.order_by(PointsMovement.created_at.desc(), PointsMovement.id.desc())
            .limit(limit).offset(offset))).all()
        return list(rows), total

    # ------------------------------------------------------------ programme
    async def rules(self) -> list[RuleVersion]:
        return list((await self.session.scalars(
            select(RuleVersion).order_by(RuleVersion.version))).all())

    async def lock_rules(self) -> list[RuleVersion]:
        """Rules for a new version; announcing ones wait for each other."""
        return list((await self.session.scalars(
            select(RuleVersion).order_by(RuleVersion.version).with_for_update())).all())

    def add(self, row: object) -> None:
        self.session.add(row)

    async def event_months(self) -> list[EventMonth]:
        return list((await self.session.scalars(
            select(EventMonth).order_by(EventMonth.month))).all())

    async def description(self) -> PointsDescription | None:
        return await self.session.get(PointsDescription, 1)

    async def set_description(self, content: str, by: str, at: datetime) -> None:
        stmt = insert(PointsDescription).values(id=1, content=content, updated_by=by,
                                                updated_at=at)
        await self.session.execute(stmt.on_conflict_do_update(
            index_elements=["id"], set_={"content": content, "updated_by": by,
                                         "updated_at": at}))

    # ------------------------------------------------------------ read models
    async def upsert_customer(self, *, customer_id: uuid.UUID, customer_number: str | None,
                              company_name: str, area: str | None, as_of: datetime) -> None:
        """The customer as an event at `as_of` tells (no number: not carried; no area:
        none); an older event arriving late changes nothing known (X-2)."""
        await self.session.execute(upsert_newer_wins(
            CustomerView, key={"customer_id": customer_id}, as_of_column="profile_as_of",
            as_of=as_of, nullable=("area",),
            carried={"company_name": company_name, "customer_number": customer_number,
                     "area": area}))

    async def customer(self, customer_id: uuid.UUID) -> CustomerView | None:
        return await self.session.get(CustomerView, customer_id)

    async def customers(self, *, areas: frozenset[str], q: str | None, limit: int,
                        offset: int) -> tuple[list[CustomerView], int]:
        stmt = select(CustomerView)
        if areas:
            stmt = stmt.where(CustomerView.area.in_(areas))
        if q:
            like = f"%{q}%"
            stmt = stmt.where(or_(CustomerView.company_name.ilike(like),
                                  CustomerView.customer_number.ilike(like)))
        total = (await self.session.execute(
            select(func.count()).select_from(stmt.subquery()))).scalar_one()
        rows = (await self.session.scalars(
            stmt.order_by(CustomerView.customer_number, CustomerView.company_name)
            .limit(limit).offset(offset))).all()
        return list(rows), total

    async def set_categories(self, categories: Iterable[tuple[uuid.UUID, str]]) -> None:
        for product_id, category in categories:
            stmt = insert(ProductCategory).values(product_id=product_id, category=category)
            await self.session.execute(stmt.on_conflict_do_update(
                index_elements=["product_id"], set_={"category": category}))

    async def categories(self, product_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
        ids = list(set(product_ids))
        if not ids:
            return {}
        rows = await self.session.execute(select(
            ProductCategory.product_id, ProductCategory.category)
            .where(ProductCategory.product_id.in_(ids)))
        return {pid: cat for pid, cat in rows}

    async def event_month_names(self) -> list[str]:
        return [m.month for m in await self.event_months()]

    async def earning_inputs(self, product_ids: Iterable[uuid.UUID]
                             ) -> tuple[list[domain.Rule], list[str], dict[uuid.UUID, str]]:
        """`rule_list()`, `event_month_names()` and `categories(product_ids)` at once."""
        row = (await self.session.execute(
            _EARNING_INPUTS, {"ids": sorted(set(product_ids))})).one()
        versions, yuan, thresholds, froms, months, pids, cats = row
        rules = [domain.Rule(v, Decimal(y), t, f)
                 for v, y, t, f in zip(versions, yuan, thresholds, froms, strict=True)]
        return rules, list(months), dict(zip(pids, cats, strict=True))

    async def rule_list(self) -> list[domain.Rule]:
        return [domain.Rule(r.version, r.yuan_per_point, r.redeem_threshold, r.effective_from)
                for r in await self.rules()]
