"""Points use cases (P-1..P-3): earning as the orders move (called by the handlers, which
only translate events), the ledger's balances, staff adjustments and the programme staff
announce. Every change of points writes a movement; nothing here commits."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from dinghuo_contracts import PointsEarned
from servicekit.auth import Principal
from servicekit.errors import Forbidden, NotFound, Unprocessable
from servicekit.logging import get_logger
from servicekit.messaging import add_event
from servicekit.timeutil import business_date, utcnow
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import (
    CustomerView,
    EventMonth,
    PointsEntry,
    PointsMovement,
    PointsRedemption,
    RuleVersion,
)
from . import domain
from .ledger import SOURCE, Ledger
from .redemptions import RedemptionService
from .repository import PointsRepository

log = get_logger(__name__)


@dataclass(frozen=True)
class OrderFacts:
    """What an order event says about the order, for points."""

    order_id: uuid.UUID
    number: str
    customer_id: uuid.UUID
    source: str
    total: Decimal
    placed_on: date
    # (product_id, line total); None when the event carries no lines (use the total)
    lines: Sequence[tuple[uuid.UUID, Decimal]] | None
    # P-2: the points the customer asked to pay the order with (order.submitted)
    points_requested: int = 0


@dataclass(frozen=True)
class Programme:
    rules: list[RuleVersion]
    current: int
    event_months: list[EventMonth]


class EarningService:
    """Points follow the customer's orders (P-2). Tolerates events out of order."""

    def __init__(self, session: AsyncSession, *, reservation_timeout_seconds: int = 600
                 ) -> None:
        self.session = session
        self.repo = PointsRepository(session)
        self.ledger = Ledger(session)
        self.redemptions = RedemptionService(session,
                                             timeout_seconds=reservation_timeout_seconds)

    async def _lines(self, facts: OrderFacts) -> list[domain.Line] | None:
        if facts.lines is None:
            return None
        cats = await self.repo.categories(pid for pid, _ in facts.lines)
        return [domain.Line(cats.get(pid), amt) for pid, amt in facts.lines]

    async def _earning(self, facts: OrderFacts, points_used: int = 0
                       ) -> tuple[Decimal, domain.Rule, int]:
        """The order's earning amount (its consumables), the rule of its day and the
        points it earns once the points it paid with are taken off (P-2)."""
        rules, event_months, cats = await self.repo.earning_inputs(
            pid for pid, _ in facts.lines or ())
        rule = domain.rule_on(rules, facts.placed_on)
        lines = (None if facts.lines is None
                 else [domain.Line(cats.get(pid), amt) for pid, amt in facts.lines])
        amount = facts.total if lines is None else domain.earning_amount(lines)
        points = domain.order_points(source=facts.source,
                                     amount=domain.net_of_points(amount, points_used),
                                     placed_on=facts.placed_on, rule=rule,
                                     event_months=event_months)
        return amount, rule, points

    async def _move(self, entry: PointsEntry, kind: domain.MovementKind, points: int, *,
                    pending: int = 0, effective: int = 0,
                    reference: str | None = None) -> None:
        await self.ledger.move(entry.customer_id, kind, points, pending=pending,
                               effective=effective, order_id=entry.order_id,
                               order_number=entry.order_number, reference=reference,
                               rule_version=entry.rule_version)

    async def _earned_event(self, entry: PointsEntry, points: int,
                            status: domain.EntryStatus) -> None:
        await add_event(self.session, PointsEarned(
            customer_id=entry.customer_id, order_id=entry.order_id, points=points,
            status=status.value, order_number=entry.order_number), source=SOURCE)

    async def _create(self, facts: OrderFacts, status: domain.EntryStatus,
                      points_used: int = 0, *, placed_known: bool = True
                      ) -> PointsEntry | None:
        """The order's entry with its first movements; None if it already had one.
        `placed_known=False`: earned from a payment that overtook its order.submitted, so
        the day the order was placed and its lines are not known yet — `placed_on` stays
        empty until the submission arrives and re-bases the entry (`_rebase`)."""
        amount, rule, points = await self._earning(facts, points_used)
        now = utcnow()
        entry = await self.repo.create_if_absent(
            customer_id=facts.customer_id, order_id=facts.order_id, order_number=facts.number,
            order_total=facts.total, earning_amount=amount, points=points,
            status=status.value, rule_version=rule.version,
            placed_on=facts.placed_on if placed_known else None,
            effective_at=now if status is domain.EntryStatus.EFFECTIVE else None,
            points_used=points_used)
        if entry is None:  # it had one
            return None
        if points:
            await self._move(entry, domain.MovementKind.EARNED, points, pending=points)
            if status is domain.EntryStatus.EFFECTIVE:
                await self._move(entry, domain.MovementKind.EFFECTIVE, points, pending=-points,
                           effective=points)
            await self._earned_event(entry, points, status)
        return entry

    async def submitted(self, facts: OrderFacts) -> None:
        """A placed order earns its points, pending until paid; the points it asks to pay
        with are reserved or refused first (the redemption saga, P-2). An order whose
        entry exists already (a late or repeated submission, e.g. after its cancellation
        arrived) reserves nothing; one its payment created first is re-based on the
        submission's lines and date (`_rebase`)."""
        used = 0
        if facts.points_requested > 0:
            if await self.repo.get_by_order(facts.order_id) is not None:
                await self._rebase(facts)
                return
            lines = await self._lines(facts) or []
            used = await self.redemptions.reserve(
                customer_id=facts.customer_id, order_id=facts.order_id,
                order_number=facts.number, requested=facts.points_requested, lines=lines)
        if await self._create(facts, domain.EntryStatus.PENDING, used) is None:
            # It had one: created by its payment (or cancellation, or modification) that
            # overtook the submission, by a second worker meanwhile, or this is a repeated
            # submission. Without points asked for, nothing was reserved, so the entry's
            # own insert is the check (one statement less per order, issue 16).
            await self._rebase(facts)

    async def _rebase(self, facts: OrderFacts) -> None:
        """The submission arrives after the payment created the order's entry from the
        payment's facts (its total, the day it was paid): points are earned on the
        consumable lines of the day the order was placed (P-2, P-3), so the entry takes
        the submission's figures and the ledger moves the difference. The final state is
        the one the events in order would have made (X-2, issue 14). An entry that
        already follows the submission (or a modification), or was cancelled, is left."""
        entry = await self.repo.get_by_order(facts.order_id, for_update=True)
        if entry is None or entry.placed_on is not None:
            return
        status = domain.EntryStatus(entry.status)
        if status is domain.EntryStatus.CANCELLED:
            return
        amount, rule, points = await self._earning(facts, entry.points_used)
        diff = points - entry.points
        entry.points, entry.order_total, entry.earning_amount = points, facts.total, amount
        entry.placed_on, entry.rule_version = facts.placed_on, rule.version
        if diff > 0:
            await self._move(entry, domain.MovementKind.EARNED, diff, pending=diff)
            if status is domain.EntryStatus.EFFECTIVE:
                await self._move(entry, domain.MovementKind.EFFECTIVE, diff, pending=-diff,
                                 effective=diff)
        elif diff < 0:
            d = domain.reversal(status, -diff)
            await self._move(entry, domain.MovementKind.REVERSED, diff, pending=d.pending,
                             effective=d.effective)
        await self.session.flush()

    async def paid(self, facts: OrderFacts) -> None:
        """The order is fully paid: its points take effect (P-2)."""
        entry = await self.repo.get_by_order(facts.order_id, for_update=True)
        if entry is None:
            # order.submitted has not arrived yet: earn from the payment's own facts;
            # the submission re-bases them on its lines when it comes (`_rebase`).
            if await self._create(facts, domain.EntryStatus.EFFECTIVE,
                                  placed_known=False) is not None:
                return
            entry = await self.repo.get_by_order(facts.order_id, for_update=True)
            assert entry is not None
        current = domain.EntryStatus(entry.status)
        try:
            new = domain.settle(current)
        except domain.IllegalTransition as exc:
            log.warning("points_not_settled", order_id=str(entry.order_id), reason=exc.message)
            return
        if new is current:
            return
        entry.status, entry.effective_at = new.value, utcnow()
        if entry.points:
            await self._move(entry, domain.MovementKind.EFFECTIVE, entry.points,
                       pending=-entry.points, effective=entry.points)
            await self._earned_event(entry, entry.points, new)
        await self.session.flush()

    async def payment_reversed(self, order_id: uuid.UUID) -> None:
        """A payment of the fully paid order was reversed: effective points are pending
        again (P-2); paying the order in full again makes them effective once more."""
        entry = await self.repo.get_by_order(order_id, for_update=True)
        if entry is None:
            return
        current = domain.EntryStatus(entry.status)
        try:
            new = domain.unsettle(current)
        except domain.IllegalTransition as exc:
            log.warning("points_not_unsettled", order_id=str(order_id), reason=exc.message)
            return
        if new is current:
            return
        entry.status, entry.effective_at = new.value, None
        if entry.points:
            await self._move(entry, domain.MovementKind.UNPAID, -entry.points,
                       pending=entry.points, effective=-entry.points)
        await self.session.flush()

    async def modified(self, facts: OrderFacts) -> None:
        """The customer changed its unreviewed order (O-4): pending points follow it."""
        entry = await self.repo.get_by_order(facts.order_id, for_update=True)
        if entry is None:
            # Overtook its order.submitted: the newer order counts; the late submission
            # finds the entry and changes nothing.
            await self._create(facts, domain.EntryStatus.PENDING)
            return
        try:
            domain.revise(domain.EntryStatus(entry.status))
        except domain.IllegalTransition as exc:
            log.warning("points_not_revised", order_id=str(entry.order_id), reason=exc.message)
            return
        placed = entry.placed_on or facts.placed_on
        amount, rule, points = await self._earning(replace(facts, placed_on=placed),
                                                   entry.points_used)
        diff = points - entry.points
        entry.points, entry.order_total, entry.earning_amount = points, facts.total, amount
        entry.rule_version = rule.version
        if diff > 0:
            await self._move(entry, domain.MovementKind.EARNED, diff, pending=diff)
        elif diff < 0:
            await self._move(entry, domain.MovementKind.REVERSED, diff, pending=diff)
        await self.session.flush()

    async def cancelled(self, *, customer_id: uuid.UUID, order_id: uuid.UUID, number: str,
                        placed_on: date,
                        cause: domain.ReleaseCause = domain.ReleaseCause.CANCELLED) -> None:
        """A rejected or cancelled order keeps nothing: its points, pending or effective,
        are reversed, and the points it paid with go back (O-5, P-2)."""
        await self.redemptions.release(order_id, cause)
        entry = await self.repo.get_by_order(order_id, for_update=True)
        if entry is None:
            # Cancelled before its order.submitted arrived: a zero-point marker so that
            # the late submission earns nothing.
            rule = domain.rule_on(await self.repo.rule_list(), placed_on)
            await self.repo.create_if_absent(
                customer_id=customer_id, order_id=order_id, order_number=number,
                order_total=None, earning_amount=None, points=0,
                status=domain.EntryStatus.CANCELLED.value, rule_version=rule.version,
                placed_on=None, cancelled_at=utcnow())
            return
        current = domain.EntryStatus(entry.status)
        if current is domain.EntryStatus.CANCELLED:
            return
        if entry.points:
            d = domain.reversal(current, entry.points)
            await self._move(entry, domain.MovementKind.REVERSED, -entry.points,
                       pending=d.pending, effective=d.effective)
        entry.points, entry.status = 0, domain.EntryStatus.CANCELLED.value
        entry.cancelled_at = utcnow()
        await self.session.flush()

    async def returned(self, *, order_id: uuid.UUID, return_id: uuid.UUID,
                       lines: Sequence[tuple[uuid.UUID, Decimal]]) -> None:
        """An approved return takes back the points of what came back (P-2)."""
        entry = await self.repo.get_by_order(order_id, for_update=True)
        if entry is None or entry.status == domain.EntryStatus.CANCELLED:
            log.warning("points_return_without_entry", order_id=str(order_id))
            return
        cats = await self.repo.categories(pid for pid, _ in lines)
        back = domain.earning_amount(domain.Line(cats.get(pid), amt) for pid, amt in lines)
        if back <= 0:
            return
        rule = next((r for r in await self.repo.rule_list()
                     if r.version == entry.rule_version), domain.DEFAULT_RULE)
        earning = entry.earning_amount if entry.earning_amount is not None else Decimal("0")
        entry.returned_amount = min(earning, entry.returned_amount + back)
        keep = domain.points_after_return(earning=earning, returned=entry.returned_amount,
                                          rule=rule, earned=entry.points,
                                          points_used=entry.points_used)
        taken = entry.points - keep
        if taken:
            d = domain.reversal(domain.EntryStatus(entry.status), taken)
            await self._move(entry, domain.MovementKind.REVERSED, -taken, pending=d.pending,
                       effective=d.effective, reference=f"return:{return_id}")
            entry.points = keep
        await self.session.flush()


