"""The SQL of the dashboards (X-4): one set-based aggregate per chart over the order
service's own orders and lines, the customer read model (areas, grades; C-7) and the
daily anomaly counts."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import AnomalySnapshot, CustomerView, Order, OrderLine
from .repository import AnalysisRepository, _counted


class DashboardRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def per_month(self, start: date, end: date, areas: frozenset[str]) -> list:
        """(first day of the month, orders, amount) of the months that had orders."""
        month = func.date_trunc("month", Order.order_date).cast(Date).label("month")
        stmt = _counted(select(month, func.count(), func.sum(Order.total)), start, end,
                        areas).group_by(month).order_by(month)
        return list((await self.session.execute(stmt)).all())

    async def per_area(self, start: date, end: date, areas: frozenset[str]) -> list:
        """(area or None, orders, amount), most orders first."""
        stmt = _counted(
            select(CustomerView.area, func.count(), func.sum(Order.total))
            .select_from(Order)
            .join(CustomerView, CustomerView.customer_id == Order.customer_id, isouter=True),
            start, end, areas).group_by(CustomerView.area)
        stmt = stmt.order_by(func.count().desc(), CustomerView.area.nulls_last())
        return list((await self.session.execute(stmt)).all())

    async def top_consumables(self, start: date, end: date, areas: frozenset[str],
                              by_amount: bool, limit: int) -> list:
        """(model, name, quantity, amount) of the `limit` largest consumables (the rule
        of the summaries, A-2), by amount or by quantity."""
        quantity, amount = func.sum(OrderLine.quantity), func.sum(OrderLine.line_total)
        first, second = (amount, quantity) if by_amount else (quantity, amount)
        stmt = (AnalysisRepository(self.session)
                ._lines([OrderLine.model, func.max(OrderLine.name), quantity, amount],
                        start, end, areas)
                .group_by(OrderLine.model)
                .order_by(first.desc(), second.desc(), OrderLine.model).limit(limit))
        return list((await self.session.execute(stmt)).all())

    async def customers_by_grade(self, areas: frozenset[str]) -> list:
        """(grade, approved customers) as the read model holds them now."""
        stmt = (select(CustomerView.grade, func.count())
                .where(CustomerView.status == "approved").group_by(CustomerView.grade))
        if areas:
            stmt = stmt.where(CustomerView.area.in_(sorted(areas)))
        return list((await self.session.execute(stmt)).all())

    async def anomalies(self, start: date, end: date, areas: frozenset[str]) -> list:
        """(day, customers past their cycle) of the days counted, summed over the
        areas (the caller's only, C-7)."""
        stmt = (select(AnomalySnapshot.day, func.sum(AnomalySnapshot.customers))
                .where(AnomalySnapshot.day >= start, AnomalySnapshot.day <= end)
                .group_by(AnomalySnapshot.day).order_by(AnomalySnapshot.day))
        if areas:
            stmt = stmt.where(AnomalySnapshot.area.in_(sorted(areas)))
        return list((await self.session.execute(stmt)).all())
