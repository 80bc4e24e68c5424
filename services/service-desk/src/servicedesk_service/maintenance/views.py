"""ORM rows → API schemas."""

from __future__ import annotations

import uuid

from ..models import MaintenanceCategory, MaintenanceEntry, MaintenanceRecord
from . import domain
from .repository import RecordRow
from .schemas import (
    Accessory,
    CategoryCount,
    CategoryOut,
    EngineerWorkload,
    EntryOut,
    MonthWorkload,
    RecordOut,
    RecordSummary,
    Stats,
    UnprocessedCustomer,
)


def category(c: MaintenanceCategory) -> CategoryOut:
    return CategoryOut(id=c.id, kind=c.kind, name=c.name, created_at=c.created_at)


def summary(row: RecordRow) -> RecordSummary:
    r, c, m, cat = row.record, row.customer, row.machine, row.category
    menus = domain.menus(domain.Flags(return_to_factory=r.return_to_factory,
                                      key_matter=r.key_matter, processed=r.processed,
                                      suspended=r.suspended))
    return RecordSummary(
        id=r.id, customer_id=r.customer_id, customer_name=c.name if c else None,
        customer_number=c.customer_number if c else None, area=c.area if c else None,
        machine_id=r.machine_id, machine_name=m.name if m else None,
        machine_model=m.model if m else None, machine_number=m.machine_number if m else None,
        kind=r.kind, category_id=r.category_id, category_name=cat.name if cat else None,
        service_date=r.service_date, content=r.content, engineer=r.engineer,
        accessories=[Accessory(**a) for a in r.accessories or []], charge=r.charge,
        payment_status=r.payment_status, return_to_factory=r.return_to_factory,
        factory_return_method=r.factory_return_method, key_matter=r.key_matter,
        processed=r.processed, processed_at=r.processed_at, suspended=r.suspended,
        suspended_reason=r.suspended_reason, suspended_at=r.suspended_at,
        service_request_id=r.service_request_id, points_requested=r.points_requested,
        points_used=r.points_used, points_status=r.points_status,
        points_reason=r.points_reason, payable=domain.payable(r.charge, r.points_used),
        follows_record_id=r.follows_record_id,
        due_on=r.due_on, menus=sorted(x.value for x in menus), entry_count=row.entry_count,
        created_by=r.created_by, updated_by=r.updated_by, created_at=r.created_at,
        updated_at=r.updated_at)


def entry(e: MaintenanceEntry) -> EntryOut:
    return EntryOut(id=e.id, position=e.position, content=e.content, engineer=e.engineer,
                    processed=e.processed, created_by=e.created_by, created_at=e.created_at)


def detail(row: RecordRow, record: MaintenanceRecord,
           return_visit_id: uuid.UUID | None) -> RecordOut:
    return RecordOut(**summary(row).model_dump(), entries=[entry(e) for e in record.entries],
                     return_visit_id=return_visit_id)


def unprocessed(row: tuple) -> UnprocessedCustomer:
    cid, name, number, area, repairs, visits, key, oldest, due = row
    return UnprocessedCustomer(customer_id=cid, customer_name=name, customer_number=number,
                               area=area, repairs=repairs, return_visits=visits,
                               key_matters=key, oldest_service_date=oldest, next_due_on=due)


def stats(year: int, customer_id: uuid.UUID | None, data: dict) -> Stats:
    by_category = [CategoryCount(category_id=cid, name=name, kind=kind, records=n)
                   for cid, name, kind, n in data["by_category"]]
    return Stats(
        year=year, customer_id=customer_id, records=sum(c.records for c in by_category),
        by_category=by_category,
        by_month=[MonthWorkload(month=m, customers=c, repairs=r, return_visits=v)
                  for m, c, r, v in data["by_month"]],
        by_engineer=[EngineerWorkload(engineer=e, month=m, customers=c, records=n)
                     for e, m, c, n in data["by_engineer"]])
