"""All SQL of invoices."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Collection

from servicekit.search import like_pattern as _like
from sqlalchemy import Select, exists, func, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from ..models import Invoice, InvoiceCustomer, InvoiceFapiao, InvoiceOrder
from .domain import InvoiceFilter


def in_areas(areas: frozenset[str]):
    """Invoices of customers in the given areas (staff bound to areas, C-7); a customer
    whose area is not known here yet is in none."""
    return Invoice.customer_id.in_(
        select(InvoiceCustomer.customer_id).where(InvoiceCustomer.area.in_(sorted(areas))))




def filtered(f: InvoiceFilter) -> Select:
    stmt = select(Invoice)
    if f.customer_id is not None:
        stmt = stmt.where(Invoice.customer_id == f.customer_id)
    if f.status is not None:
        stmt = stmt.where(Invoice.status == f.status)
    if f.areas:
        stmt = stmt.where(in_areas(f.areas))
    q = (f.q or "").strip()
    if q:
        pattern = _like(q)
        stmt = stmt.where(or_(
            Invoice.title.ilike(pattern, escape="\\"),
            Invoice.customer_name.ilike(pattern, escape="\\"),
            Invoice.tax_number.ilike(pattern, escape="\\"),
            exists().where(InvoiceOrder.invoice_id == Invoice.id,
                           InvoiceOrder.number.ilike(pattern, escape="\\")),
            exists().where(InvoiceFapiao.invoice_id == Invoice.id,
                           InvoiceFapiao.invoice_number.ilike(pattern, escape="\\")),
        ))
    return stmt


def _with_parts(stmt: Select) -> Select:
    return stmt.options(selectinload(Invoice.orders), selectinload(Invoice.fapiao))


class InvoiceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, invoice: Invoice) -> None:
        self.session.add(invoice)

    async def get(self, invoice_id: uuid.UUID, *, customer_id: uuid.UUID | None = None,
                  areas: frozenset[str] = frozenset(),
                  for_update: bool = False) -> Invoice | None:
        """One invoice with its orders and fapiao; `customer_id` limits it to that
        customer's, `areas` to the staff member's areas (C-7)."""
        stmt = _with_parts(select(Invoice).where(Invoice.id == invoice_id))
        if customer_id is not None:
            stmt = stmt.where(Invoice.customer_id == customer_id)
        if areas:
            stmt = stmt.where(in_areas(areas))
        if for_update:
            stmt = stmt.with_for_update(of=Invoice).execution_options(populate_existing=True)
        return (await self.session.scalars(stmt)).first()

    async def active_invoices_of(self, order_ids: Collection[uuid.UUID]) -> dict[
            uuid.UUID, tuple[uuid.UUID, str]]:
        """order id → the active invoice that already covers it, and that invoice's
        status."""
        if not order_ids:
            return {}
        rows = await self.session.execute(
            select(InvoiceOrder.order_id, InvoiceOrder.invoice_id, Invoice.status)
            .join(Invoice, Invoice.id == InvoiceOrder.invoice_id)
            .where(InvoiceOrder.order_id.in_(list(order_ids)), InvoiceOrder.active))
        return {r.order_id: (r.invoice_id, r.status) for r in rows}

    async def fapiao_numbers_taken(self, numbers: Collection[str]) -> list[str]:
        """Those of `numbers` some fapiao already carries."""
        if not numbers:
            return []
        rows = await self.session.scalars(
            select(InvoiceFapiao.invoice_number)
            .where(InvoiceFapiao.invoice_number.in_(list(numbers))))
        taken = set(rows.all())
        return [n for n in numbers if n in taken]

    async def list(self, f: InvoiceFilter, *, limit: int = 50,
                   offset: int = 0) -> tuple[list[Invoice], int]:
        stmt = filtered(f)
        total = (await self.session.execute(
            select(func.count()).select_from(stmt.subquery()))).scalar_one()
        rows = (await self.session.scalars(
            _with_parts(stmt).order_by(Invoice.created_at.desc(), Invoice.id)
            .limit(limit).offset(offset))).all()
        return list(rows), total

    async def count(self, f: InvoiceFilter) -> int:
        return (await self.session.execute(
            select(func.count()).select_from(filtered(f).subquery()))).scalar_one()

    async def batches(self, f: InvoiceFilter, size: int = 500) -> AsyncIterator[
            list[tuple[Invoice, InvoiceCustomer | None]]]:
        """The matching invoices, newest first, with their customers (if known here), a
        batch at a time (keyset paging: memory stays flat)."""
        after: tuple | None = None
        while True:
            stmt = (_with_parts(filtered(f))
                    .add_columns(InvoiceCustomer)
                    .outerjoin(InvoiceCustomer,
                               InvoiceCustomer.customer_id == Invoice.customer_id)
                    .order_by(Invoice.created_at.desc(), Invoice.id.desc()).limit(size))
            if after is not None:
                stmt = stmt.where(tuple_(Invoice.created_at, Invoice.id) < after)
            rows = [(r[0], r[1]) for r in (await self.session.execute(stmt)).all()]
            if not rows:
                return
            yield rows
            if len(rows) < size:
                return
            last = rows[-1][0]
            after = (last.created_at, last.id)
