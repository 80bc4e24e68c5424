"""The console home's charts (X-4): staff holding reports:query; amounts only while the
query password is unlocked (A-2, X-3); your areas only (C-7)."""

from datetime import date
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query
from servicekit.auth import require_permission
from servicekit.db import Session
from servicekit.errors import error_responses
from servicekit.timeutil import business_date

from . import dashboard_domain as domain
from .dashboard_repository import DashboardRepository
from .dashboard_schemas import (
    DashboardAnomalyDay,
    DashboardArea,
    DashboardConsumable,
    DashboardFigures,
    DashboardGrade,
    DashboardMonth,
)

router = APIRouter(prefix="/api/console/analysis", tags=["console: analysis"])

Reports = require_permission("reports:query")
From = Annotated[date | None, Query(
    alias="from", description="First day (default: the first day of the month 11 months "
                              "before `to`'s, so 12 months are shown)")]
To = Annotated[date | None, Query(alias="to", description="Last day (default: today)")]


@router.get("/dashboard", response_model=DashboardFigures, response_model_by_alias=True,
            responses=error_responses(401, 403, 422))
async def dashboard(session: Session, staff: Reports, date_from: From = None,
                    date_to: To = None) -> DashboardFigures:
    """The figures of the console home's charts for a period (by default the last 12
    months up to today, at most three years): orders and amount per month (every month,
    zeros included) and per area, the ten largest consumables, approved customers by
    grade and the customers past their ordering cycle per day. Without the query
    password every amount is null and `amounts_locked` is true."""
    start, end = domain.period(date_from, date_to, business_date())
    locked = not staff.sensitive
    areas = staff.areas
    repo = DashboardRepository(session)

    months = domain.per_month(start, end, await repo.per_month(start, end, areas))
    per_area = await repo.per_area(start, end, areas)
    consumables = await repo.top_consumables(start, end, areas, by_amount=not locked,
                                             limit=domain.TOP_CONSUMABLES)
    grades = domain.per_grade(await repo.customers_by_grade(areas))
    anomalies = await repo.anomalies(start, end, areas)

    def amount(value: Decimal | None) -> Decimal | None:
        return domain.shown(value if value is not None else domain.ZERO, locked)

    return DashboardFigures(
        date_from=start, date_to=end, amounts_locked=locked,
        order_count=sum(n for _, n, _ in months),
        amount=amount(sum((a for *_, a in months), domain.ZERO)),
        months=[DashboardMonth(month=m, orders=n, amount=amount(a)) for m, n, a in months],
        areas=[DashboardArea(area=a, orders=n, amount=amount(s)) for a, n, s in per_area],
        consumables=[DashboardConsumable(model=m, name=name, quantity=q, amount=amount(a))
                     for m, name, q, a in consumables],
        consumables_ranked_by="quantity" if locked else "amount",
        grades=[DashboardGrade(grade=g, customers=n) for g, n in grades],
        anomalies=[DashboardAnomalyDay(day=d, customers=n) for d, n in anomalies])
