import os
import uuid
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import FileResponse
from servicekit.auth import Principal, require_permission
from servicekit.db import Session
from servicekit.errors import Unprocessable, error_responses
from servicekit.pagination import set_total
from servicekit.timeutil import business_date
from starlette.background import BackgroundTask

from . import export, views
from .domain import Menu
from .points import RepairPointsService
from .repository import Filters, MaintenanceRepository
from .schemas import (
    CategoryIn,
    CategoryKind,
    CategoryOut,
    EntryIn,
    Kind,
    PaymentStatus,
    PointsIn,
    RecordIn,
    RecordOut,
    RecordSummary,
    RecordUpdate,
    Stats,
    SuspendIn,
    UnprocessedCustomer,
)
from .service import MaintenanceService

records = APIRouter(prefix="/api/console/maintenance-records",
                    tags=["console: maintenance records"])
maintenance = APIRouter(prefix="/api/console/maintenance", tags=["console: maintenance"])

ServiceDeskQuery = require_permission("service_desk:query")
ServiceDeskEntry = require_permission("service_desk:entry")
ServiceDeskModify = require_permission("service_desk:modify")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]
Text = Annotated[str | None, Query(max_length=100)]


def _service(request: Request, session) -> MaintenanceService:
    return MaintenanceService(
        session, return_visit_days=request.app.state.settings.return_visit_days)


async def _detail(service: MaintenanceService, staff: Principal,
                  record_id: uuid.UUID) -> RecordOut:
    return views.detail(*await service.get(staff, record_id))


# ---------------------------------------------------------------- categories
@maintenance.get("/categories", response_model=list[CategoryOut],
                 responses=error_responses(401, 403, 422))
async def categories(request: Request, session: Session, _staff: ServiceDeskQuery,
                     kind: CategoryKind | None = None) -> list[CategoryOut]:
    """The preset fault categories (S-4) and return-visit categories (S-5)."""
    return [views.category(c) for c in await _service(request, session).categories(kind)]


@maintenance.post("/categories", status_code=201, response_model=CategoryOut,
                  responses=error_responses(401, 403, 409, 422))
async def add_category(body: CategoryIn, request: Request, session: Session,
                       staff: ServiceDeskModify) -> CategoryOut:
    """Add a preset category; a name already used for that kind is refused (409)."""
    return views.category(await _service(request, session).add_category(staff, body))


# ---------------------------------------------------------------- menus and statistics
@maintenance.get("/unprocessed", response_model=list[UnprocessedCustomer],
                 responses=error_responses(401, 403))
async def unprocessed(request: Request, session: Session,
                      staff: ServiceDeskQuery) -> list[UnprocessedCustomer]:
    """未处理事项 (S-7): customers with repairs or return visits not processed (and not
    suspended), the longest waiting first; drill down with
    `GET /maintenance-records?menu=unprocessed&customer_id=`."""
    return [views.unprocessed(r) for r in await _service(request, session).unprocessed(staff)]


@maintenance.get("/stats", response_model=Stats, responses=error_responses(401, 403, 422))
async def stats(request: Request, session: Session, staff: ServiceDeskQuery,
                year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
                customer_id: uuid.UUID | None = None) -> Stats:
    """Query statistics (S-9) of a year (default this year): records by category, the
    monthly workload (customers and visits) and the workload per engineer and month; with
    `customer_id` one customer's records by category."""
    year = year or business_date().year
    data = await _service(request, session).stats(staff, year=year, customer_id=customer_id)
    return views.stats(year, customer_id, data)


# ---------------------------------------------------------------- records
@records.post("", status_code=201, response_model=RecordOut,
              responses=error_responses(401, 403, 404, 422))
async def create_record(body: RecordIn, request: Request, session: Session,
                        staff: ServiceDeskEntry) -> RecordOut:
    """Enter a repair or a return visit (S-3..S-6). `factory_return_method` is required
    when `return_to_factory`; a repair entered as processed gets its return visit (B-5)."""
    service = _service(request, session)
    row = await service.create(staff, body)
    return await _detail(service, staff, row.record.id)


def record_filters(
        staff: ServiceDeskQuery, menu: Menu | None = None,
        customer_id: uuid.UUID | None = None, machine_id: uuid.UUID | None = None,
        kind: Kind | None = None, category_id: uuid.UUID | None = None,
        engineer: Text = None, area: Text = None, accessory: Text = None,
        payment_status: PaymentStatus | None = None,
        date_from: Annotated[date | None, Query(alias="from")] = None,
        date_to: Annotated[date | None, Query(alias="to")] = None,
        q: Text = None) -> Filters:
    """The menus (S-3..S-8) and the query's conditions (S-9), your areas only (C-7)."""
    if date_from and date_to and date_from > date_to:
        raise Unprocessable("from must not be after to")
    return Filters(areas=staff.areas, menu=menu, customer_id=customer_id,
                   machine_id=machine_id, kind=kind, category_id=category_id,
                   engineer=(engineer or "").strip() or None,
                   area=(area or "").strip() or None,
                   accessory=(accessory or "").strip() or None,
                   payment_status=payment_status, date_from=date_from, date_to=date_to,
                   q=(q or "").strip() or None)


