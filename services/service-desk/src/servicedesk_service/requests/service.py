"""Service request use cases: load through repositories, decide in the domain, write
outbox rows. The request's session commits; nothing here commits."""

from __future__ import annotations

import uuid

from dinghuo_contracts import ServiceRequestOpened
from servicekit.auth import Principal
from servicekit.errors import Forbidden, NotFound, Unprocessable
from servicekit.messaging import add_event
from servicekit.timeutil import utcnow
from sqlalchemy.ext.asyncio import AsyncSession

from ..customers.repository import CustomerViewRepository
from ..machines.repository import MachineRepository
from ..models import ServiceReply, ServiceRequest
from . import domain
from .repository import ServiceRequestRepository
from .schemas import ReplyIn, ServiceRequestIn, StaffReplyIn

SOURCE = "servicedesk"


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
            created_by=principal.display, replies=[],
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

    async def list(self, *, customer_id: uuid.UUID | None, status: str | None, limit: int,
                   offset: int, areas: frozenset[str] = frozenset(),
                   machine_id: uuid.UUID | None = None) -> tuple[list[ServiceRequest], int]:
        return await self.requests.list(customer_id=customer_id, status=status, areas=areas,
                                        machine_id=machine_id, limit=limit, offset=offset)

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
        request.replies.append(ServiceReply(
            id=uuid.uuid4(), position=len(request.replies) + 1, author_kind=author.value,
            author=principal.display, message=message,
            status_change=outcome.status.value if outcome.changed else None, created_at=now))
        request.status = outcome.status.value
        request.updated_at = now
        if outcome.status is domain.RequestStatus.RESOLVED:
            request.resolved_at = now
        await self.session.flush()
        return request
