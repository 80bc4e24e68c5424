"""Invoices to Excel (I-2): staff export what the list shows. Registered before the
invoice routes (`export.xlsx` is not an id)."""

import dataclasses
import os
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse
from servicekit.db import Session
from servicekit.errors import error_responses
from starlette.background import BackgroundTask

from ..invoices.endpoints import Filters, InvoicesQuery
from .service import ExportService, filename

router = APIRouter(tags=["console: invoices"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Lang = Annotated[Literal["zh", "en"], Query(description="Language of headers and labels")]
FILE = {200: {"content": {XLSX: {}}, "description": "The .xlsx file (X-Total-Count: rows)"}}


@router.get("/api/console/invoices/export.xlsx", response_class=FileResponse,
            responses={**FILE, **error_responses(401, 403, 422)})
async def export_invoices(session: Session, staff: InvoicesQuery, f: Filters,
                          lang: Lang = "zh") -> FileResponse:
    """The invoices matching the filters (the same as the list's: status, customer_id,
    q; of your areas, C-7) as .xlsx, newest first: customer, type, title and tax
    details, orders, amount, fapiao numbers and amounts, dates, courier, status."""
    path, rows = await ExportService(session).export(
        dataclasses.replace(f, areas=staff.areas), lang=lang)
    return FileResponse(path, media_type=XLSX, filename=filename(),
                        headers={"X-Total-Count": str(rows)},
                        background=BackgroundTask(os.unlink, path))
