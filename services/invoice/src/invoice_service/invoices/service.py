"""Invoice use cases: load through repositories, decide in the domain, write outbox rows.
The request's session commits; nothing here commits."""

from __future__ import annotations

import uuid

from dinghuo_contracts import InvoiceConfirmed, InvoiceIssued, InvoiceRequested
from servicekit.auth import Principal
from servicekit.errors import Conflict, NotFound
from servicekit.messaging import add_event
from servicekit.readmodel import catch_up
from servicekit.timeutil import utcnow
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import Invoice, InvoiceOrder
from ..orders.repository import InvoiceableOrderRepository
from . import domain
from .repository import InvoiceRepository
from .schemas import InvoiceRequestIn, IssueIn

SOURCE = "invoice"


class InvoiceService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.invoices = InvoiceRepository(session)
        self.orders = InvoiceableOrderRepository(session)

    async def request(self, principal: Principal, data: InvoiceRequestIn) -> Invoice:
        """The customer asks for an invoice for some of its own orders (I-1)."""
        assert principal.customer_id is not None
        refs = domain.parse_order_refs(data.order_ids)
        ids = {r.order_id for r in refs if r.order_id is not None}
        numbers = {r.number for r in refs if r.number is not None}
        # Orders reach this service by event within milliseconds; a request made the
        # moment an order was placed waits briefly for it instead of failing.
        def complete(rows) -> bool:
            known = {o.order_id for o in rows if o.total is not None} | {
                o.number for o in rows if o.total is not None}
            return all((r.order_id or r.number) in known for r in refs)

        rows = await catch_up(lambda: self.orders.find_for_customer(
            principal.customer_id, order_ids=ids, numbers=numbers), complete)
        by_id = {o.order_id: o for o in rows}
        by_number = {o.number: o for o in rows}
        chosen = []
        missing = []
        for r in refs:
            row = by_id.get(r.order_id) if r.order_id else by_number.get(r.number or "")
            if row is None:  # unknown or another customer's: simply not there (404)
                missing.append(r.raw)
            elif row not in chosen:  # an id and a number may name the same order
                chosen.append(row)
        if missing:
            raise NotFound(("Order " if len(missing) == 1 else "Orders ")
                           + ", ".join(missing) + " not found")
        taken = await self.invoices.active_invoices_of([o.order_id for o in chosen])
        amount = domain.check_invoiceable(
            domain.OrderFacts(o.order_id, o.number, o.status, o.total, taken.get(o.order_id))
            for o in chosen)
        invoice = Invoice(
            id=uuid.uuid4(), customer_id=principal.customer_id,
            customer_name=next((o.customer_name for o in chosen if o.customer_name), None),
            status=domain.InvoiceStatus.REQUESTED.value, amount=amount, title=data.title,
            tax_number=data.tax_number, remark=data.remark, requested_by=principal.display,
            orders=[InvoiceOrder(order_id=o.order_id, position=i, number=o.number,
                                 total=o.total, active=True)
                    for i, o in enumerate(chosen, start=1)],
        )
        self.invoices.add(invoice)
        await self._flush("One of these orders was just put on another invoice request")
        await add_event(self.session, InvoiceRequested(
            invoice_id=invoice.id, customer_id=invoice.customer_id,
            order_ids=[o.order_id for o in invoice.orders],
            order_numbers=[o.number for o in invoice.orders], amount=invoice.amount,
        ), source=SOURCE)
        return invoice

    async def issue(self, principal: Principal, invoice_id: uuid.UUID,
                    data: IssueIn) -> Invoice:
        """Finance staff enter the issued invoice's details (I-2)."""
        number = domain.clean_invoice_number(data.invoice_number)
        domain.check_issue_dates(data.invoice_date, data.sent_at)
        invoice = await self._get(invoice_id, for_update=True)
        status = domain.issue(domain.InvoiceStatus(invoice.status))
        if await self.invoices.invoice_number_taken(number):
            raise Conflict(f"Invoice number {number} is already used by another invoice")
        invoice.status = status.value
        invoice.invoice_number, invoice.invoice_date = number, data.invoice_date
        invoice.sent_at, invoice.courier = data.sent_at, data.courier
        invoice.tracking_number = data.tracking_number
        invoice.issued_by, invoice.issued_at = principal.display, utcnow()
        await self._flush(f"Invoice number {number} is already used by another invoice")
        await add_event(self.session, InvoiceIssued(
            invoice_id=invoice.id, customer_id=invoice.customer_id,
            order_ids=[o.order_id for o in invoice.orders], invoice_number=number,
            invoice_date=data.invoice_date, amount=invoice.amount,
        ), source=SOURCE)
        return invoice

    async def confirm_receipt(self, principal: Principal, invoice_id: uuid.UUID) -> Invoice:
        """The customer confirms it received the invoice (I-3); the order service then
        marks the orders invoiced (O-7)."""
        invoice = await self._get(invoice_id, customer_id=principal.customer_id,
                                  for_update=True)
        invoice.status = domain.confirm(domain.InvoiceStatus(invoice.status)).value
        invoice.confirmed_at = utcnow()
        await self._flush("The invoice was changed at the same time; try again")
        assert invoice.invoice_number is not None
        await add_event(self.session, InvoiceConfirmed(
            invoice_id=invoice.id, customer_id=invoice.customer_id,
            order_ids=[o.order_id for o in invoice.orders],
            invoice_number=invoice.invoice_number, amount=invoice.amount,
            confirmed_at=invoice.confirmed_at,
        ), source=SOURCE)
        return invoice

    async def get_for_customer(self, principal: Principal, invoice_id: uuid.UUID) -> Invoice:
        return await self._get(invoice_id, customer_id=principal.customer_id)

    async def get(self, invoice_id: uuid.UUID) -> Invoice:
        return await self._get(invoice_id)

    async def list(self, *, customer_id: uuid.UUID | None, status: str | None,
                   limit: int, offset: int) -> tuple[list[Invoice], int]:
        return await self.invoices.list(customer_id=customer_id, status=status, limit=limit,
                                        offset=offset)

    async def _get(self, invoice_id: uuid.UUID, *, customer_id: uuid.UUID | None = None,
                   for_update: bool = False) -> Invoice:
        invoice = await self.invoices.get(invoice_id, customer_id=customer_id,
                                          for_update=for_update)
        if invoice is None:  # another customer's invoice is simply not there (404)
            raise NotFound("Invoice not found")
        return invoice

    async def _flush(self, conflict_message: str) -> None:
        """Flush; a unique constraint lost to a concurrent request becomes a 409."""
        try:
            await self.session.flush()
        except IntegrityError as exc:
            raise Conflict(conflict_message) from exc
