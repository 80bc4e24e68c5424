import uuid
from typing import Annotated

from fastapi import APIRouter, File, Query, Request, Response, UploadFile
from fastapi.concurrency import run_in_threadpool
from servicekit.auth import CustomerPrincipal, require_permission
from servicekit.db import Session
from servicekit.errors import error_responses
from servicekit.pagination import set_total

from . import views
from .domain import MAX_PHOTO_BYTES, MAX_PHOTOS, Author, InvalidRequest
from .photos import CleanPhoto, PhotoStore, clean, display_name
from .schemas import (
    ReplyIn,
    ServiceRequestIn,
    ServiceRequestOut,
    ServiceRequestSummary,
    StaffReplyIn,
    Status,
)
from .service import ServiceRequestService

portal = APIRouter(prefix="/api/portal/service-requests", tags=["portal: service requests"])
console = APIRouter(prefix="/api/console/service-requests",
                    tags=["console: service requests"])

ServiceDeskQuery = require_permission("service_desk:query")
ServiceDeskEntry = require_permission("service_desk:entry")
Statuses = Annotated[list[Status] | None, Query(
    description="Only reports in these statuses (repeat the parameter for several)")]
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]
IMAGE = {"content": {"image/jpeg": {}, "image/png": {}, "image/webp": {}},
         "description": "The photo"}
# Photos are private: a browser may keep them, a shared cache may not.
PHOTO_CACHE = "private, max-age=86400"


def _store(request: Request) -> PhotoStore:
    return PhotoStore(request.app.state.settings.media_dir)


def _image(content_type: str, data: bytes) -> Response:
    return Response(content=data, media_type=content_type,
                    headers={"Cache-Control": PHOTO_CACHE,
                             "X-Content-Type-Options": "nosniff"})


async def _read(files: list[UploadFile]) -> list[CleanPhoto]:
    """Every uploaded file checked by its content (422 naming the first bad file); never
    more than a photo's limit is read into memory."""
    if len(files) > MAX_PHOTOS:
        raise InvalidRequest(f"A fault report takes at most {MAX_PHOTOS} photos; "
                             f"{len(files)} were sent")
    photos = []
    for upload in files:
        data = await upload.read(MAX_PHOTO_BYTES + 1)
        if len(data) > MAX_PHOTO_BYTES:
            raise InvalidRequest(f"Photo {display_name(upload.filename)}: the file is larger than "
                                 f"{MAX_PHOTO_BYTES // 1024 // 1024} MB, the limit for a "
                                 "photo")
        # decoding and re-encoding is CPU work: off the event loop
        photos.append(await run_in_threadpool(clean, upload.filename, data))
    return photos


@portal.post("", status_code=201, response_model=ServiceRequestOut,
             responses=error_responses(401, 403, 422))
async def open_request(body: ServiceRequestIn, session: Session,
                       customer: CustomerPrincipal) -> ServiceRequestOut:
    """Report a fault on one of your machines; the service staff are prompted at once.
    Add photos with POST /{id}/photos."""
    return views.detail(await ServiceRequestService(session).open(customer, body), "portal")


@portal.get("", response_model=list[ServiceRequestSummary],
            responses=error_responses(401, 403, 422))
async def my_requests(session: Session, customer: CustomerPrincipal, response: Response,
                      status: Statuses = None, limit: Limit = 50,
                      offset: Offset = 0) -> list[ServiceRequestSummary]:
    """Your fault reports, newest first (X-Total-Count holds the count of all matching)."""
    items, total = await ServiceRequestService(session).list(
        customer_id=customer.customer_id, statuses=status or (), limit=limit, offset=offset)
    set_total(response, total)
    return [views.summary(r, n) for r, n in items]


@portal.get("/{request_id}", response_model=ServiceRequestOut,
            responses=error_responses(401, 403, 404, 422))
async def my_request(request_id: uuid.UUID, session: Session,
                     customer: CustomerPrincipal) -> ServiceRequestOut:
    """One of your fault reports with its thread and photos."""
    return views.detail(
        await ServiceRequestService(session).get_for_customer(customer, request_id), "portal")


@portal.post("/{request_id}/replies", status_code=201, response_model=ServiceRequestOut,
             responses=error_responses(401, 403, 404, 409, 422))
async def reply_to_my_request(request_id: uuid.UUID, body: ReplyIn, session: Session,
                              customer: CustomerPrincipal) -> ServiceRequestOut:
    """Add to the thread of your report while it is not closed; your answer brings a report
    waiting for you back to in_progress and a resolved one back to open. Returns the
    report."""
    return views.detail(await ServiceRequestService(session).reply_as_customer(
        customer, request_id, body), "portal")