class PointsService:
    """Balances, ledger, staff adjustments and the programme (P-1, P-3)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.repo = PointsRepository(session)

    async def _threshold(self) -> int:
        return await Ledger(self.session).threshold()

    async def balance(self, customer_id: uuid.UUID) -> domain.Balance:
        return await Ledger(self.session).balance(customer_id)

    async def redemptions(self, customer_id: uuid.UUID, *, limit: int,
                          offset: int) -> tuple[list[PointsRedemption], int]:
        return await self.repo.redemptions(customer_id, limit=limit, offset=offset)

    async def movements(self, customer_id: uuid.UUID, *, limit: int,
                        offset: int) -> tuple[list[PointsMovement], int]:
        return await self.repo.movements(customer_id, limit=limit, offset=offset)

    # ------------------------------------------------------------ console, per customer
    async def visible_customer(self, principal: Principal,
                               customer_id: uuid.UUID) -> CustomerView | None:
        """Staff bound to areas see their areas' customers only (C-7): another's is not
        found. Unbound staff see any customer, known to the read model or not."""
        customer = await self.repo.customer(customer_id)
        if principal.areas and (customer is None or customer.area not in principal.areas):
            raise NotFound("Customer not found")
        return customer

    async def customers(self, principal: Principal, *, q: str | None, limit: int,
                        offset: int) -> tuple[list[tuple[CustomerView, domain.Balance]], int]:
        rows, total = await self.repo.customers(areas=principal.areas, q=q, limit=limit,
                                                offset=offset)
        threshold = await self._threshold()
        return [(c, domain.balance(await self.repo.sums(c.customer_id), threshold))
                for c in rows], total

    async def adjust(self, principal: Principal, customer_id: uuid.UUID, *, points: int,
                     reason: str) -> PointsMovement:
        """Staff add or deduct points with a reason (audited: actor and time)."""
        await self.visible_customer(principal, customer_id)
        reason = domain.check_adjustment(points, reason)
        b = await self.balance(customer_id)
        domain.check_adjustment_balance(b.total, b.redeemed, b.reserved, points)
        if points < 0 and not await self.repo.debit_account(customer_id, -points):
            raise Unprocessable(f"the customer has only {max(b.remaining, 0)} points left; "
                                f"cannot deduct {-points}")
        rule = domain.rule_on(await self.repo.rule_list(), business_date())
        ledger = Ledger(self.session)
        movement = await ledger.move(
            customer_id, domain.MovementKind.ADJUSTED, points, effective=points,
            rule_version=rule.version, reason=reason, actor=principal.display,
            spent=points < 0)
        await ledger.announce_balances()
        return movement

    # ------------------------------------------------------------ programme
    async def programme(self) -> Programme:
        rules = await self.repo.rules()
        current = domain.rule_on(
            [domain.Rule(r.version, r.yuan_per_point, r.redeem_threshold, r.effective_from)
             for r in rules], business_date()).version
        return Programme(rules=rules, current=current,
                         event_months=await self.repo.event_months())

    @staticmethod
    def _may_change_programme(principal: Principal) -> None:
        if principal.areas:
            raise Forbidden("The points programme applies to every area; staff bound to "
                            "areas cannot change it (C-7)")

    async def announce_rule(self, principal: Principal, *, yuan_per_point: Decimal,
                            redeem_threshold: int, effective_from: date) -> RuleVersion:
        """Announce a new rule version (P-3); it shows on the portal at once and applies
        to orders placed from `effective_from`."""
        self._may_change_programme(principal)
        rows = await self.repo.lock_rules()
        latest = max((domain.Rule(r.version, r.yuan_per_point, r.redeem_threshold,
                                  r.effective_from) for r in rows),
                     key=lambda r: r.version, default=domain.DEFAULT_RULE)
        domain.check_new_rule(yuan_per_point=yuan_per_point, redeem_threshold=redeem_threshold,
                              effective_from=effective_from, today=business_date(),
                              latest=latest)
        row = RuleVersion(version=latest.version + 1, yuan_per_point=yuan_per_point,
                          redeem_threshold=redeem_threshold, effective_from=effective_from,
                          announced_at=utcnow(), announced_by=principal.display)
        self.repo.add(row)
        await self.session.flush()
        return row

    async def announce_event_months(self, principal: Principal,
                                    months: Sequence[str]) -> list[EventMonth]:
        self._may_change_programme(principal)
        announced = await self.repo.event_month_names()
        for month in domain.new_event_months(months, announced, business_date()):
            self.repo.add(EventMonth(month=month, announced_at=utcnow(),
                                     announced_by=principal.display))
        await self.session.flush()
        return await self.repo.event_months()

    async def description(self) -> tuple[str, str | None, object]:
        d = await self.repo.description()
        return (d.content, d.updated_by, d.updated_at) if d else ("", None, None)

    async def set_description(self, principal: Principal, content: str) -> None:
        self._may_change_programme(principal)
        await self.repo.set_description(domain.check_description(content),
                                        principal.display, utcnow())
