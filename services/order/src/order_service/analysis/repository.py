"""The SQL of summaries (A-2) and of the figures the dashboards share (X-4): sums over the
daily rollups where a period's orders or lines would otherwise be scanned, aggregates
over the order service's own orders (covering indexes) where a row per customer is
asked for; the customer read model for names and areas (C-7). Why so:
docs/architecture.md, "Analysis at scale"."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Select, and_, func, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import (
    CatalogItemView,
    CustomerView,
    Order,
    OrderLine,
    analysis_line_area_days,
    analysis_line_days,
    analysis_order_days,
)
from ..orders.repository import in_areas
from .domain import NOT_COUNTED

CONSUMABLE = "consumable"
# The covering indexes are read from memory, not from a spinning disk: at PostgreSQL's
# default random_page_cost (4) the planner prefers scanning the whole orders table to an
# index-only scan of the period that takes half the time (docs/performance.md). For the
# rest of this request's transaction only.
INDEXES_IN_MEMORY = text("SET LOCAL random_page_cost = 1.1")


def _counted(stmt: Select, start: date, end: date, areas: frozenset[str]) -> Select:
    stmt = stmt.where(Order.order_date >= start, Order.order_date <= end,
                      Order.status.not_in(NOT_COUNTED))
    return stmt.where(in_areas(areas)) if areas else stmt


def _consumable():
    """A line whose product is a consumable in the customer's catalogue (an unknown
    category counts as a consumable, as for points)."""
    return or_(CatalogItemView.category.is_(None), CatalogItemView.category == CONSUMABLE)


def _order_days(start: date, end: date, areas: frozenset[str]):
    """The counted orders' daily rollup rows of the period (the caller's areas only)."""
    t = analysis_order_days.c
    where = [t.day >= start, t.day <= end, t.status.not_in(NOT_COUNTED)]
    if areas:
        where.append(t.area.in_(sorted(areas)))
    return t, where


def _line_days(start: date, end: date, areas: frozenset[str]):
    """The consumables' daily rollup rows of the period: every area together, or per area
    for staff bound to areas."""
    table = analysis_line_area_days if areas else analysis_line_days
    t = table.c
    where = [t.day >= start, t.day <= end, t.category == CONSUMABLE]
    if areas:
        where.append(t.area.in_(sorted(areas)))
    return t, where


class AnalysisRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _rows(self, stmt) -> list:
        """The rows of a Core statement, on the session's connection (thousands of rows:
        the ORM's result handling would add a third to the time)."""
        connection = await self.session.connection()
        return list((await connection.execute(stmt)).all())

    async def per_customer(self, start: date, end: date, areas: frozenset[str]) -> list:
        """(customer id, number, name, area, amount, orders) per customer with counted
        orders in the period, largest amount first. The orders are summed per customer
        first (an index-only scan of `ix_orders_order_date_totals`, or of
        `ix_orders_customer_id_order_date` for the customers of some areas), then named."""
        sums = (select(Order.customer_id, func.sum(Order.total).label("amount"),
                       func.count().label("orders"))
                .where(Order.order_date >= start, Order.order_date <= end,
                       Order.status.not_in(NOT_COUNTED))
                .group_by(Order.customer_id))
        if areas:
            sums = sums.where(in_areas(areas))
        await self.session.execute(INDEXES_IN_MEMORY)
        return await self._named(sums.subquery("sums"))

    def _lines(self, columns: list, start: date, end: date, areas: frozenset[str]) -> Select:
        """Consumable lines of counted orders in the period, straight from the orders and
        their lines (for a few customers; sums over a period: the rollups below)."""
        return _counted(
            select(*columns).select_from(OrderLine)
            .join(Order, Order.id == OrderLine.order_id)
            .join(CatalogItemView, and_(CatalogItemView.customer_id == Order.customer_id,
                                        CatalogItemView.product_id == OrderLine.product_id),
                  isouter=True)
            .where(_consumable()), start, end, areas)

    async def per_model(self, start: date, end: date, areas: frozenset[str],
                        model: str | None) -> list:
        """(model, name, quantity, amount) of the consumables ordered in the period,
        largest amount first; one model (any case) with `model`. From the daily rollup."""
        return await self.top_models(start, end, areas, by_amount=True, model=model)

    async def top_models(self, start: date, end: date, areas: frozenset[str], *,
                         by_amount: bool = True, limit: int | None = None,
                         model: str | None = None) -> list:
        """(model, name, quantity, amount) of the consumables ordered in the period, the
        largest first by amount (or by quantity), at most `limit`. From the daily
        rollup: a row per day and model, whatever the number of lines."""
        t, where = _line_days(start, end, areas)
        if model:
            where.append(func.lower(t.model) == model.lower())
        quantity, amount = func.sum(t.quantity), func.sum(t.amount)
        first, second = (amount, quantity) if by_amount else (quantity, amount)
        stmt = (select(t.model, func.max(t.name), quantity, amount).where(*where)
                .group_by(t.model).having(func.sum(t.lines) > 0)
                .order_by(first.desc(), second.desc(), t.model))
        if limit is not None:
            stmt = stmt.limit(limit)
        return await self._rows(stmt)

    async def model_per_customer(self, start: date, end: date, areas: frozenset[str],
                                 model: str) -> list:
        """(customer id, number, name, area, amount, orders, quantity) per customer that
        ordered the consumable `model` (any case) in the period, largest amount first:
        the model's lines by `ix_order_lines_model_lower`, then their orders."""
        sums = (self._lines([Order.customer_id,
                             func.sum(OrderLine.line_total).label("amount"),
                             func.count(func.distinct(Order.id)).label("orders"),
                             func.sum(OrderLine.quantity).label("quantity")],
                            start, end, areas)
                .where(func.lower(OrderLine.model) == model.lower())
                .group_by(Order.customer_id).subquery("sums"))
        await self.session.execute(INDEXES_IN_MEMORY)
        return await self._named(sums, sums.c.quantity)

    async def _named(self, sums, *extra) -> list:
        """Per-customer sums (customer_id, amount, orders, …) with the customer's number,
        name and area, largest amount first."""
        # the name the order was placed under, for a customer the read model lacks
        placed_as = (select(Order.customer_name).where(Order.customer_id == sums.c.customer_id)
                     .order_by(Order.order_date.desc()).limit(1).scalar_subquery())
        stmt = (select(sums.c.customer_id, CustomerView.customer_number,
                       func.coalesce(CustomerView.name, placed_as), CustomerView.area,
                       sums.c.amount, sums.c.orders, *extra)
                .select_from(sums)
                .join(CustomerView, CustomerView.customer_id == sums.c.customer_id,
                      isouter=True)
                .order_by(sums.c.amount.desc(), sums.c.customer_id))
        return await self._rows(stmt)

    # ------------------------------------------------------- shared with the dashboards
    async def per_month(self, start: date, end: date, areas: frozenset[str]) -> list:
        """(first day of the month, orders, amount) of the months of the period that had
        counted orders, oldest first. From the daily rollup."""
        t, where = _order_days(start, end, areas)
        month = func.date_trunc("month", t.day).cast(Date).label("month")
        stmt = (select(month, func.sum(t.orders), func.sum(t.amount)).where(*where)
                .group_by(month).having(func.sum(t.orders) > 0).order_by(month))
        return [(m, int(n), a) for m, n, a in await self._rows(stmt)]

    async def per_area(self, start: date, end: date, areas: frozenset[str]) -> list:
        """(area or None, orders, amount) of the counted orders of the period, most orders
        first. From the daily rollup ('' there: no area)."""
        t, where = _order_days(start, end, areas)
        area = func.nullif(t.area, "").label("area")
        orders = func.sum(t.orders)
        stmt = (select(area, orders, func.sum(t.amount)).where(*where)
                .group_by(area).having(orders > 0)
                .order_by(orders.desc(), area.asc().nulls_last()))
        return [(a, int(n), s) for a, n, s in await self._rows(stmt)]