@portal.post("/{request_id}/photos", status_code=201, response_model=ServiceRequestOut,
             responses=error_responses(401, 403, 404, 409, 422))
async def add_photos(request_id: uuid.UUID, session: Session, customer: CustomerPrincipal,
                     request: Request,
                     files: Annotated[list[UploadFile], File(
                         description="One or more JPEG, PNG or WebP photos, at most 5 MB "
                                     "each")]) -> ServiceRequestOut:
    """Add photos to your report while it is not closed: at most 6 per report, JPEG, PNG
    or WebP by content, 5 MB each. They are re-encoded without EXIF or other metadata.
    Returns the report."""
    photos = await _read(files)
    return views.detail(await ServiceRequestService(session).add_photos(
        customer, request_id, photos, _store(request)), "portal")


@portal.get("/{request_id}/photos/{photo_id}", response_class=Response,
            responses={200: IMAGE, **error_responses(401, 403, 404, 422)})
async def my_photo(request_id: uuid.UUID, photo_id: uuid.UUID, session: Session,
                   customer: CustomerPrincipal, request: Request) -> Response:
    """A photo of one of your reports."""
    photo, data = await ServiceRequestService(session).photo(
        request_id, photo_id, _store(request), customer_id=customer.customer_id)
    return _image(photo.content_type, data)


@portal.post("/{request_id}/close", response_model=ServiceRequestOut,
             responses=error_responses(401, 403, 404, 409, 422))
async def close_my_request(request_id: uuid.UUID, session: Session,
                           customer: CustomerPrincipal) -> ServiceRequestOut:
    """Close your report once it is resolved (409 otherwise); it takes no more replies."""
    return views.detail(await ServiceRequestService(session).close(
        customer, request_id, Author.CUSTOMER), "portal")


@console.get("", response_model=list[ServiceRequestSummary],
             responses=error_responses(401, 403, 422))
async def list_requests(session: Session, staff: ServiceDeskQuery, response: Response,
                        status: Statuses = None, customer_id: uuid.UUID | None = None,
                        machine_id: uuid.UUID | None = None, limit: Limit = 50,
                        offset: Offset = 0) -> list[ServiceRequestSummary]:
    """Fault reports of your areas' customers (C-7), newest first; `status=open&status=
    in_progress&status=waiting_for_customer` is the work queue, `machine_id` a machine's
    history."""
    items, total = await ServiceRequestService(session).list(
        customer_id=customer_id, statuses=status or (), areas=staff.areas,
        machine_id=machine_id, limit=limit, offset=offset)
    set_total(response, total)
    return [views.summary(r, n) for r, n in items]


@console.get("/{request_id}", response_model=ServiceRequestOut,
             responses=error_responses(401, 403, 404, 422))
async def get_request(request_id: uuid.UUID, session: Session,
                      staff: ServiceDeskQuery) -> ServiceRequestOut:
    """One fault report with its thread and photos (your areas' customers only, C-7)."""
    return views.detail(await ServiceRequestService(session).get(request_id,
                                                                 areas=staff.areas),
                        "console")


@console.get("/{request_id}/photos/{photo_id}", response_class=Response,
             responses={200: IMAGE, **error_responses(401, 403, 404, 422)})
async def get_photo(request_id: uuid.UUID, photo_id: uuid.UUID, session: Session,
                    staff: ServiceDeskQuery, request: Request) -> Response:
    """A photo of a fault report (your areas' customers only, C-7)."""
    photo, data = await ServiceRequestService(session).photo(
        request_id, photo_id, _store(request), areas=staff.areas)
    return _image(photo.content_type, data)


@console.post("/{request_id}/replies", status_code=201, response_model=ServiceRequestOut,
              responses=error_responses(401, 403, 404, 409, 422))
async def reply_to_request(request_id: uuid.UUID, body: StaffReplyIn, session: Session,
                           staff: ServiceDeskEntry) -> ServiceRequestOut:
    """Reply to a report and optionally move it on (in_progress, waiting_for_customer,
    resolved); a closed report takes no more replies (409). The customer is told."""
    return views.detail(await ServiceRequestService(session).reply_as_staff(
        staff, request_id, body), "console")


@console.post("/{request_id}/close", response_model=ServiceRequestOut,
              responses=error_responses(401, 403, 404, 409, 422))
async def close_request(request_id: uuid.UUID, session: Session,
                        staff: ServiceDeskEntry) -> ServiceRequestOut:
    """Close a resolved report (409 otherwise); it takes no more replies."""
    return views.detail(await ServiceRequestService(session).close(
        staff, request_id, Author.STAFF), "console")
