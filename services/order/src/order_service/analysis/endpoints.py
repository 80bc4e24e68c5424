"""Summaries behind the query password (A-2, X-3): staff holding reports:query whose
query password is unlocked; your areas only (C-7)."""

from datetime import date
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query
from servicekit.auth import require_sensitive
from servicekit.db import Session
from servicekit.errors import error_responses
from servicekit.timeutil import business_date

from . import domain
from .repository import AnalysisRepository
from .schemas import ConsumablesSummary, CustomerAmount, ModelAmount, Summary

router = APIRouter(prefix="/api/console/analysis", tags=["console: analysis"])

SensitiveReports = require_sensitive("reports:query")
From = Annotated[date | None, Query(alias="from", description="First day (default: the "
                                                               "month's first)")]
To = Annotated[date | None, Query(alias="to", description="Last day (default: today)")]


def _customers(rows: list, total: Decimal) -> list[CustomerAmount]:
    return [CustomerAmount(customer_id=cid, customer_number=number, name=name, area=area,
                           amount=amount, orders=orders, share=domain.share(amount, total))
            for cid, number, name, area, amount, orders, *_ in rows]


@router.get("/summary", response_model=Summary, response_model_by_alias=True,
            responses=error_responses(401, 403, 422))
async def summary(session: Session, staff: SensitiveReports, date_from: From = None,
                  date_to: To = None) -> Summary:
    """Total amount and order count of the period, and per customer (amount, orders,
    share), largest first. Needs the query password (403 `SensitiveLocked` until it is
    entered)."""
    start, end = domain.period(date_from, date_to, business_date())
    rows = await AnalysisRepository(session).per_customer(start, end, staff.areas)
    total = sum((r[4] for r in rows), Decimal("0.00"))
    return Summary(date_from=start, date_to=end, total_amount=total,
                   order_count=sum(r[5] for r in rows), customer_count=len(rows),
                   customers=_customers(rows, total))


@router.get("/consumables", response_model=ConsumablesSummary,
            response_model_by_alias=True, responses=error_responses(401, 403, 422))
async def consumables(session: Session, staff: SensitiveReports, date_from: From = None,
                      date_to: To = None,
                      model: Annotated[str | None, Query(max_length=200)] = None,
                      ) -> ConsumablesSummary:
    """Consumables ordered in the period: quantity and amount per model; with `model`,
    that model per customer. Needs the query password."""
    start, end = domain.period(date_from, date_to, business_date())
    model = (model or "").strip() or None
    repo = AnalysisRepository(session)
    rows = await repo.per_model(start, end, staff.areas, model)
    models = [ModelAmount(model=m, name=n, quantity=q, amount=a) for m, n, q, a in rows]
    total = sum((m.amount for m in models), Decimal("0.00"))
    customers = _customers(await repo.model_per_customer(start, end, staff.areas, model),
                           total) if model else []
    return ConsumablesSummary(date_from=start, date_to=end, model=model,
                              total_quantity=sum(m.quantity for m in models),
                              total_amount=total, models=models, customers=customers)
