"""ORM rows → API schemas."""

from __future__ import annotations

from ..models import ServiceReply, ServiceRequest
from .schemas import ReplyOut, ServiceRequestOut, ServiceRequestSummary


def summary(r: ServiceRequest) -> ServiceRequestSummary:
    return ServiceRequestSummary(
        id=r.id, customer_id=r.customer_id, customer_name=r.customer_name,
        customer_number=r.customer_number, status=r.status, machine_id=r.machine_id,
        machine=r.machine, model=r.model,
        machine_number=r.machine_number, description=r.description, created_at=r.created_at,
        updated_at=r.updated_at, resolved_at=r.resolved_at,
    )


def reply(x: ServiceReply) -> ReplyOut:
    return ReplyOut(id=x.id, author_kind=x.author_kind, author=x.author, message=x.message,
                    status_change=x.status_change, created_at=x.created_at)


def detail(r: ServiceRequest) -> ServiceRequestOut:
    return ServiceRequestOut(**summary(r).model_dump(), replies=[reply(x) for x in r.replies])
