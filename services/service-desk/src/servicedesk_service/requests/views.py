"""ORM rows → API schemas. A photo's URL and the offered actions depend on the side
that asks (`portal` for the customer, `console` for staff)."""

from __future__ import annotations

from typing import Literal

from ..models import ServicePhoto, ServiceReply, ServiceRequest
from . import domain
from .schemas import PhotoOut, ReplyOut, ServiceRequestOut, ServiceRequestSummary

Side = Literal["portal", "console"]


def summary(r: ServiceRequest, photo_count: int = 0) -> ServiceRequestSummary:
    return ServiceRequestSummary(
        id=r.id, customer_id=r.customer_id, customer_name=r.customer_name,
        customer_number=r.customer_number, status=r.status, machine_id=r.machine_id,
        machine=r.machine, model=r.model,
        machine_number=r.machine_number, description=r.description, created_at=r.created_at,
        updated_at=r.updated_at, resolved_at=r.resolved_at, closed_at=r.closed_at,
        photo_count=photo_count,
    )


def reply(x: ServiceReply) -> ReplyOut:
    return ReplyOut(id=x.id, author_kind=x.author_kind, author=x.author, message=x.message,
                    status_change=x.status_change, created_at=x.created_at)


def photo(p: ServicePhoto, side: Side) -> PhotoOut:
    return PhotoOut(id=p.id, url=f"/api/{side}/service-requests/{p.request_id}/photos/{p.id}",
                    filename=p.filename, content_type=p.content_type, size=p.size,
                    width=p.width, height=p.height, uploaded_by_kind=p.uploaded_by_kind,
                    created_at=p.created_at)


def detail(r: ServiceRequest, side: Side) -> ServiceRequestOut:
    author = domain.Author.CUSTOMER if side == "portal" else domain.Author.STAFF
    return ServiceRequestOut(
        **summary(r, len(r.photos)).model_dump(), replies=[reply(x) for x in r.replies],
        photos=[photo(p, side) for p in r.photos],
        actions=domain.actions(domain.RequestStatus(r.status), author))