RecordFilters = Annotated[Filters, Depends(record_filters)]


@records.get("", response_model=list[RecordSummary], responses=error_responses(401, 403, 422))
async def list_records(request: Request, session: Session, f: RecordFilters,
                       response: Response, limit: Limit = 50,
                       offset: Offset = 0) -> list[RecordSummary]:
    """The menus (`menu=content|factory|key|unprocessed|suspended`, S-3..S-8) and the query
    (S-9): any combination of customer, machine, kind, category, engineer, area, accessory
    name, payment status, service-date period (`from`, `to`) and text; your areas only
    (C-7). Newest first; X-Total-Count holds the count of all matching."""
    rows, total = await _service(request, session).list(f, limit=limit, offset=offset)
    set_total(response, total)
    return [views.summary(r) for r in rows]


@records.get("/export.xlsx", response_class=FileResponse,
             responses={200: {"content": {XLSX: {}},
                              "description": "The .xlsx file (X-Total-Count: rows)"},
                        **error_responses(401, 403, 422)})
async def export_records(session: Session, f: RecordFilters,
                         lang: Annotated[Literal["zh", "en"], Query()] = "zh") -> FileResponse:
    """The records matching the same filters as the list, as .xlsx (S-9), newest first."""
    path, rows = await export.export(MaintenanceRepository(session), f, lang)
    return FileResponse(path, media_type=XLSX, filename=export.filename(),
                        headers={"X-Total-Count": str(rows)},
                        background=BackgroundTask(os.unlink, path))


@records.get("/{record_id}", response_model=RecordOut,
             responses=error_responses(401, 403, 404, 422))
async def get_record(record_id: uuid.UUID, request: Request, session: Session,
                     staff: ServiceDeskQuery) -> RecordOut:
    """One record with its repair processing entries."""
    return await _detail(_service(request, session), staff, record_id)


@records.patch("/{record_id}", response_model=RecordOut,
               responses=error_responses(401, 403, 404, 422))
async def update_record(record_id: uuid.UUID, body: RecordUpdate, request: Request,
                        session: Session, staff: ServiceDeskEntry) -> RecordOut:
    """Change some fields (content, category, engineer, accessories, charge and payment,
    the factory and key-matter flags)."""
    service = _service(request, session)
    await service.update(staff, record_id, body)
    return await _detail(service, staff, record_id)


@records.post("/{record_id}/entries", status_code=201, response_model=RecordOut,
              responses=error_responses(401, 403, 404, 409, 422))
async def add_entry(record_id: uuid.UUID, body: EntryIn, request: Request, session: Session,
                    staff: ServiceDeskEntry) -> RecordOut:
    """Append a "repair processing" entry (S-4); `processed: true` finishes the record
    (a repair then gets its return visit, B-5). A processed or suspended record takes none
    (409)."""
    service = _service(request, session)
    await service.add_entry(staff, record_id, body)
    return await _detail(service, staff, record_id)


@records.post("/{record_id}/suspend", response_model=RecordOut,
              responses=error_responses(401, 403, 404, 409, 422))
async def suspend(record_id: uuid.UUID, body: SuspendIn, request: Request, session: Session,
                  staff: ServiceDeskEntry) -> RecordOut:
    """Move an unprocessed record to 挂起事项 with a reason (S-8); it leaves 未处理事项."""
    service = _service(request, session)
    await service.suspend(staff, record_id, body.reason)
    return await _detail(service, staff, record_id)


@records.post("/{record_id}/resume", response_model=RecordOut,
              responses=error_responses(401, 403, 404, 409))
async def resume(record_id: uuid.UUID, request: Request, session: Session,
                 staff: ServiceDeskEntry) -> RecordOut:
    """Bring a suspended record back to 未处理事项."""
    service = _service(request, session)
    await service.resume(staff, record_id)
    return await _detail(service, staff, record_id)


@records.post("/{record_id}/points", response_model=RecordOut,
              responses=error_responses(401, 403, 404, 409, 422))
async def pay_with_points(record_id: uuid.UUID, body: PointsIn, request: Request,
                          session: Session, staff: ServiceDeskEntry) -> RecordOut:
    """Pay part of a repair charge with the customer's points (P-2), at its request: at most
    the charge's whole yuan. The points service answers within moments: `points_status`
    goes from `requested` to `redeemed` (then `payable` = charge − points) or `refused`
    with `points_reason`."""
    await RepairPointsService(session).request(staff, record_id, body.points)
    return await _detail(_service(request, session), staff, record_id)


@records.post("/{record_id}/points/release", response_model=RecordOut,
              responses=error_responses(401, 403, 404, 409))
async def give_points_back(record_id: uuid.UUID, request: Request, session: Session,
                           staff: ServiceDeskEntry) -> RecordOut:
    """Give back the points spent on the charge (a wrong entry, the charge waived)."""
    await RepairPointsService(session).release(staff, record_id)
    return await _detail(_service(request, session), staff, record_id)
