import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from servicekit.auth import CustomerPrincipal, require_permission
from servicekit.db import Session
from servicekit.errors import error_responses
from servicekit.pagination import set_total

from . import views
from .schemas import (
    ReplyIn,
    ServiceRequestIn,
    ServiceRequestOut,
    ServiceRequestSummary,
    StaffReplyIn,
)
from .service import ServiceRequestService

portal = APIRouter(prefix="/api/portal/service-requests", tags=["portal: service requests"])
console = APIRouter(prefix="/api/console/service-requests",
                    tags=["console: service requests"])

ServiceDeskQuery = require_permission("service_desk:query")
ServiceDeskEntry = require_permission("service_desk:entry")
Status = Literal["open", "in_progress", "resolved"]
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


@portal.post("", status_code=201, response_model=ServiceRequestOut,
             responses=error_responses(401, 403, 422))
async def open_request(body: ServiceRequestIn, session: Session,
                       customer: CustomerPrincipal) -> ServiceRequestOut:
    """Report a fault on one of your machines; the service staff are prompted at once."""
    return views.detail(await ServiceRequestService(session).open(customer, body))


@portal.get("", response_model=list[ServiceRequestSummary],
            responses=error_responses(401, 403, 422))
async def my_requests(session: Session, customer: CustomerPrincipal, response: Response,
                      status: Status | None = None, limit: Limit = 50,
                      offset: Offset = 0) -> list[ServiceRequestSummary]:
    """Your service requests, newest first (X-Total-Count holds the count of all matching)."""
    items, total = await ServiceRequestService(session).list(
        customer_id=customer.customer_id, status=status, limit=limit, offset=offset)
    set_total(response, total)
    return [views.summary(r) for r in items]


@portal.get("/{request_id}", response_model=ServiceRequestOut,
            responses=error_responses(401, 403, 404, 422))
async def my_request(request_id: uuid.UUID, session: Session,
                     customer: CustomerPrincipal) -> ServiceRequestOut:
    """One of your service requests with its reply thread."""
    return views.detail(
        await ServiceRequestService(session).get_for_customer(customer, request_id))


@portal.post("/{request_id}/replies", status_code=201, response_model=ServiceRequestOut,
             responses=error_responses(401, 403, 404, 409, 422))
async def reply_to_my_request(request_id: uuid.UUID, body: ReplyIn, session: Session,
                              customer: CustomerPrincipal) -> ServiceRequestOut:
    """Add to the thread of your request while it is not resolved; returns the request."""
    return views.detail(await ServiceRequestService(session).reply_as_customer(
        customer, request_id, body))


@console.get("", response_model=list[ServiceRequestSummary],
             responses=error_responses(401, 403, 422))
async def list_requests(session: Session, staff: ServiceDeskQuery, response: Response,
                        status: Status | None = None, customer_id: uuid.UUID | None = None,
                        machine_id: uuid.UUID | None = None, limit: Limit = 50,
                        offset: Offset = 0) -> list[ServiceRequestSummary]:
    """Service requests of your areas' customers (C-7), newest first; `status=open` is the
    work queue, `machine_id` a machine's history."""
    items, total = await ServiceRequestService(session).list(
        customer_id=customer_id, status=status, areas=staff.areas, machine_id=machine_id,
        limit=limit, offset=offset)
    set_total(response, total)
    return [views.summary(r) for r in items]


@console.get("/{request_id}", response_model=ServiceRequestOut,
             responses=error_responses(401, 403, 404, 422))
async def get_request(request_id: uuid.UUID, session: Session,
                      staff: ServiceDeskQuery) -> ServiceRequestOut:
    """One service request with its reply thread (your areas' customers only, C-7)."""
    return views.detail(await ServiceRequestService(session).get(request_id,
                                                                 areas=staff.areas))


@console.post("/{request_id}/replies", status_code=201, response_model=ServiceRequestOut,
              responses=error_responses(401, 403, 404, 409, 422))
async def reply_to_request(request_id: uuid.UUID, body: StaffReplyIn, session: Session,
                           staff: ServiceDeskEntry) -> ServiceRequestOut:
    """Reply to a request and optionally move it on (in_progress, resolved); a resolved
    request takes no more replies (409)."""
    return views.detail(await ServiceRequestService(session).reply_as_staff(
        staff, request_id, body))
