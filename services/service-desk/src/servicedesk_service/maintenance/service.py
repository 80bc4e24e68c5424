"""Maintenance record use cases (S-3..S-9, B-5): load through the repository, decide in
the domain. The request's session commits; nothing here commits."""

from __future__ import annotations

import uuid

from servicekit.auth import Principal
from servicekit.errors import Conflict, NotFound
from servicekit.timeutil import business_date, utcnow
from sqlalchemy.ext.asyncio import AsyncSession

from ..customers.repository import CustomerViewRepository
from ..models import MaintenanceCategory, MaintenanceEntry, MaintenanceRecord
from . import domain
from .repository import Filters, MaintenanceRepository, RecordRow
from .schemas import CategoryIn, EntryIn, RecordIn, RecordUpdate

RETURN_VISIT_CONTENT = "维修后回访：{content}"


class MaintenanceService:
    def __init__(self, session: AsyncSession, *, return_visit_days: int = 7) -> None:
        self.session = session
        self.repo = MaintenanceRepository(session)
        self.customers = CustomerViewRepository(session)
        self.return_visit_days = return_visit_days

    # ------------------------------------------------------------ categories
    async def categories(self, kind: str | None) -> list[MaintenanceCategory]:
        return await self.repo.categories(kind)

    async def add_category(self, principal: Principal, data: CategoryIn) -> MaintenanceCategory:
        if await self.repo.category_named(data.kind, data.name):
            raise Conflict(f"The category {data.name} already exists")
        category = MaintenanceCategory(id=uuid.uuid4(), kind=data.kind, name=data.name,
                                       created_by=principal.display)
        self.repo.add(category)
        await self.session.flush()
        return category

    # ------------------------------------------------------------ records
    async def create(self, principal: Principal, data: RecordIn) -> RecordRow:
        customer = await self.customers.get(data.customer_id)
        if customer is None or (principal.areas and customer.area not in principal.areas):
            raise NotFound("Customer not found")
        kind = domain.Kind(data.kind)
        await self._check_links(data.customer_id, kind, machine_id=data.machine_id,
                                category_id=data.category_id,
                                service_request_id=data.service_request_id)
        today = business_date()
        service_date = data.service_date or today
        domain.check_service_date(service_date, today)
        domain.check_factory(data.return_to_factory, data.factory_return_method)
        status = domain.payment_status_for(
            data.charge, domain.PaymentStatus(data.payment_status)
            if data.payment_status else None)
        now = utcnow()
        record = MaintenanceRecord(
            id=uuid.uuid4(), customer_id=customer.customer_id, machine_id=data.machine_id,
            kind=kind.value, category_id=data.category_id, service_date=service_date,
            content=data.content, engineer=data.engineer,
            accessories=[a.model_dump() for a in data.accessories], charge=data.charge,
            payment_status=status.value, return_to_factory=data.return_to_factory,
            factory_return_method=data.factory_return_method if data.return_to_factory
            else None, key_matter=data.key_matter, processed=data.processed,
            processed_at=now if data.processed else None,
            service_request_id=data.service_request_id, created_by=principal.display,
            updated_by=principal.display, entries=[])
        self.repo.add(record)
        await self.session.flush()
        if data.processed:
            await self._schedule_return_visit(principal, record)
        return await self._row(record.id)

    async def update(self, principal: Principal, record_id: uuid.UUID,
                     data: RecordUpdate) -> RecordRow:
        record = await self._get(principal, record_id, for_update=True)
        changes = data.model_dump(exclude_unset=True)
        if "content" in changes and changes["content"] is None:
            raise domain.InvalidRecord("content cannot be emptied")
        kind = domain.Kind(record.kind)
        await self._check_links(record.customer_id, kind,
                                machine_id=changes.get("machine_id"),
                                category_id=changes.get("category_id"))
        if "service_date" in changes:
            if changes["service_date"] is None:
                raise domain.InvalidRecord("service_date cannot be emptied")
            domain.check_service_date(changes["service_date"], business_date())
        factory = changes.get("return_to_factory", record.return_to_factory)
        if factory is None:
            factory = False
        method = changes.get("factory_return_method", record.factory_return_method)
        domain.check_factory(factory, method)
        charge = changes.get("charge")
        if charge is None:
            charge = record.charge
        requested = changes.get("payment_status")
        if requested is None:  # keep the stored status while it still fits the charge
            fits = (charge == 0) == (record.payment_status == "free")
            requested = record.payment_status if fits else None
        status = domain.payment_status_for(
            charge, domain.PaymentStatus(requested) if requested else None)
        domain.check_charge_covers_points(
            charge, record.points_used,
            record.points_requested if record.points_status == "requested" else 0)
        for field in ("machine_id", "category_id", "service_date", "content", "engineer"):
            if field in changes:
                setattr(record, field, changes[field])
        if "accessories" in changes and changes["accessories"] is not None:
            record.accessories = changes["accessories"]
        if "key_matter" in changes and changes["key_matter"] is not None:
            record.key_matter = changes["key_matter"]
        record.return_to_factory = factory
        record.factory_return_method = method if factory else None
        record.charge = charge
        record.payment_status = status.value
        record.updated_by = principal.display
        record.updated_at = utcnow()
        await self.session.flush()
        return await self._row(record.id)

    async def add_entry(self, principal: Principal, record_id: uuid.UUID,
                        data: EntryIn) -> RecordRow:
        """Append a "repair processing" entry (S-4); `processed` finishes the record and,
        for a repair, schedules its return visit (B-5)."""
        record = await self._get(principal, record_id, for_update=True)
        domain.check_can_add_entry(self._flags(record))
        now = utcnow()
        record.entries.append(MaintenanceEntry(
            id=uuid.uuid4(), position=len(record.entries) + 1, content=data.content,
            engineer=data.engineer or record.engineer, processed=data.processed,
            created_by=principal.display, created_at=now))
        if data.engineer and not record.engineer:
            record.engineer = data.engineer
        record.updated_by = principal.display
        record.updated_at = now
        if data.processed:
            record.processed = True
            record.processed_at = now
        await self.session.flush()
        if data.processed:
            await self._schedule_return_visit(principal, record)
        return await self._row(record.id)

    async def suspend(self, principal: Principal, record_id: uuid.UUID,
                      reason: str) -> RecordRow:
        record = await self._get(principal, record_id, for_update=True)
        domain.check_can_suspend(self._flags(record))
        record.suspended, record.suspended_reason = True, reason
        record.suspended_at = record.updated_at = utcnow()
        record.updated_by = principal.display
        await self.session.flush()
        return await self._row(record.id)

    async def resume(self, principal: Principal, record_id: uuid.UUID) -> RecordRow:
        record = await self._get(principal, record_id, for_update=True)
        domain.check_can_resume(self._flags(record))
        record.suspended = False
        record.updated_at = utcnow()
        record.updated_by = principal.display
        await self.session.flush()
        return await self._row(record.id)

    async def get(self, principal: Principal, record_id: uuid.UUID
                  ) -> tuple[RecordRow, MaintenanceRecord, uuid.UUID | None]:
        record = await self._get(principal, record_id)
        return (await self._row(record.id), record,
                await self.repo.return_visit_of(record.id))

    async def list(self, f: Filters, *, limit: int, offset: int
                   ) -> tuple[list[RecordRow], int]:
        return await self.repo.list(f, limit=limit, offset=offset)

    async def unprocessed(self, principal: Principal) -> list[tuple]:
        return await self.repo.unprocessed_by_customer(principal.areas)

    async def stats(self, principal: Principal, *, year: int,
                    customer_id: uuid.UUID | None) -> dict:
        return await self.repo.stats(year=year, customer_id=customer_id,
                                     areas=principal.areas)

    # ------------------------------------------------------------ helpers
    async def _schedule_return_visit(self, principal: Principal,
                                     repair: MaintenanceRecord) -> None:
        due = domain.return_visit_due(domain.Kind(repair.kind), business_date(),
                                      self.return_visit_days)
        if due is None or await self.repo.return_visit_of(repair.id):
            return
        self.repo.add(MaintenanceRecord(
            id=uuid.uuid4(), customer_id=repair.customer_id, machine_id=repair.machine_id,
            kind=domain.Kind.RETURN_VISIT.value, service_date=business_date(),
            content=RETURN_VISIT_CONTENT.format(content=repair.content[:200]),
            engineer=repair.engineer, accessories=[],
            payment_status=domain.PaymentStatus.FREE.value, processed=False,
            follows_record_id=repair.id, due_on=due, created_by=principal.display,
            updated_by=principal.display, entries=[]))
        await self.session.flush()

    async def _check_links(self, customer_id: uuid.UUID, kind: domain.Kind, *,
                           machine_id: uuid.UUID | None = None,
                           category_id: uuid.UUID | None = None,
                           service_request_id: uuid.UUID | None = None) -> None:
        if machine_id is not None:
            machine = await self.repo.machine(machine_id)
            if machine is None or machine.customer_id != customer_id:
                raise domain.InvalidRecord("machine_id is not one of this customer's machines")
        if category_id is not None:
            category = await self.repo.category(category_id)
            wanted = domain.category_kind_for(kind)
            if category is None:
                raise domain.InvalidRecord("category_id is not a known category")
            if category.kind != wanted.value:
                raise domain.InvalidRecord(
                    f"A {kind.value.replace('_', ' ')} takes a {wanted.value} category; "
                    f"{category.name} is a {category.kind} category")
        if service_request_id is not None:
            request = await self.repo.service_request(service_request_id)
            if request is None or request.customer_id != customer_id:
                raise domain.InvalidRecord(
                    "service_request_id is not one of this customer's fault reports")

    async def _get(self, principal: Principal, record_id: uuid.UUID, *,
                   for_update: bool = False) -> MaintenanceRecord:
        record = await self.repo.get(record_id, areas=principal.areas, for_update=for_update)
        if record is None:  # another area's record is simply not there (404)
            raise NotFound("Maintenance record not found")
        return record

    async def _row(self, record_id: uuid.UUID) -> RecordRow:
        row = await self.repo.row(record_id)
        assert row is not None
        return row

    @staticmethod
    def _flags(record: MaintenanceRecord) -> domain.Flags:
        return domain.Flags(return_to_factory=record.return_to_factory,
                            key_matter=record.key_matter, processed=record.processed,
                            suspended=record.suspended)
