"""Order use cases: load through repositories, decide in the domain, write the timeline
and outbox rows in the same transaction. The request's session commits; nothing here
commits."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from functools import partial
from typing import Any

from dinghuo_contracts import (
    FieldChange,
    LineChange,
    OrderApproved,
    OrderCancellationRejected,
    OrderCancellationRequested,
    OrderCancelled,
    OrderCompleted,
    OrderCreditHeld,
    OrderCreditHoldReleased,
    OrderModified,
    OrderRejected,
    OrderSecondReviewRequired,
    OrderSubmitted,
)
from dinghuo_contracts import OrderLine as OrderLineEvent
from servicekit.auth import Principal
from servicekit.errors import Conflict, Forbidden, NotFound
from servicekit.readmodel import catch_up
from servicekit.timeutil import business_date, utcnow
from sqlalchemy.ext.asyncio import AsyncSession

from ..customers.repository import CustomerViewRepository
from ..models import CustomerView, Order, OrderEvent, OrderLine
from ..redemption import domain as redemption_domain
from ..redemption.domain import PointsStatus
from ..redemption.service import RedemptionService
from . import domain
from .domain import Action, OrderStatus
from .repository import OrderRepository
from .schemas import OrderIn, OrderModifyIn, ReorderIn, ReviewIn, StaffOrderIn
from .transitions import Transitions, log


def line_events(lines: Sequence[OrderLine]) -> list[OrderLineEvent]:
    return [OrderLineEvent(product_id=ln.product_id, name=ln.name, model=ln.model,
                           quantity=ln.quantity, unit_price=ln.unit_price,
                           line_total=ln.line_total) for ln in lines]


def _new_lines(priced: domain.PricedOrder) -> list[OrderLine]:
    return [OrderLine(id=uuid.uuid4(), position=i, product_id=ln.product_id, name=ln.name,
                      model=ln.model, quantity=ln.quantity, unit_price=ln.unit_price,
                      list_price=ln.list_price, line_total=ln.line_total)
            for i, ln in enumerate(priced.lines, start=1)]


def _snapshot(o: Order) -> domain.Snapshot:
    return domain.Snapshot(
        delivery_date=o.delivery_date, bill_type=o.bill_type, remark=o.remark, total=o.total,
        lines=tuple((ln.product_id, ln.name, ln.model, ln.quantity) for ln in o.lines))


def _set_hold(order: Order, hold: domain.Hold | None) -> None:
    """Put the order on credit hold with the figures it was judged on, or take it off."""
    order.credit_hold = hold is not None
    order.credit_hold_limit = hold.limit if hold else None
    order.credit_hold_outstanding = hold.outstanding if hold else None
    order.credit_hold_amount = hold.amount if hold else None


def hold_reason(order: Order, lang: str = "zh") -> str | None:
    """The reason an order is (or was last) held, in Chinese or English (B-3)."""
    if order.credit_hold_limit is None or order.credit_hold_outstanding is None:
        return None
    zh, en = domain.credit_hold_reason(order.credit_hold_limit, order.credit_hold_outstanding,
                                       order.credit_hold_amount or order.total)
    return en if lang == "en" else zh


class OrderService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.orders = OrderRepository(session)
        self.customers = CustomerViewRepository(session)
        self.transitions = Transitions(session, self.orders)

    # ---------------------------------------------------------------- placing (O-1, O-3)
    async def submit(self, principal: Principal, data: OrderIn) -> Order:
        """A customer submits an order priced at its own prices (O-1, O-3)."""
        assert principal.customer_id is not None
        locked = False
        customer = None
        if data.points_to_use == 0:
            # Issue 16: the customer's row is read once, locked (B-3) — it is current in
            # all but the first milliseconds after the approval. (With points the
            # balance is locked first, as ever, so the two locks keep one order.)
            customer = await self.customers.lock(principal.customer_id)
            locked = customer is not None and customer.status == "approved"
            if not locked and (customer is None or customer.status != "rejected"):
                # Not current yet: let go of the lock before waiting for the approval,
                # whose event handler updates this row (nothing is written yet).
                await self.session.rollback()
                customer = None
        if not locked:
            customer = await self._approved_customer(principal.customer_id)
        if customer is None or customer.status != "approved":
            raise Forbidden("Your company's registration has not been approved yet; "
                            "orders can be placed once staff have approved it")
        return await self._place(principal, customer, [
            domain.RequestedLine(ln.product_id, ln.quantity) for ln in data.lines],
            delivery_date=data.delivery_date, bill_type=data.bill_type, remark=data.remark,
            source="portal", points=data.points_to_use, locked=locked)

    async def enter_for_customer(self, principal: Principal, data: StaffOrderIn) -> Order:
        """Staff self-entry on a customer's behalf (O-1): marked source "staff", which
        earns no points (P-2)."""
        customer = await self._approved_customer(data.customer_id)
        if customer is None:
            known = await self.customers.get(data.customer_id)
            if known is None or not self._visible(principal, known):
                raise NotFound("Customer not found")
            raise Conflict(f"Customer {known.name} is {known.status.replace('_', ' ')}; "
                           "orders can be entered for approved customers only")
        if not self._visible(principal, customer):
            raise NotFound("Customer not found")
        return await self._place(principal, customer, [
            domain.RequestedLine(ln.product_id, ln.quantity) for ln in data.lines],
            delivery_date=data.delivery_date, bill_type=data.bill_type, remark=data.remark,
            source="staff")

    async def _place(self, principal: Principal, customer: CustomerView,
                     requested: list[domain.RequestedLine], *, delivery_date: date,
                     bill_type: str, remark: str | None, source: str,
                     timeline_data: dict[str, Any] | None = None, points: int = 0,
                     locked: bool = False) -> Order:
        catalog = await self.customers.catalog(customer.customer_id)
        priced = domain.price_order(catalog, requested)
        today = business_date()
        domain.check_delivery_date(today, delivery_date)
        # P-2: points the order cannot use are refused before anything is placed.
        redemption = RedemptionService(self.session)
        await redemption.hold(customer.customer_id, points,
                              [(ln.category, ln.line_total) for ln in priced.lines])
        # B-3: one customer's orders are judged against its credit limit one at a time.
        if not locked:  # `locked`: the caller read it locked in this transaction
            customer = await self.customers.lock(customer.customer_id) or customer
        # What it owes is only summed when it has a limit (one query less per order).
        outstanding = (Decimal("0") if customer.credit_limit is None
                       else await self.orders.customer_outstanding(customer.customer_id))
        hold = domain.credit_check(customer.credit_limit, outstanding, priced.total - points)
        seq = await self.orders.next_sequence(today)
        now = utcnow()
        order = Order(
            id=uuid.uuid4(), number=domain.order_number(today, seq),
            customer_id=customer.customer_id, customer_name=customer.name, source=source,
            status=OrderStatus.SUBMITTED.value, order_date=today,
            delivery_date=delivery_date, bill_type=bill_type,
            remark=(remark or "").strip() or None, total=priced.total,
            list_total=priced.list_total, total_quantity=sum(ln.quantity for ln in priced.lines),
            paid_total=Decimal("0"), invoiced=False, created_by=principal.display,
            created_at=now, updated_at=now,
            lines=_new_lines(priced), payments=[], shipments=[], returns=[],
        )
        _set_hold(order, hold)
        redemption.request(order, points)
        self.orders.add(order)
        await self.session.flush()
        await self.transitions.record(
            order, "submitted", principal,
            data={"source": source, "total": f"{order.total}",
                  **({"points_requested": points} if points else {}),
                  **(timeline_data or {})},
            event=OrderSubmitted(
                order_id=order.id, number=order.number, customer_id=order.customer_id,
                customer_name=order.customer_name, total=order.total, bill_type=bill_type,
                delivery_date=order.delivery_date, source=source,
                lines=line_events(order.lines), submitted_at=order.created_at,
                points_requested=points))
        if hold is not None:
            await self._held(order, hold, "submitted")
        return order

    async def _held(self, order: Order, hold: domain.Hold, trigger: str) -> None:
        """The order was put on credit hold (B-3): on its timeline, and staff are prompted
        (order.credit_held)."""
        await self.transitions.record(
            order, "credit_held", None, note=hold.reason,
            data={"credit_limit": f"{hold.limit}", "outstanding": f"{hold.outstanding}",
                  "amount": f"{hold.amount}", "reason_en": hold.reason_en},
            event=OrderCreditHeld(
                order_id=order.id, number=order.number, customer_id=order.customer_id,
                customer_name=order.customer_name, total=order.total,
                outstanding=hold.outstanding, credit_limit=hold.limit, reason=hold.reason,
                reason_en=hold.reason_en, trigger=trigger, held_at=utcnow()))

    async def release_credit_hold(self, principal: Principal, order_id: uuid.UUID,
                                  note: str | None) -> Order:
        """Finance releases a held order (B-3): it can be reviewed as usual. The release
        is good for the order's current total; a modification to a larger one holds it
        again."""
        order = await self.get(order_id, principal, for_update=True)
        status = OrderStatus(order.status)
        domain.release_credit_hold(status, order.credit_hold)
        reason = hold_reason(order)
        now = utcnow()
        order.credit_hold = False
        order.credit_released_by, order.credit_released_at = principal.display, now
        order.credit_release_note, order.credit_released_total = note, order.total
        # The order stays where it is (submitted): the release only lets it be reviewed.
        await self.transitions.apply(
            order, Action.RELEASE_CREDIT_HOLD, status, principal,
            entry="credit_hold_released", note=note,
            data={"total": f"{order.total}", "reason": reason},
            event=OrderCreditHoldReleased(
                order_id=order.id, number=order.number, customer_id=order.customer_id,
                total=order.total, note=note, released_by=principal.display,
                released_at=now), at=now)
        return order

    async def credit(self, principal: Principal, customer_id: uuid.UUID
                     ) -> tuple[CustomerView, Decimal, int]:
        """A customer's credit limit, what it owes on its open orders and how many of its
        orders are held (B-3)."""
        customer = await self.customers.get(customer_id)
        if customer is None or not self._visible(principal, customer):
            raise NotFound("Customer not found")
        return (customer, await self.orders.customer_outstanding(customer_id),
                await self.orders.held_count(customer_id))

    async def _approved_customer(self, customer_id: uuid.UUID) -> CustomerView | None:
        """The customer if approved. An approval travels by event (milliseconds), so a
        customer who orders the moment it is approved gets a short grace period rather
        than a refusal."""
        customer = await catch_up(
            lambda: self.customers.fresh(customer_id),
            lambda c: c is not None and c.status in ("approved", "rejected"))
        return customer if customer is not None and customer.status == "approved" else None

    @staticmethod
    def _visible(principal: Principal, customer: CustomerView) -> bool:
        """Staff bound to areas see the customers of those areas only (C-7)."""
        return not principal.areas or customer.area in principal.areas

    # ---------------------------------------------------------------- reading
    async def get_for_customer(self, principal: Principal, order_id: uuid.UUID, *,
                               for_update: bool = False) -> Order:
        order = await self.orders.get(order_id, customer_id=principal.customer_id,
                                      for_update=for_update)
        if order is None:  # another customer's order is simply not there (404)
            raise NotFound("Order not found")
        return order

    async def get(self, order_id: uuid.UUID, principal: Principal | None = None, *,
                  for_update: bool = False) -> Order:
        """An order as staff see it; outside the staff member's areas it is not there."""
        areas = principal.areas if principal is not None else frozenset()
        order = await self.orders.get(order_id, areas=areas, for_update=for_update)
        if order is None:
            raise NotFound("Order not found")
        return order

    async def get_either(self, principal: Principal, order_id: uuid.UUID, *,
                         for_update: bool = False) -> Order:
        if principal.kind == "customer":
            return await self.get_for_customer(principal, order_id, for_update=for_update)
        return await self.get(order_id, principal, for_update=for_update)

    async def list(self, f: domain.OrderFilter, *, sort: str, limit: int,
                   offset: int) -> tuple[list[Order], int]:
        return await self.orders.list(f.check(), sort=sort, limit=limit, offset=offset)

    async def timeline(self, principal: Principal, order_id: uuid.UUID) -> list[OrderEvent]:
        order = await self.get_either(principal, order_id)
        return await self.orders.timeline(order.id)

    # ---------------------------------------------------------------- modify (O-4)
    async def modify(self, principal: Principal, order_id: uuid.UUID, data: OrderModifyIn,
                     if_match: int | None) -> Order:
        """The customer changes its unreviewed order; it goes back to review and staff get
        a prompt with what changed. A change from an out-of-date copy is a 409."""
        order = await self.get_for_customer(principal, order_id, for_update=True)
        domain.modify(OrderStatus(order.status))
        domain.check_version(order.version, data.version if data.version is not None
                             else if_match)
        before = _snapshot(order)
        given = data.model_fields_set
        # Read before changing anything: a query would flush half a change (and bump the
        # version twice).
        catalog = (await self.customers.catalog(order.customer_id)
                   if "lines" in given and data.lines is not None else {})
        # B-3: judged again with what the customer owes on its other orders.
        customer = await self.customers.lock(order.customer_id)
        limit = customer.credit_limit if customer is not None else None
        outstanding = await self.orders.customer_outstanding(order.customer_id,
                                                             excluding=order.id)
        if "delivery_date" in given and data.delivery_date is not None:
            domain.check_delivery_date(order.order_date, data.delivery_date)
            order.delivery_date = data.delivery_date
        if "bill_type" in given and data.bill_type is not None:
            order.bill_type = data.bill_type
        if "remark" in given:
            order.remark = (data.remark or "").strip() or None
        if "lines" in given and data.lines is not None:
            # Re-priced at today's prices: the order has not been reviewed yet.
            priced = domain.price_order(catalog, [
                domain.RequestedLine(ln.product_id, ln.quantity) for ln in data.lines])
            if order.points_status in (PointsStatus.REQUESTED, PointsStatus.RESERVED):
                redemption_domain.check_modification(
                    order.points_used or order.points_requested,
                    redemption_domain.redeemable_value(
                        (ln.category, ln.line_total) for ln in priced.lines))
            order.lines = _new_lines(priced)
            order.total, order.list_total = priced.total, priced.list_total
            order.total_quantity = sum(ln.quantity for ln in priced.lines)
        changes, line_changes = domain.diff(before, _snapshot(order))
        if not changes:
            return order  # nothing changed: no new version, no event
        previous_total = before.total
        was_held = order.credit_hold
        hold = domain.hold_after_modify(
            domain.credit_check(limit, outstanding, order.total - order.points_used),
            released_total=order.credit_released_total, total=order.total)
        _set_hold(order, hold)
        data_changes = [{"field": c.field, "before": c.before, "after": c.after}
                        for c in changes if c.field != "lines"]
        data_lines = [{"product_id": str(lc.product_id), "name": lc.name, "model": lc.model,
                       "quantity_before": lc.quantity_before,
                       "quantity_after": lc.quantity_after} for lc in line_changes]
        # The new updated_at also bumps the version when only lines changed; the entry
        # and the event carry the version the flush gave the order.
        await self.transitions.apply(
            order, Action.MODIFY, domain.modify(OrderStatus(order.status)), principal,
            entry="modified",
            data=lambda o: {"changes": data_changes, "line_changes": data_lines,
                            "version": o.version},
            event=lambda o: OrderModified(
                order_id=o.id, number=o.number, customer_id=o.customer_id,
                customer_name=o.customer_name, source=o.source, total=o.total,
                previous_total=previous_total, bill_type=o.bill_type,
                delivery_date=o.delivery_date,
                changes=[FieldChange(field=c.field, before=c.before, after=c.after)
                         for c in changes if c.field != "lines"],
                line_changes=[LineChange(product_id=lc.product_id, name=lc.name,
                                         model=lc.model, quantity_before=lc.quantity_before,
                                         quantity_after=lc.quantity_after)
                              for lc in line_changes],
                lines=line_events(o.lines), order_version=o.version,
                modified_by=principal.display, modified_at=o.updated_at))
        if hold is not None and not was_held:
            await self._held(order, hold, "modified")
        elif hold is None and was_held:
            log(self.orders, order, "credit_hold_cleared", None,
                data={"total": f"{order.total}"})
        return order

    # ---------------------------------------------------------------- review (O-5)
    async def review(self, principal: Principal, data: ReviewIn,
                     threshold: Decimal | None, default_terms: int) -> list[Order]:
        """Batch review (O-5): all listed orders get the decision, or none does. Above
        the threshold an approval is the first of two, by different reviewers. An
        approved order gets its due date from the customer's payment terms, or
        `default_terms` days while they are not known here (O-6)."""
        ids = list(dict.fromkeys(data.order_ids))
        orders = await self.orders.get_many_for_update(ids, principal.areas)
        missing = set(ids) - {o.id for o in orders}
        if missing:
            raise NotFound("Orders not found: " + ", ".join(sorted(str(m) for m in missing)))
        approve = data.decision == domain.Decision.APPROVE
        outcome: dict[uuid.UUID, OrderStatus] = {}
        problems = []
        for o in orders:
            try:
                outcome[o.id] = domain.approve(
                    OrderStatus(o.status), reviewer=principal.display, total=o.total,
                    threshold=threshold, first_reviewer=o.first_reviewed_by,
                    credit_hold=hold_reason(o, "en") if o.credit_hold else None,
                ) if approve else domain.reject(OrderStatus(o.status))
            except (domain.IllegalTransition, domain.CreditHeld) as exc:
                problems.append((f"{o.number}: {exc.message}", isinstance(exc, domain.CreditHeld)))
        if problems:
            error = (domain.CreditHeld if all(held for _, held in problems)
                     else domain.IllegalTransition)
            raise error("No order was reviewed: " + "; ".join(p for p, _ in problems))
        now = utcnow()
        reason = (data.reason or "").strip() or None
        by_id = {o.id: o for o in orders}
        terms = await self.customers.payment_terms(
            {o.customer_id for o in orders if outcome[o.id] is OrderStatus.APPROVED})
        # One flush for the whole batch: each order's version moves on once.
        step = partial(self.transitions.apply, actor=principal, note=reason, at=now,
                       flush=False)
        for oid in ids:
            o, new = by_id[oid], outcome[oid]
            approval = (Action.SECOND_APPROVE
                        if o.status == OrderStatus.PENDING_SECOND_REVIEW else Action.APPROVE)
            if new is OrderStatus.PENDING_SECOND_REVIEW:
                o.first_reviewed_by, o.first_reviewed_at = principal.display, now
                await step(o, approval, new, entry="first_approved",
                           event=OrderSecondReviewRequired(
                               order_id=o.id, number=o.number, customer_id=o.customer_id,
                               customer_name=o.customer_name, total=o.total,
                               first_reviewed_by=principal.display, first_reviewed_at=now))
            elif new is OrderStatus.APPROVED:
                o.reviewed_by, o.reviewed_at, o.review_reason = principal.display, now, reason
                # P-2: the approval counts on the reserved points only.
                points, used = redemption_domain.at_approval(PointsStatus(o.points_status),
                                                             o.points_used)
                if points.value != o.points_status:
                    o.points_status, o.points_reason = (points.value,
                                                        redemption_domain.NOT_CONFIRMED)
                days = domain.payment_terms(terms.get(o.customer_id), default_terms)
                o.due_date = domain.due_date(business_date(now), days)
                await step(o, approval, new, entry="approved",
                           data={"due_date": o.due_date.isoformat(),
                                 "payment_terms_days": days})
                # Reviewed orders move to the "processed" group automatically (O-5).
                await step(o, Action.START_PROCESSING, domain.start_processing(new),
                           entry="processing", actor=None, note=None,
                           event=OrderApproved(
                               order_id=o.id, number=o.number, customer_id=o.customer_id,
                               reviewed_by=principal.display, reviewed_at=now,
                               points_used=used))
            else:
                o.reviewed_by, o.reviewed_at, o.review_reason = principal.display, now, reason
                o.credit_hold = False  # a hold ends with the order (B-3)
                await step(o, Action.REJECT, new, entry="rejected",
                           event=OrderRejected(
                               order_id=o.id, number=o.number, customer_id=o.customer_id,
                               reason=reason, reviewed_by=principal.display,
                               reviewed_at=now))
        await self.session.flush()
        return [by_id[oid] for oid in ids]

    # ---------------------------------------------------------------- cancellation (O-5)
    async def cancel(self, principal: Principal, order_id: uuid.UUID,
                     reason: str | None) -> Order:
        """The customer cancels its order before review."""
        order = await self.get_for_customer(principal, order_id, for_update=True)
        to = domain.cancel(OrderStatus(order.status))
        now = utcnow()
        order.cancel_reason = reason
        order.credit_hold = False  # a hold ends with the order (B-3)
        await self.transitions.apply(
            order, Action.CANCEL, to, principal, entry="cancelled", note=reason,
            event=self._cancelled(order, principal, reason, now), at=now)
        return order

    async def request_cancellation(self, principal: Principal, order_id: uuid.UUID,
                                   reason: str) -> Order:
        """After review the customer can only ask; staff decide (O-5)."""
        order = await self.get_for_customer(principal, order_id, for_update=True)
        current = OrderStatus(order.status)
        to = domain.request_cancellation(current)
        now = utcnow()
        order.status_before_cancellation, order.cancel_reason = current.value, reason
        await self.transitions.apply(
            order, Action.REQUEST_CANCELLATION, to, principal,
            entry="cancellation_requested", note=reason,
            event=OrderCancellationRequested(
                order_id=order.id, number=order.number, customer_id=order.customer_id,
                customer_name=order.customer_name, total=order.total, reason=reason,
                requested_by=principal.display, requested_at=now), at=now)
        return order

    async def decide_cancellation(self, principal: Principal, order_id: uuid.UUID, *,
                                  approve: bool, reason: str | None) -> Order:
        order = await self.get(order_id, principal, for_update=True)
        current = OrderStatus(order.status)
        previous = (OrderStatus(order.status_before_cancellation)
                    if order.status_before_cancellation else None)
        new = domain.decide_cancellation(current, approve=approve, previous=previous)
        order.status_before_cancellation = None
        now = utcnow()
        if approve:
            await self.transitions.apply(
                order, Action.APPROVE_CANCELLATION, new, principal,
                entry="cancellation_approved", note=reason,
                event=self._cancelled(order, principal, order.cancel_reason, now), at=now)
        else:
            await self.transitions.apply(
                order, Action.REJECT_CANCELLATION, new, principal,
                entry="cancellation_rejected", note=reason,
                event=OrderCancellationRejected(
                    order_id=order.id, number=order.number, customer_id=order.customer_id,
                    status=new.value, reason=reason, decided_by=principal.display,
                    decided_at=now), at=now)
        return order

    @staticmethod
    def _cancelled(order: Order, principal: Principal, reason: str | None,
                   at: datetime) -> OrderCancelled:
        return OrderCancelled(
            order_id=order.id, number=order.number, customer_id=order.customer_id,
            customer_name=order.customer_name, total=order.total, source=order.source,
            reason=reason, cancelled_by=principal.display, cancelled_by_kind=principal.kind,
            cancelled_at=at)

    # ---------------------------------------------------------------- completion (O-8)
    async def complete(self, principal: Principal, order_id: uuid.UUID, note: str) -> Order:
        """Staff settle a shortage and close the order."""
        order = await self.get(order_id, principal, for_update=True)
        to = domain.complete(OrderStatus(order.status))
        now = utcnow()
        await self.transitions.apply(
            order, Action.COMPLETE, to, principal, entry="completed", note=note,
            event=OrderCompleted(
                order_id=order.id, number=order.number, customer_id=order.customer_id,
                total=order.total, completed_at=now, note=note), at=now)
        return order

    # ---------------------------------------------------------------- reorder (O-11)
    async def reorder(self, principal: Principal, order_id: uuid.UUID,
                      data: ReorderIn) -> tuple[Order, list[domain.Skipped]]:
        """A new order from a previous one, at today's prices; lines whose product left
        the catalogue are reported back."""
        old = await self.get_for_customer(principal, order_id)
        today = business_date()
        delivery = data.delivery_date or domain.reorder_delivery_date(
            today, old.order_date, old.delivery_date)
        return await self.order_again(
            principal, [(ln.product_id, ln.name, ln.model, ln.quantity) for ln in old.lines],
            delivery_date=delivery, bill_type=data.bill_type or old.bill_type,
            remark=data.remark, timeline_data={"reordered_from": old.number})

    async def order_again(self, principal: Principal,
                          lines: list[tuple[uuid.UUID, str, str, int]], *,
                          delivery_date: date, bill_type: str, remark: str | None,
                          timeline_data: dict[str, Any]
                          ) -> tuple[Order, list[domain.Skipped]]:
        assert principal.customer_id is not None
        customer = await self._approved_customer(principal.customer_id)
        if customer is None:
            raise Forbidden("Your company is not approved for ordering")
        catalog = await self.customers.catalog(customer.customer_id)
        requested, skipped = domain.split_reorder(catalog, lines)
        if skipped:
            timeline_data = {**timeline_data, "skipped": [
                {"product_id": str(s.product_id), "name": s.name, "model": s.model,
                 "quantity": s.quantity} for s in skipped]}
        order = await self._place(principal, customer, requested, delivery_date=delivery_date,
                                  bill_type=bill_type, remark=remark, source="portal",
                                  timeline_data=timeline_data)
        return order, skipped

    # ---------------------------------------------------------------- invoiced (O-7)
    async def mark_invoiced(self, order_ids: list[uuid.UUID], customer_id: uuid.UUID,
                            invoice_number: str) -> None:
        for order in await self.orders.mark_invoiced(order_ids, customer_id):
            log(self.orders, order, "invoiced", None, data={"invoice_number": invoice_number})
