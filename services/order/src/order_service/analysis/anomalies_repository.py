"""The SQL of anomaly analysis (A-3, A-4, B-6): the ordering-cycle rule of
`anomalies_domain` computed over every customer in one statement — each customer's last
counted order (a LATERAL top-1 on the index ix_orders_customer_id_order_date), its
expected date from its cycle, the latest follow-up of that date — and the customer's own
orders, consumables and follow-ups (C-7: staff bound to areas see their areas only)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date

from servicekit.search import contains
from servicekit.upsert import insert
from sqlalchemy import (
    Date,
    Integer,
    Row,
    and_,
    case,
    cast,
    column,
    delete,
    exists,
    extract,
    func,
    literal,
    select,
    true,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from ..models import (
    AnomalyFollowUp,
    AnomalySnapshot,
    CatalogItemView,
    CustomerView,
    Order,
    OrderLine,
)
from .anomalies_domain import OPEN, RECENT_ORDERS, USUAL_VALUE_ORDERS
from .domain import NOT_COUNTED
from .repository import _consumable

# Table 1's sorts; a leading '-' sorts descending.
SORTS = ("-days_overdue", "days_overdue", "-last_order_date", "last_order_date",
         "expected_date", "-expected_date", "name", "-name")


def _counted() -> ColumnElement[bool]:
    return Order.status.not_in(NOT_COUNTED)


def _day(value: date) -> ColumnElement[date]:
    return literal(value, Date)


def expected_sql(base, kind, days, weekday) -> ColumnElement[date]:
    """`anomalies_domain.expected_date` in SQL from a base date (the last counted order,
    else the day the cycle was set): every N days → base + N; weekly → the first such
    weekday after base (ISO weekdays, 1 = Monday). NULL without a base or a valid cycle."""
    ahead = func.mod(weekday - cast(extract("isodow", base), Integer) + 6, 7,
                     type_=Integer) + 1
    return case(
        (and_(kind == "days", days >= 1), base + days),
        (and_(kind == "weekday", weekday.between(1, 7)), base + ahead),
        else_=None)


def last_order(customer_id):
    """The customer's latest counted order date, as a LATERAL subquery: one short
    backward scan of the index on (customer_id, order_date) per customer (an aggregate
    over every order grows with the history; this stays with the customers)."""
    return (select(Order.order_date.label("last_order_date"))
            .where(Order.customer_id == customer_id, _counted())
            .order_by(Order.order_date.desc()).limit(1).lateral("last_order"))


def _measured(areas: frozenset[str]):
    """Approved customers with a cycle (of the given areas, when any) and their last
    counted order and expected date."""
    cv = CustomerView
    last = last_order(cv.customer_id)
    base = func.coalesce(last.c.last_order_date, cv.cycle_since)
    stmt = (select(cv.customer_id, cv.customer_number, cv.name, cv.area, cv.grade,
                   cv.cycle_kind, cv.cycle_days, cv.cycle_weekday, cv.cycle_since,
                   last.c.last_order_date,
                   expected_sql(base, cv.cycle_kind, cv.cycle_days,
                                cv.cycle_weekday).label("expected_date"))
            .select_from(cv).outerjoin(last, true())
            .where(cv.status == "approved", cv.cycle_kind.is_not(None)))
    if areas:
        stmt = stmt.where(cv.area.in_(sorted(areas)))
    return stmt.subquery("measured")


def _overdue(today: date, areas: frozenset[str]):
    """Table 1 before its filters: customers whose expected date is before `today`, with
    the days overdue and the processing status of their current miss."""
    m = _measured(areas).c
    f = AnomalyFollowUp
    latest = (select(f.status)
              .where(f.customer_id == m.customer_id, f.due_date == m.expected_date)
              .order_by(f.recorded_at.desc()).limit(1).scalar_subquery())
    return (select(*m, (_day(today) - m.expected_date).label("days_overdue"),
                   func.coalesce(latest, OPEN).label("processing_status"))
            .where(m.expected_date < today).subquery("overdue"))


def _order_by(o, sort: str) -> list:
    key = sort.lstrip("-")
    col = {"days_overdue": o.days_overdue, "last_order_date": o.last_order_date,
           "expected_date": o.expected_date, "name": o.name}[key]
    first = col.desc().nulls_last() if sort.startswith("-") else col.asc().nulls_first()
    return [first, o.days_overdue.desc(), o.name, o.customer_id]


class AnomalyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # ---------------------------------------------------------------- table 1
    async def overdue(self, today: date, areas: frozenset[str], *, area: str | None,
                      processing: str | None, min_days: int | None, q: str | None,
                      sort: str, limit: int, offset: int) -> tuple[Sequence[Row], int]:
        """One page of the customers past their cycle and how many there are."""
        o = _overdue(today, areas)
        filters: list[ColumnElement[bool]] = []
        if area == "":
            filters.append(func.coalesce(o.c.area, "") == "")
        elif area is not None:
            # part of the area, as typed: "深圳" finds "广东省/深圳市"
            filters.append(contains(area, o.c.area))
        if processing is not None:
            filters.append(o.c.processing_status == processing)
        if min_days is not None:
            filters.append(o.c.days_overdue >= min_days)
        if q:
            filters.append(contains(q, o.c.name, o.c.customer_number))
        # the count rides along with the page (one pass over the orders); a page past
        # the end has no row to carry it and asks for it on its own
        rows = (await self.session.execute(
            select(o, func.count().over().label("total")).where(*filters)
            .order_by(*_order_by(o.c, sort)).limit(limit).offset(offset))).all()
        if rows:
            return rows, rows[0].total
        total = (await self.session.execute(
            select(func.count()).select_from(o).where(*filters))).scalar_one()
        return rows, total

    async def recent_totals(self, customer_ids: Iterable[uuid.UUID],
                            n: int = USUAL_VALUE_ORDERS) -> dict[uuid.UUID, list]:
        """The totals of each customer's last `n` counted orders, newest first."""
        ids = list(customer_ids)
        if not ids:
            return {}
        rank = func.row_number().over(partition_by=Order.customer_id,
                                      order_by=(Order.order_date.desc(),
                                                Order.created_at.desc())).label("n")
        ranked = (select(Order.customer_id, Order.total, rank)
                  .where(Order.customer_id.in_(ids), _counted()).subquery())
        rows = (await self.session.execute(
            select(ranked.c.customer_id, ranked.c.total).where(ranked.c.n <= n)
            .order_by(ranked.c.customer_id, ranked.c.n))).all()
        out: dict[uuid.UUID, list] = {}
        for cid, total in rows:
            out.setdefault(cid, []).append(total)
        return out

    # ---------------------------------------------------------------- one customer
    async def customer(self, customer_id: uuid.UUID,
                       areas: frozenset[str]) -> CustomerView | None:
        stmt = select(CustomerView).where(CustomerView.customer_id == customer_id)
        if areas:
            stmt = stmt.where(CustomerView.area.in_(sorted(areas)))
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def last_order_date(self, customer_id: uuid.UUID) -> date | None:
        return (await self.session.execute(
            select(func.max(Order.order_date))
            .where(Order.customer_id == customer_id, _counted()))).scalar_one()

    async def recent_orders(self, customer_id: uuid.UUID,
                            n: int = RECENT_ORDERS) -> Sequence[Row]:
        """The customer's last `n` orders of any status, newest first."""
        return (await self.session.execute(
            select(Order.id, Order.number, Order.order_date, Order.status, Order.total)
            .where(Order.customer_id == customer_id)
            .order_by(Order.order_date.desc(), Order.created_at.desc()).limit(n))).all()

    async def counted_orders(self, customer_id: uuid.UUID, n: int) -> list[tuple]:
        """(number, order date) of the customer's last `n` counted orders, oldest first."""
        rows = (await self.session.execute(
            select(Order.number, Order.order_date, Order.total)
            .where(Order.customer_id == customer_id, _counted())
            .order_by(Order.order_date.desc(), Order.created_at.desc()).limit(n))).all()
        return list(reversed(rows))

    async def follow_ups(self, customer_id: uuid.UUID) -> Sequence[AnomalyFollowUp]:
        """Every follow-up of the customer, newest first."""
        return (await self.session.execute(
            select(AnomalyFollowUp).where(AnomalyFollowUp.customer_id == customer_id)
            .order_by(AnomalyFollowUp.recorded_at.desc()))).scalars().all()

    async def add_follow_up(self, follow_up: AnomalyFollowUp) -> AnomalyFollowUp:
        self.session.add(follow_up)
        await self.session.flush()
        return follow_up

    async def consumables(self, customer_id: uuid.UUID, start: date,
                          end: date) -> Sequence[Row]:
        """The customer's consumable lines of counted orders dated `start`..`end`, newest
        first (the summaries' consumable rule)."""
        return (await self.session.execute(
            select(Order.order_date, Order.number, OrderLine.model, OrderLine.name,
                   OrderLine.quantity, OrderLine.line_total)
            .select_from(OrderLine).join(Order, Order.id == OrderLine.order_id)
            .join(CatalogItemView, and_(CatalogItemView.customer_id == Order.customer_id,
                                        CatalogItemView.product_id == OrderLine.product_id),
                  isouter=True)
            .where(Order.customer_id == customer_id, _counted(), _consumable(),
                   Order.order_date >= start, Order.order_date <= end)
            .order_by(Order.order_date.desc(), Order.number.desc(),
                      OrderLine.position))).all()

    # ---------------------------------------------------------------- daily counts
    async def overdue_per_area(self, today: date) -> dict[str, int]:
        """How many customers are past their cycle today per area ('' for none): table
        1's rule, every area."""
        o = _overdue(today, frozenset())
        area = func.coalesce(o.c.area, "")
        rows = (await self.session.execute(
            select(area, func.count()).select_from(o).group_by(area))).all()
        return {a: n for a, n in rows}

    async def measured_areas(self) -> set[str]:
        """The areas of the approved customers with a cycle ('' for none)."""
        cv = CustomerView
        rows = (await self.session.execute(
            select(func.coalesce(cv.area, "")).distinct()
            .where(cv.status == "approved", cv.cycle_kind.is_not(None)))).scalars()
        return set(rows)

    async def snapshot_days(self, start: date, end: date) -> set[date]:
        rows = (await self.session.execute(
            select(AnomalySnapshot.day).distinct()
            .where(AnomalySnapshot.day >= start, AnomalySnapshot.day <= end))).scalars()
        return set(rows)

    async def overdue_per_day(self, start: date, end: date) -> dict[date, dict[str, int]]:
        """How many customers were past their cycle on each day of `start`..`end` per
        area, from the order history with the current cycles (`anomalies_domain.
        abnormal_on` in SQL): each counted order starts an interval up to the next one
        (the day the cycle was set starts one for a customer with no order yet); a
        customer is overdue on the days of an interval after its expected date."""
        cv, counted = CustomerView, _counted()
        cycles = (select(cv.customer_id, func.coalesce(cv.area, "").label("area"),
                         cv.cycle_kind, cv.cycle_days, cv.cycle_weekday, cv.cycle_since)
                  .where(cv.status == "approved", cv.cycle_kind.is_not(None))
                  .cte("cycles"))
        c = cycles.c
        before = and_(Order.customer_id == c.customer_id, counted, Order.order_date <= start)
        points = union_all(
            # the last order on or before the first day: the interval the window opens in
            select(Order.customer_id, func.max(Order.order_date).label("day"),
                   literal(1).label("rank"))
            .where(counted, Order.order_date <= start).group_by(Order.customer_id),
            select(Order.customer_id, Order.order_date.label("day"),
                   literal(1).label("rank")).distinct()
            .where(counted, Order.order_date > start, Order.order_date <= end),
            # no order before the window: measured from the day the cycle was set
            select(c.customer_id, c.cycle_since.label("day"), literal(0).label("rank"))
            .where(c.cycle_since.is_not(None), ~exists(select(Order.id).where(before))),
        ).subquery("points")
        p = points.c
        steps = select(p.customer_id, p.day.label("base"), func.lead(p.day).over(
            partition_by=p.customer_id, order_by=(p.rank, p.day)).label("next_day")
        ).subquery("steps")
        s = steps.c
        expected = expected_sql(s.base, c.cycle_kind, c.cycle_days, c.cycle_weekday)
        intervals = (
            select(c.area, func.greatest(expected + 1, _day(start)).label("lo"),
                   func.least(func.coalesce(s.next_day - 1, _day(end)), _day(end))
                   .label("hi"))
            .select_from(steps.join(cycles, c.customer_id == s.customer_id))
            .subquery("intervals"))
        i = intervals.c
        offsets = (func.generate_series(i.lo - _day(start), i.hi - _day(start))
                   .table_valued(column("n", Integer)).render_derived(name="offsets")
                   .lateral("offsets"))
        day = (_day(start) + offsets.c.n).label("day")
        rows = (await self.session.execute(
            select(day, i.area, func.count())
            .select_from(intervals.join(offsets, true()))
            .group_by(day, i.area))).all()
        out: dict[date, dict[str, int]] = {}
        for d, area, n in rows:
            out.setdefault(d, {})[area] = n
        return out

    async def replace_snapshot(self, day: date, counts: dict[str, int]) -> None:
        """The day's counts per area, replacing what the day had."""
        await self.session.execute(delete(AnomalySnapshot).where(AnomalySnapshot.day == day))
        if counts:
            await self.session.execute(insert(AnomalySnapshot).values([
                {"day": day, "area": area, "customers": n}
                for area, n in sorted(counts.items())]))

    async def snapshots(self, start: date, end: date) -> Sequence[Row]:
        return (await self.session.execute(
            select(AnomalySnapshot.day, AnomalySnapshot.area, AnomalySnapshot.customers)
            .where(AnomalySnapshot.day >= start, AnomalySnapshot.day <= end)
            .order_by(AnomalySnapshot.day, AnomalySnapshot.area))).all()

