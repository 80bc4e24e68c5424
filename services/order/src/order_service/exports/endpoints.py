"""Orders to Excel (O-10): staff export any filter with chosen columns; a customer
exports its own orders. Registered before the order routes (`export.xlsx` is not an id)."""

import dataclasses
import os
import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse
from servicekit.auth import CustomerPrincipal, require_permission
from servicekit.db import Session
from servicekit.errors import Forbidden, error_responses
from starlette.background import BackgroundTask

from ..orders.endpoints import AreaQuery, Filters, SortQuery, visible_areas
from . import domain
from .service import ExportService, filename

router = APIRouter(tags=["export"])

OrdersQuery = require_permission("orders:query")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ColumnsQuery = Annotated[str | None, Query(
    max_length=1000, description="Comma-separated, in order: " + ", ".join(domain.COLUMNS)
    + ". Default: " + ",".join(domain.DEFAULT_COLUMNS))]
Lang = Annotated[Literal["zh", "en"], Query(description="Language of headers and labels")]
FILE = {200: {"content": {XLSX: {}}, "description": "The .xlsx file (X-Total-Count: rows)"}}


async def _send(session, f, columns: str | None, sort: str, lang: str) -> FileResponse:
    cols = domain.parse_columns(columns)
    path, rows = await ExportService(session).export(f, cols, sort=sort, lang=lang)
    return FileResponse(path, media_type=XLSX, filename=filename(),
                        headers={"X-Total-Count": str(rows)},
                        background=BackgroundTask(os.unlink, path))


@router.get("/api/console/orders/export.xlsx", response_class=FileResponse,
            responses={**FILE, **error_responses(401, 403, 422)})
async def export_orders(session: Session, staff: OrdersQuery, f: Filters,
                        customer_id: uuid.UUID | None = None, columns: ColumnsQuery = None,
                        sort: SortQuery = "-date", lang: Lang = "zh",
                        area: AreaQuery = None) -> FileResponse:
    """The orders matching the filters (the same as the list's: period from/to, customer,
    status, min_total/max_total, paid, invoiced, search text q, area) with the chosen
    columns, as .xlsx."""
    areas = visible_areas(staff.areas, area)
    if areas is None:
        raise Forbidden("area: you may only export orders of your own areas (C-7)")
    return await _send(session, dataclasses.replace(f, customer_id=customer_id, areas=areas),
                       columns, sort, lang)


@router.get("/api/portal/orders/export.xlsx", response_class=FileResponse,
            responses={**FILE, **error_responses(401, 403, 422)})
async def export_my_orders(session: Session, customer: CustomerPrincipal, f: Filters,
                           columns: ColumnsQuery = None, sort: SortQuery = "-date",
                           lang: Lang = "zh") -> FileResponse:
    """Your orders matching the filters with the chosen columns, as .xlsx."""
    return await _send(session, dataclasses.replace(f, customer_id=customer.customer_id),
                       columns, sort, lang)
