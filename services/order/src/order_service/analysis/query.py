"""The order query (A-1): orders by any combination of customer, area, grade, payment
method, paid / unpaid / overdue, status, period, amount range and product model; sorted
by amount, the customer's installed machines, its ordering cycle or date; a totals row;
the same as Excel. Staff holding reports:query (not behind the query password); staff
bound to areas see their areas' customers only (C-7)."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import tempfile
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import FileResponse
from pydantic import StringConstraints
from servicekit.auth import require_permission
from servicekit.dates import RANGE, BusinessDate
from servicekit.db import Session
from servicekit.errors import error_responses
from servicekit.excel import SheetWriter
from servicekit.money import NonNegativeMoney
from servicekit.timeutil import business_date
from starlette.background import BackgroundTask

from ..exports.endpoints import FILE, XLSX, Lang
from ..exports.service import filename
from ..orders.schemas import OrderStatusName
from ..payments.domain import payment_status
from . import query_domain as domain
from .query_domain import Direction, Grade, OrderQuery, PaymentState, SortKey
from .query_repository import OrderQueryRepository
from .query_schemas import OrderQueryResult, QueriedOrder, QueryTotals

router = APIRouter(prefix="/api/console/analysis", tags=["console: analysis"])

ReportsQuery = require_permission("reports:query")
Text = Annotated[str, StringConstraints(max_length=100)]

def order_query(
    customer_id: Annotated[list[uuid.UUID] | None, Query(
        description="One or more customers (repeat the parameter)")] = None,
    q: Annotated[str | None, Query(
        max_length=100, description="Part of the customer's name or number, or a whole "
                                    "order number (DH20261123-0007)")] = None,
    area: Annotated[list[Text] | None, Query(
        description="The customers' areas (repeat the parameter)")] = None,
    grade: Annotated[list[Grade] | None, Query(
        description="The customers' grades (repeat the parameter)")] = None,
    payment_method: Annotated[list[Text] | None, Query(
        description="Orders with a payment (not reversed) of this method: bank_transfer, "
                    "cash, wechat, alipay, wechat_pay … (repeat the parameter)")] = None,
    payment: Annotated[PaymentState | None, Query(
        description="paid: nothing outstanding; unpaid: something outstanding; overdue: "
                    "outstanding and due before today (Asia/Shanghai)")] = None,
    status: Annotated[list[OrderStatusName] | None, Query(
        description="Order statuses (repeat the parameter); without it rejected and "
                    "cancelled orders are left out")] = None,
    date_from: Annotated[BusinessDate | None, Query(
        alias="from", description=f"Order date on or after (a date {RANGE})")] = None,
    date_to: Annotated[BusinessDate | None, Query(
        alias="to", description=f"Order date on or before (a date {RANGE})")] = None,
    amount_min: Annotated[NonNegativeMoney | None, Query(
        description="Order total at least")] = None,
    amount_max: Annotated[NonNegativeMoney | None, Query(
        description="Order total at most")] = None,
    model: Annotated[str | None, Query(
        max_length=200, description="Orders with a line of this product model (the "
                                    "whole model, any case)")] = None,
) -> OrderQuery:
    return OrderQuery(
        customer_ids=tuple(dict.fromkeys(customer_id or ())), q=domain.clean_text(q),
        areas=domain.clean_values(area), grades=tuple(dict.fromkeys(grade or ())),
        payment_methods=domain.clean_values(payment_method), payment=payment,
        statuses=tuple(dict.fromkeys(status or ())), date_from=date_from, date_to=date_to,
        amount_min=amount_min, amount_max=amount_max, model=domain.clean_text(model),
        today=business_date()).check()


Conditions = Annotated[OrderQuery, Depends(order_query)]
SortQuery = Annotated[SortKey, Query(description=(
    "amount = order total; machines = the customer's installed machines; cycle = its "
    "ordering cycle in days (weekly = 7; customers without a cycle last); date = order "
    "date. Equal values are ordered by order number"))]
DirectionQuery = Annotated[Direction, Query(alias="order", description="asc or desc")]


def _item(r: Any) -> QueriedOrder:
    return QueriedOrder(
        id=r.id, number=r.number, order_date=r.order_date, status=r.status,
        customer_id=r.customer_id, customer_number=r.customer_number,
        customer_name=r.customer_name, area=r.area, grade=r.grade,
        machine_count=r.machine_count, cycle_kind=r.cycle_kind, cycle_days=r.cycle_days,
        cycle_weekday=r.cycle_weekday,
        cycle_length=domain.cycle_length(r.cycle_kind, r.cycle_days),
        total_quantity=r.total_quantity, total=r.total, payable=r.payable,
        paid=r.paid_total, outstanding=r.outstanding,
        payment_status=payment_status(r.payable, r.paid_total).value,
        due_date=r.due_date, overdue=r.overdue,
        payment_methods=domain.methods_used(r.payment_methods))


def _totals(t: domain.Totals) -> QueryTotals:
    return QueryTotals(count=t.count, amount=t.amount, payable=t.payable, paid=t.paid,
                       outstanding=t.outstanding, quantity=t.quantity)


@router.get("/orders", response_model=OrderQueryResult,
            responses=error_responses(401, 403, 422))
async def query_orders(
    session: Session, staff: ReportsQuery, conditions: Conditions,
    sort: SortQuery = "date", direction: DirectionQuery = "desc",
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=domain.MAX_LIMIT)] = 50,
) -> OrderQueryResult:
    """Orders matching every condition given, a page at a time, with the total count and
    a totals row over all of them (count, amount, payable, paid, outstanding, quantity).

    Conditions combine with AND, the values of a repeated parameter with OR. Without
    `status`, rejected and cancelled orders are left out (they never became business);
    ask for them by status to see them. paid: nothing outstanding of the payable amount;
    unpaid: something outstanding; overdue: something outstanding and the due date before
    today (Asia/Shanghai), as in the order lists. Staff bound to areas see their areas'
    customers only (C-7)."""
    q = _scoped(conditions, staff.areas)
    repo = OrderQueryRepository(session)
    totals = await repo.totals(q)
    rows = await repo.page(q, sort=sort, direction=direction, limit=limit, offset=offset)
    return OrderQueryResult(items=[_item(r) for r in rows], total=totals.count,
                            totals=_totals(totals), offset=offset, limit=limit)


@router.get("/orders/export.xlsx", response_class=FileResponse,
            responses={**FILE, **error_responses(401, 403, 422)})
async def export_orders(session: Session, staff: ReportsQuery, conditions: Conditions,
                        sort: SortQuery = "date", direction: DirectionQuery = "desc",
                        lang: Lang = "zh") -> FileResponse:
    """Every order matching the conditions, in the same order as the query, as .xlsx,
    with a totals row at the end; at most 100,000 orders (422 above: narrow the
    conditions)."""
    q = _scoped(conditions, staff.areas)
    repo = OrderQueryRepository(session)
    domain.check_export_size((await repo.totals(q)).count)
    fd, path = tempfile.mkstemp(prefix="dinghuo-order-query-", suffix=".xlsx")
    os.close(fd)
    try:
        writer = SheetWriter(path, "订单查询" if lang == "zh" else "Order query",
                             domain.export_headers(lang), domain.export_money())
        totals = domain.Totals()
        async for batch in repo.stream(q, sort=sort, direction=direction):
            for row in batch:
                totals = domain.add_row(totals, row)
            # openpyxl is CPU-bound: a worker thread, so the service keeps answering
            await asyncio.to_thread(_append, writer, batch, lang)
        await asyncio.to_thread(writer.append, [domain.totals_values(totals, lang)])
        await asyncio.to_thread(writer.close)
    except BaseException:
        os.unlink(path)
        raise
    return FileResponse(path, media_type=XLSX, filename=filename("order-query"),
                        headers={"X-Total-Count": str(totals.count)},
                        background=BackgroundTask(os.unlink, path))


def _scoped(q: OrderQuery, areas: frozenset[str]) -> OrderQuery:
    """The query within the staff member's areas (C-7)."""
    return dataclasses.replace(q, staff_areas=areas)


def _append(writer: SheetWriter, batch: Any, lang: str) -> None:
    writer.append(domain.export_values(row, lang) for row in batch)
