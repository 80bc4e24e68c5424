"""Installed-base use cases (S-2): load through repositories, decide in the domain. The
request's session commits; nothing here commits."""

from __future__ import annotations

import uuid

from dinghuo_contracts import ServiceDeskMachinesCounted
from servicekit.auth import Principal
from servicekit.errors import Conflict, NotFound
from servicekit.messaging import add_event
from servicekit.timeutil import business_date, utcnow
from sqlalchemy.ext.asyncio import AsyncSession

from ..customers.repository import CustomerViewRepository
from ..models import CustomerView, Machine
from . import domain
from .repository import MachineRepository
from .schemas import MachineIn, MachineUpdate

Row = tuple[Machine, CustomerView | None]


class MachineService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.machines = MachineRepository(session)
        self.customers = CustomerViewRepository(session)

    async def register(self, principal: Principal, data: MachineIn) -> Row:
        """Staff enter a machine a customer bought; staff bound to areas only for customers
        of their areas (C-7)."""
        customer = await self.customers.get(data.customer_id)
        if customer is None or (principal.areas and customer.area not in principal.areas):
            raise NotFound("Customer not found")
        domain.check_purchase_date(data.purchase_date, business_date())
        if data.machine_number and await self.machines.number_taken(data.machine_number):
            raise Conflict(f"Machine number {data.machine_number} is already registered; "
                           "find that machine and edit it instead")
        fields = data.model_dump(exclude={"customer_id"})
        machine = Machine(
            id=uuid.uuid4(), customer_id=customer.customer_id, **fields,
            warranty_until=domain.warranty_until(data.purchase_date, data.warranty_months),
            created_by=principal.display, updated_by=principal.display)
        self.machines.add(machine)
        await self.session.flush()
        await self._counted(machine.customer_id)
        return machine, customer

    async def update(self, principal: Principal, machine_id: uuid.UUID,
                     data: MachineUpdate) -> Row:
        found = await self.machines.get(machine_id, areas=principal.areas, for_update=True)
        if found is None:
            raise NotFound("Machine not found")
        machine, customer = found
        changes = data.model_dump(exclude_unset=True)
        for required in ("purchase_date", "name", "quantity", "collection_status",
                         "warranty_months"):
            if required in changes and changes[required] is None:
                raise domain.InvalidMachine(f"{required} cannot be emptied")
        if "purchase_date" in changes:
            domain.check_purchase_date(changes["purchase_date"], business_date())
        number = changes.get("machine_number")
        if number and await self.machines.number_taken(number, other_than=machine.id):
            raise Conflict(f"Machine number {number} is already registered to another "
                           "machine")
        for field, value in changes.items():
            setattr(machine, field, value)
        machine.warranty_until = domain.warranty_until(machine.purchase_date,
                                                       machine.warranty_months)
        machine.updated_by = principal.display
        machine.updated_at = utcnow()
        await self.session.flush()
        if {"quantity", "model"} & changes.keys():
            await self._counted(machine.customer_id)
        return machine, customer

    async def _counted(self, customer_id: uuid.UUID) -> None:
        """Tell the order service the customer's installed base now (A-1's machine
        quantity), through the outbox in this transaction."""
        machines, models = await self.machines.installed_base(customer_id)
        await add_event(self.session, ServiceDeskMachinesCounted(
            customer_id=customer_id, machines=machines, models=models,
            counted_at=utcnow()), source="servicedesk")

    async def get(self, machine_id: uuid.UUID, *, principal: Principal) -> Row:
        """A machine as this principal may see it: a customer its own, staff their areas'."""
        found = await self.machines.get(
            machine_id, customer_id=principal.customer_id if principal.kind == "customer"
            else None, areas=principal.areas if principal.kind == "staff" else frozenset())
        if found is None:  # another customer's (or area's) machine is simply not there
            raise NotFound("Machine not found")
        return found

    async def list(self, principal: Principal, *, customer_id: uuid.UUID | None = None,
                   q: str | None = None, warranty: str | None = None, limit: int = 50,
                   offset: int = 0) -> tuple[list[Row], int]:
        if principal.kind == "customer":
            customer_id, areas = principal.customer_id, frozenset[str]()
        else:
            areas = principal.areas
        return await self.machines.list(customer_id=customer_id, areas=areas, q=q,
                                        warranty=warranty, today=business_date(),
                                        limit=limit, offset=offset)
