"""Service request use cases: load through repositories, decide in the domain, write
outbox rows. The request's session commits; nothing here commits."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from dinghuo_contracts import ServiceRequestClosed, ServiceRequestOpened, ServiceRequestReplied
from servicekit.auth import Principal
from servicekit.errors import Forbidden, NotFound, Unprocessable
from servicekit.messaging import add_event
from servicekit.timeutil import utcnow
from sqlalchemy.ext.asyncio import AsyncSession

from ..customers.repository import CustomerViewRepository
from ..machines.repository import MachineRepository
from ..models import ServicePhoto, ServiceReply, ServiceRequest
from . import domain
from .photos import CleanPhoto, PhotoStore
from .repository import ServiceRequestRepository
from .schemas import ReplyIn, ServiceRequestIn, StaffReplyIn

SOURCE = "servicedesk"
SNIPPET = 200


class ServiceRequestService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.requests = ServiceRequestRepository(session)
        self.customers = CustomerViewRepository(session)
        self.machines = MachineRepository(session)

    async def open(self, principal: Principal, data: ServiceRequestIn) -> ServiceRequest:
        """An approved customer reports a fault (S-1); the staff get a prompt through
        servicedesk.request_opened."""
        assert principal.customer_id is not None
        customer = await self.customers.get(principal.customer_id)
        if customer is None or customer.status != "approved":
            raise Forbidden("Your company's registration has not been approved yet; "
                            "service requests can be reported once staff have approved it")
        machine, model, number = data.machine, data.model, data.machine_number
        if data.machine_id is not None:
            found = await self.machines.get(data.machine_id, customer_id=customer.customer_id)
            if found is None:
                raise Unprocessable("That machine is not one of your company's machines; "
                                    "pick one from your machine list")
            installed = found[0]
            machine, model, number = installed.name, installed.model, installed.machine_number
        if not machine:
            raise Unprocessable("Say which machine is faulty: pick one of your machines or "
                                "type its name")
        request = ServiceRequest(
            id=uuid.uuid4(), customer_id=customer.customer_id, customer_name=customer.name,
            customer_number=customer.customer_number, area=customer.area,
            machine_id=data.machine_id, machine=machine, model=model, machine_number=number,
            description=data.description, status=domain.RequestStatus.OPEN.value,
            created_by=principal.display, replies=[], photos=[],
        )
        self.requests.add(request)
        await self.session.flush()
        await add_event(self.session, ServiceRequestOpened(
            request_id=request.id, customer_id=request.customer_id,
            customer_name=request.customer_name, machine=request.machine,
            description=request.description,
        ), source=SOURCE)
        return request

    async def get_for_customer(self, principal: Principal,
                               request_id: uuid.UUID) -> ServiceRequest:
        request = await self.requests.get(request_id, customer_id=principal.customer_id)
        if request is None:  # another customer's request is simply not there (404)
            raise NotFound("Service request not found")
        return request

    async def get(self, request_id: uuid.UUID, *,
                  areas: frozenset[str] = frozenset()) -> ServiceRequest:
        request = await self.requests.get(request_id, areas=areas)
        if request is None:
            raise NotFound("Service request not found")
        return request

    async def list(self, *, customer_id: uuid.UUID | None, statuses: Sequence[str],
                   limit: int, offset: int, areas: frozenset[str] = frozenset(),
                   machine_id: uuid.UUID | None = None,
                   ) -> tuple[list[tuple[ServiceRequest, int]], int]:
        return await self.requests.list(customer_id=customer_id, statuses=statuses,
                                        areas=areas, machine_id=machine_id, limit=limit,
                                        offset=offset)

    async def photo(self, request_id: uuid.UUID, photo_id: uuid.UUID, store: PhotoStore, *,
                    customer_id: uuid.UUID | None = None,
                    areas: frozenset[str] = frozenset()) -> tuple[ServicePhoto, bytes]:
        """A photo and its bytes; another customer's (or another area's) is not there."""
        photo = await self.requests.get_photo(request_id, photo_id, customer_id=customer_id,
                                              areas=areas)
        data = store.read(photo.storage_key) if photo is not None else None
        if photo is None or data is None:
            raise NotFound("Photo not found")
        return photo, data

    async def add_photos(self, principal: Principal, request_id: uuid.UUID,
                         photos: list[CleanPhoto], store: PhotoStore) -> ServiceRequest:
        """The customer adds photos to its own report while it is not closed (S-1)."""
        request = await self.requests.get(request_id, customer_id=principal.customer_id,
                                          for_update=True)
        if request is None:
            raise NotFound("Service request not found")
        domain.add_photos(domain.RequestStatus(request.status), len(request.photos),
                          len(photos))
        now = utcnow()
        written: list[str] = []
        try:
            for photo in photos:
                photo_id = uuid.uuid4()
                key = store.save(request.id, photo_id, photo)
                written.append(key)
                request.photos.append(ServicePhoto(
                    id=photo_id, position=len(request.photos) + 1, filename=photo.filename,
                    content_type=photo.content_type, size=len(photo.data),
                    width=photo.width, height=photo.height, storage_key=key,
                    uploaded_by_kind=domain.Author.CUSTOMER.value,
                    uploaded_by=principal.display, created_at=now))
            request.updated_at = now
            await self.session.flush()
        except BaseException:
            for key in written:  # no file without its row
                store.delete(key)
            raise
        return request

    async def close(self, principal: Principal, request_id: uuid.UUID,
                    author: domain.Author) -> ServiceRequest:
        """Close a resolved report, as its customer or as staff of its area (S-1)."""
        if author is domain.Author.CUSTOMER:
            request = await self.requests.get(request_id, customer_id=principal.customer_id,
                                              for_update=True)
        else:
            request = await self.requests.get(request_id, areas=principal.areas,
                                              for_update=True)
        if request is None:
            raise NotFound("Service request not found")
        request.status = domain.close(domain.RequestStatus(request.status)).value
        now = utcnow()
        request.closed_at = request.updated_at = now
        await self.session.flush()
        await add_event(self.session, ServiceRequestClosed(
            request_id=request.id, customer_id=request.customer_id,
            customer_name=request.customer_name, machine=request.machine,
            closed_by_kind=author.value, closed_by=principal.display, closed_at=now,
        ), source=SOURCE)
        return request

    async def reply_as_customer(self, principal: Principal, request_id: uuid.UUID,
                                data: ReplyIn) -> ServiceRequest:
        request = await self.requests.get(request_id, customer_id=principal.customer_id,
                                          for_update=True)
        if request is None:
            raise NotFound("Service request not found")
        outcome = domain.reply(domain.RequestStatus(request.status), domain.Author.CUSTOMER)
        return await self._append(request, principal, domain.Author.CUSTOMER, data.message,
                                  outcome)

    async def reply_as_staff(self, principal: Principal, request_id: uuid.UUID,
                             data: StaffReplyIn) -> ServiceRequest:
        request = await self.requests.get(request_id, areas=principal.areas, for_update=True)
        if request is None:
            raise NotFound("Service request not found")
        requested = domain.RequestStatus(data.status) if data.status else None
        outcome = domain.reply(domain.RequestStatus(request.status), domain.Author.STAFF,
                               requested)
        return await self._append(request, principal, domain.Author.STAFF, data.message,
                                  outcome)

    async def _append(self, request: ServiceRequest, principal: Principal,
                      author: domain.Author, message: str,
                      outcome: domain.ReplyOutcome) -> ServiceRequest:
        now = utcnow()
        previous = request.status
        reply = ServiceReply(
            id=uuid.uuid4(), position=len(request.replies) + 1, author_kind=author.value,
            author=principal.display, message=message,
            status_change=outcome.status.value if outcome.changed else None, created_at=now)
        request.replies.append(reply)
        request.status = outcome.status.value
        request.updated_at = now
        if outcome.changed:
            # resolved_at tells when it was last resolved; a reopened report is not
            request.resolved_at = (now if outcome.status is domain.RequestStatus.RESOLVED
                                   else None)
        await self.session.flush()
        await add_event(self.session, ServiceRequestReplied(
            request_id=request.id, customer_id=request.customer_id,
            customer_name=request.customer_name, machine=request.machine, reply_id=reply.id,
            author_kind=author.value, author=principal.display, status=request.status,
            previous_status=previous, snippet=message[:SNIPPET], replied_at=now,
        ), source=SOURCE)
        return request
