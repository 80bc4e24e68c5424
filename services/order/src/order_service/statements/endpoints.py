"""Monthly statements over HTTP (对账单, B-1): the customer reads its month (default: last
month), confirms or disputes an ended one and downloads it as Excel; staff (payments:query,
their areas only, C-7) read any customer's statement and the list of acknowledged ones
(e.g. `status=disputed`), and answer a dispute (payments:review)."""

import os
import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response
from fastapi.responses import FileResponse
from servicekit.auth import CustomerPrincipal, require_permission
from servicekit.db import Session
from servicekit.errors import error_responses
from servicekit.pagination import set_total
from starlette.background import BackgroundTask

from .schemas import (
    MONTH_DESCRIPTION,
    ConfirmIn,
    NoteIn,
    StatementOut,
    StatementStatusName,
    StatementSummaryOut,
)
from .service import StatementService, filename

portal = APIRouter(prefix="/api/portal/statements", tags=["portal: statements"])
console = APIRouter(prefix="/api/console", tags=["console: statements"])

PaymentsQuery = require_permission("payments:query")
PaymentsReview = require_permission("payments:review")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE = {200: {"content": {XLSX: {}}, "description": "The statement as .xlsx: its entries "
                                                   "and a summary sheet"}}
MonthQuery = Annotated[str | None, Query(
    max_length=20, description=MONTH_DESCRIPTION + ". Default: last month")]
MonthPath = Annotated[str, Path(max_length=20, description=MONTH_DESCRIPTION)]
Lang = Annotated[Literal["zh", "en"], Query(description="Language of the sheet")]
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


def _file(path: str, out: StatementOut) -> FileResponse:
    return FileResponse(path, media_type=XLSX, filename=filename(out),
                        background=BackgroundTask(os.unlink, path))


# ==================================================================== the customer
@portal.get("", response_model=StatementOut, responses=error_responses(401, 403, 422))
async def my_statement(session: Session, customer: CustomerPrincipal,
                       month: MonthQuery = None) -> StatementOut:
    """Your statement of a month (B-1): opening balance, every order, cancellation,
    return, payment, reversal and refund of the month by date with the balance after
    each, closing balance (what you owe; negative: in your favour), and whether you
    confirmed or disputed it. A month not yet over shows its entries so far."""
    return await StatementService(session).statement(customer, month)


@portal.post("/{month}/confirm", response_model=StatementOut,
             responses=error_responses(401, 403, 409, 422))
async def confirm_statement(month: MonthPath, session: Session, customer: CustomerPrincipal,
                            body: ConfirmIn | None = None) -> StatementOut:
    """Confirm that a month's statement is right (B-1). Only a month that has ended (422
    before); 409 when it is already confirmed, disputed and not yet answered, or — when
    you send the closing balance you saw — changed meanwhile. A confirmed statement that
    a late entry changed can be confirmed again."""
    return await StatementService(session).confirm(
        customer, month, body.closing_balance if body else None)


@portal.post("/{month}/dispute", response_model=StatementOut,
             responses=error_responses(401, 403, 409, 422))
async def dispute_statement(month: MonthPath, body: NoteIn, session: Session,
                            customer: CustomerPrincipal) -> StatementOut:
    """Dispute a month's statement with a note saying what is wrong (B-1): staff are
    prompted and answer; then it can be confirmed. Only a month that has ended (422);
    409 when it is confirmed or already disputed."""
    return await StatementService(session).dispute(customer, month, body.note)


@portal.get("/{month}/export", response_class=FileResponse,
            responses={**FILE, **error_responses(401, 403, 422)})
async def export_my_statement(month: MonthPath, session: Session,
                              customer: CustomerPrincipal, lang: Lang = "zh") -> FileResponse:
    """Your statement of a month as .xlsx."""
    path, out = await StatementService(session).export(customer, month, lang)
    return _file(path, out)


# ==================================================================== staff
@console.get("/statements", response_model=list[StatementSummaryOut],
             responses=error_responses(401, 403, 422))
async def list_statements(session: Session, staff: PaymentsQuery, response: Response,
                          status: StatementStatusName | None = None, month: MonthQuery = None,
                          customer_id: uuid.UUID | None = None, limit: Limit = 50,
                          offset: Offset = 0) -> list[StatementSummaryOut]:
    """Statements customers have acknowledged (of your areas, C-7), newest month first:
    `status=disputed` is the queue of disputes to answer; `month` without a value is
    every month. Figures as acknowledged."""
    items, total = await StatementService(session).list(
        staff, status=status, month_text=month, customer_id=customer_id, limit=limit,
        offset=offset)
    set_total(response, total)
    return items


@console.get("/customers/{customer_id}/statements", response_model=StatementOut,
             responses=error_responses(401, 403, 404, 422))
async def customer_statement(customer_id: uuid.UUID, session: Session, staff: PaymentsQuery,
                             month: MonthQuery = None) -> StatementOut:
    """A customer's statement of a month (default: last month) with its acknowledgement
    and history (B-1); a customer outside your areas is not found (C-7)."""
    return await StatementService(session).statement(staff, month, customer_id=customer_id)


@console.get("/customers/{customer_id}/statements/{month}/export",
             response_class=FileResponse,
             responses={**FILE, **error_responses(401, 403, 404, 422)})
async def export_customer_statement(customer_id: uuid.UUID, month: MonthPath,
                                    session: Session, staff: PaymentsQuery,
                                    lang: Lang = "zh") -> FileResponse:
    """A customer's statement of a month as .xlsx."""
    path, out = await StatementService(session).export(staff, month, lang,
                                                       customer_id=customer_id)
    return _file(path, out)


@console.post("/customers/{customer_id}/statements/{month}/resolve",
              response_model=StatementOut, responses=error_responses(401, 403, 404, 409, 422))
async def resolve_statement(customer_id: uuid.UUID, month: MonthPath, body: NoteIn,
                            session: Session, staff: PaymentsReview) -> StatementOut:
    """Answer a disputed statement with a note (what was corrected, or why the figures
    stand): it is open again and the customer is told; 409 when it is not disputed."""
    return await StatementService(session).resolve(staff, customer_id, month, body.note)
