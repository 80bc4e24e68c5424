"""The SQL of summaries (A-2): aggregates over the order service's own orders and lines,
with the customer read model for names and areas (C-7)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import CatalogItemView, CustomerView, Order, OrderLine
from ..orders.repository import in_areas
from .domain import NOT_COUNTED


def _counted(stmt: Select, start: date, end: date, areas: frozenset[str]) -> Select:
    stmt = stmt.where(Order.order_date >= start, Order.order_date <= end,
                      Order.status.not_in(NOT_COUNTED))
    return stmt.where(in_areas(areas)) if areas else stmt


def _consumable():
    """A line whose product is a consumable in the customer's catalogue (an unknown
    category counts as a consumable, as for points)."""
    return or_(CatalogItemView.category.is_(None), CatalogItemView.category == "consumable")


class AnalysisRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def per_customer(self, start: date, end: date, areas: frozenset[str]) -> list:
        stmt = _counted(
            select(Order.customer_id, func.max(CustomerView.customer_number),
                   func.coalesce(func.max(CustomerView.name), func.max(Order.customer_name)),
                   func.max(CustomerView.area), func.sum(Order.total), func.count())
            .join(CustomerView, CustomerView.customer_id == Order.customer_id, isouter=True)
            .group_by(Order.customer_id), start, end, areas)
        return list((await self.session.execute(
            stmt.order_by(func.sum(Order.total).desc(), Order.customer_id))).all())

    def _lines(self, columns: list, start: date, end: date, areas: frozenset[str]) -> Select:
        return _counted(
            select(*columns).select_from(OrderLine)
            .join(Order, Order.id == OrderLine.order_id)
            .join(CatalogItemView, and_(CatalogItemView.customer_id == Order.customer_id,
                                        CatalogItemView.product_id == OrderLine.product_id),
                  isouter=True)
            .where(_consumable()), start, end, areas)

    async def per_model(self, start: date, end: date, areas: frozenset[str],
                        model: str | None) -> list:
        stmt = self._lines([OrderLine.model, func.max(OrderLine.name),
                            func.sum(OrderLine.quantity), func.sum(OrderLine.line_total)],
                           start, end, areas).group_by(OrderLine.model)
        if model:
            stmt = stmt.where(OrderLine.model == model)
        return list((await self.session.execute(
            stmt.order_by(func.sum(OrderLine.line_total).desc(), OrderLine.model))).all())

    async def model_per_customer(self, start: date, end: date, areas: frozenset[str],
                                 model: str) -> list:
        stmt = self._lines(
            [Order.customer_id, func.max(CustomerView.customer_number),
             func.coalesce(func.max(CustomerView.name), func.max(Order.customer_name)),
             func.max(CustomerView.area), func.sum(OrderLine.line_total),
             func.count(func.distinct(Order.id)), func.sum(OrderLine.quantity)],
            start, end, areas)
        stmt = (stmt.join(CustomerView, CustomerView.customer_id == Order.customer_id,
                          isouter=True)
                .where(OrderLine.model == model).group_by(Order.customer_id))
        return list((await self.session.execute(
            stmt.order_by(func.sum(OrderLine.line_total).desc(), Order.customer_id))).all())
