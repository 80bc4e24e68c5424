"""Anomaly analysis use cases (A-3, A-4, B-6): table 1 of customers past their ordering
cycle, table 2 of one customer, follow-ups, a customer's order status and consumables,
and the daily count of customers past their cycle per area (the worker's job). Staff
bound to areas reach the customers of their areas only (C-7); another customer is a 404.
The request's session commits; nothing here does."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal

from servicekit.auth import Principal
from servicekit.errors import NotFound
from servicekit.timeutil import business_date

from ..models import AnomalyFollowUp, CustomerView
from . import anomalies_domain as domain
from .anomalies_repository import AnomalyRepository
from .anomalies_schemas import (
    AnomalyCustomer,
    AnomalyDetail,
    AnomalyRow,
    ConsumableLine,
    CustomerConsumables,
    CustomerStatusOut,
    CycleOut,
    CycleStep,
    FollowUpIn,
    FollowUpOut,
    RecentOrder,
)


def _cycle_out(cycle: domain.Cycle | None) -> CycleOut | None:
    if cycle is None:
        return None
    return CycleOut(kind=cycle.kind.value, days=cycle.days, weekday=cycle.weekday)


def _status_out(a: domain.Assessment, cycle: domain.Cycle | None) -> CustomerStatusOut:
    return CustomerStatusOut(status=a.standing.value, reason=domain.reason(a, cycle),
                             reason_code=a.reason.value, expected_date=a.expected_date,
                             days_overdue=a.days_overdue, last_order_date=a.last_order_date)


class AnomalyService:
    def __init__(self, session) -> None:
        self.session = session
        self.repo = AnomalyRepository(session)

    # ---------------------------------------------------------------- table 1
    async def overdue(self, staff: Principal, today: date, *, area: str | None,
                      processing: str | None, min_days: int | None, q: str | None,
                      sort: str, limit: int, offset: int) -> tuple[list[AnomalyRow], int]:
        rows, total = await self.repo.overdue(
            today, staff.areas, area=area, processing=processing, min_days=min_days, q=q,
            sort=sort, limit=limit, offset=offset)
        totals = await self.repo.recent_totals(r.customer_id for r in rows)
        out = []
        for r in rows:
            cycle = domain.cycle_of(r.cycle_kind, r.cycle_days, r.cycle_weekday)
            assert cycle is not None  # the SQL measures valid cycles only
            out.append(AnomalyRow(
                customer_id=r.customer_id, customer_number=r.customer_number, name=r.name,
                area=r.area, grade=r.grade, last_order_date=r.last_order_date,
                cycle=_cycle_out(cycle), expected_date=r.expected_date,
                days_overdue=r.days_overdue,
                usual_value=domain.usual_value(totals.get(r.customer_id, [])),
                processing_status=r.processing_status))
        return out, total

    # ---------------------------------------------------------------- one customer
    async def _customer(self, staff: Principal, customer_id: uuid.UUID) -> CustomerView:
        customer = await self.repo.customer(customer_id, staff.areas)
        if customer is None:
            raise NotFound("Customer not found")
        return customer

    async def _assess(self, customer: CustomerView,
                      today: date) -> tuple[domain.Cycle | None, domain.Assessment]:
        cycle = domain.cycle_of(customer.cycle_kind, customer.cycle_days,
                                customer.cycle_weekday)
        last = await self.repo.last_order_date(customer.customer_id)
        return cycle, domain.assess(cycle, last, customer.cycle_since, today,
                                    approved=customer.status == "approved")

    async def status(self, staff: Principal, customer_id: uuid.UUID,
                     today: date) -> CustomerStatusOut:
        customer = await self._customer(staff, customer_id)
        cycle, a = await self._assess(customer, today)
        return _status_out(a, cycle)

    async def detail(self, staff: Principal, customer_id: uuid.UUID,
                     today: date) -> AnomalyDetail:
        customer = await self._customer(staff, customer_id)
        cycle, a = await self._assess(customer, today)
        counted = await self.repo.counted_orders(customer_id,
                                                 domain.HISTORY_INTERVALS + 1)
        follow_ups = await self.repo.follow_ups(customer_id)
        recent = await self.repo.recent_orders(customer_id)
        return AnomalyDetail(
            customer=AnomalyCustomer(
                customer_id=customer.customer_id, customer_number=customer.customer_number,
                name=customer.name, area=customer.area, grade=customer.grade,
                machines=customer.machine_count, status=customer.status,
                cycle=_cycle_out(cycle), cycle_since=customer.cycle_since),
            standing=_status_out(a, cycle),
            usual_value=domain.usual_value([t for _, _, t in reversed(counted)]),
            processing_status=(domain.processing_status(
                [(f.due_date, f.status) for f in follow_ups], a.expected_date)
                if a.abnormal else None),
            recent_orders=[RecentOrder(id=o.id, number=o.number, order_date=o.order_date,
                                       status=o.status, total=o.total) for o in recent],
            cycle_history=[CycleStep(order_number=s.order_number, order_date=s.order_date,
                                     days_since_previous=s.days_since_previous,
                                     expected_date=s.expected_date, late=s.late)
                           for s in domain.cycle_history(
                               [(n, d) for n, d, _ in counted], cycle)],
            follow_ups=[FollowUpOut.model_validate(f) for f in follow_ups])

    async def add_follow_up(self, staff: Principal, customer_id: uuid.UUID, body: FollowUpIn,
                            today: date) -> FollowUpOut:
        """Record a follow-up of the customer's current miss (409 when it is not past
        its cycle)."""
        customer = await self._customer(staff, customer_id)
        _, a = await self._assess(customer, today)
        due = domain.ensure_overdue(a)
        follow_up = await self.repo.add_follow_up(AnomalyFollowUp(
            customer_id=customer_id, due_date=due, status=body.status, note=body.note,
            recorded_by=staff.display[:100]))
        return FollowUpOut.model_validate(follow_up)

    async def consumables(self, staff: Principal, customer_id: uuid.UUID, months: int,
                          today: date) -> CustomerConsumables:
        await self._customer(staff, customer_id)
        start = domain.months_back(today, months)
        rows = await self.repo.consumables(customer_id, start, today)
        lines = [ConsumableLine(order_date=d, order_number=n, model=m, name=name,
                                quantity=q, amount=amount)
                 for d, n, m, name, q, amount in rows]
        return CustomerConsumables(
            customer_id=customer_id, months=months, date_from=start, date_to=today,
            total_quantity=sum(line.quantity for line in lines),
            total_amount=sum((line.amount for line in lines), Decimal("0.00")), lines=lines)

    # ---------------------------------------------------------------- daily counts
    async def snapshot(self, now: datetime) -> int:
        """Today's count of customers past their cycle per area (replacing the day's
        earlier count), and the missing days of the last `SNAPSHOT_DAYS` filled in from
        the order history with the current cycles. Returns the days written."""
        today = business_date(now)
        areas = await self.repo.measured_areas()
        counts = await self.repo.overdue_per_area(today)
        await self.repo.replace_snapshot(today, {a: counts.get(a, 0)
                                                 for a in areas | counts.keys()})
        start, end = domain.snapshot_window(today)
        have = await self.repo.snapshot_days(start, end)
        missing = [start + timedelta(days=i) for i in range((end - start).days + 1)
                   if start + timedelta(days=i) not in have]
        written = 1
        if missing and areas:
            per_day = await self.repo.overdue_per_day(min(missing), max(missing))
            for day in missing:
                found = per_day.get(day, {})
                await self.repo.replace_snapshot(day, {a: found.get(a, 0)
                                                       for a in areas | found.keys()})
                written += 1
        return written
