"""Invoice use cases: load through repositories, decide in the domain, write outbox rows.
The request's session commits; nothing here commits."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from dinghuo_contracts import (
    Fapiao,
    InvoiceConfirmed,
    InvoiceIssued,
    InvoiceRejected,
    InvoiceRequested,
)
from servicekit.auth import Principal
from servicekit.errors import Conflict, NotFound
from servicekit.messaging import add_event
from servicekit.readmodel import catch_up
from servicekit.timeutil import utcnow
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ..customers.repository import CustomerRepository
from ..models import Invoice, InvoiceableOrder, InvoiceFapiao, InvoiceOrder
from ..orders.repository import InvoiceableOrderRepository
from . import domain
from .repository import InvoiceRepository
from .schemas import InvoiceRequestIn, InvoiceResubmitIn, IssueIn

SOURCE = "invoice"


@dataclass(frozen=True)
class Content:
    """A request's orders, amount, fapiao type and details, checked."""

    orders: list[InvoiceableOrder]
    amount: Decimal
    invoice_type: domain.InvoiceType
    details: domain.Details
    customer_name: str | None


class InvoiceService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.invoices = InvoiceRepository(session)
        self.orders = InvoiceableOrderRepository(session)
        self.customers = CustomerRepository(session)

    # -------------------------------------------------------------- the customer (I-1, I-3)
    async def request(self, principal: Principal, data: InvoiceRequestIn) -> Invoice:
        """The customer asks for an invoice for some of its own approved orders (I-1)."""
        assert principal.customer_id is not None
        content = await self._content(principal.customer_id,
                                      domain.parse_order_refs(data.order_ids), data)
        invoice = Invoice(
            id=uuid.uuid4(), customer_id=principal.customer_id, orders=[], fapiao=[])
        self._fill(invoice, content, data.remark, principal)
        self.invoices.add(invoice)
        await self._flush("One of these orders was just put on another invoice request")
        await self._requested(invoice, resubmitted=False)
        return invoice

    async def resubmit(self, principal: Principal, invoice_id: uuid.UUID,
                       data: InvoiceResubmitIn) -> Invoice:
        """The customer corrects its rejected request and submits it again: it is
        requested once more, with the same id (I-1)."""
        assert principal.customer_id is not None
        invoice = await self._get(invoice_id, customer_id=principal.customer_id,
                                  for_update=True)
        status = domain.resubmit(domain.InvoiceStatus(invoice.status))
        refs = (domain.parse_order_refs(data.order_ids) if data.order_ids is not None else
                [domain.OrderRef(str(o.order_id), o.order_id, None) for o in invoice.orders])
        content = await self._content(principal.customer_id, refs, data)
        invoice.status = status.value
        self._fill(invoice, content, data.remark, principal)
        await self._flush("One of these orders was just put on another invoice request")
        await self._requested(invoice, resubmitted=True)
        return invoice

    async def confirm_receipt(self, principal: Principal, invoice_id: uuid.UUID) -> Invoice:
        """The customer confirms it received the invoice (I-3); the order service then
        marks the orders invoiced (O-7)."""
        invoice = await self._get(invoice_id, customer_id=principal.customer_id,
                                  for_update=True)
        invoice.status = domain.confirm(domain.InvoiceStatus(invoice.status)).value
        invoice.confirmed_at = utcnow()
        await self._flush("The invoice was changed at the same time; try again")
        assert invoice.fapiao and invoice.confirmed_at is not None
        await add_event(self.session, InvoiceConfirmed(
            invoice_id=invoice.id, customer_id=invoice.customer_id,
            order_ids=[o.order_id for o in invoice.orders],
            invoice_number=invoice.fapiao[0].invoice_number, amount=invoice.amount,
            confirmed_at=invoice.confirmed_at, fapiao=_fapiao(invoice),
        ), source=SOURCE)
        return invoice

    async def defaults(self, principal: Principal) -> tuple[domain.Details,
                                                            dict[str, list[str]]]:
        """What a request would show from the customer's profile, and what each fapiao
        type would still need."""
        assert principal.customer_id is not None
        details = (await self.customers.profile(principal.customer_id)).defaults()
        return details, {t.value: domain.missing_details(t, details)
                         for t in domain.InvoiceType}

    async def invoiceable_orders(self, principal: Principal, *, limit: int,
                                 offset: int) -> tuple[list[InvoiceableOrder], int]:
        assert principal.customer_id is not None
        return await self.orders.invoiceable(principal.customer_id, limit=limit,
                                             offset=offset)

    # -------------------------------------------------------------- finance staff (I-2)
    async def issue(self, principal: Principal, invoice_id: uuid.UUID, data: IssueIn,
                    limit: Decimal) -> Invoice:
        """Finance staff enter the issued invoice: its fapiao (one, or several above the
        per-fapiao limit), date, sending time, courier and tracking number (I-2)."""
        domain.check_issue_dates(data.invoice_date, data.sent_at)
        invoice = await self._get(invoice_id, areas=principal.areas, for_update=True)
        status = domain.issue(domain.InvoiceStatus(invoice.status))
        plans = domain.plan_fapiao(
            invoice.amount, limit, invoice_number=data.invoice_number,
            fapiao=None if data.fapiao is None else [(f.invoice_number, f.amount)
                                                     for f in data.fapiao])
        numbers = [p.invoice_number for p in plans]
        taken = await self.invoices.fapiao_numbers_taken(numbers)
        if taken:
            raise Conflict(_numbers_used(taken))
        invoice.status = status.value
        invoice.fapiao.extend(InvoiceFapiao(position=i, invoice_number=p.invoice_number,
                                            amount=p.amount)
                              for i, p in enumerate(plans, start=1))
        invoice.invoice_date, invoice.sent_at = data.invoice_date, data.sent_at
        invoice.courier, invoice.tracking_number = data.courier, data.tracking_number
        invoice.issued_by, invoice.issued_at = principal.display, utcnow()
        await self._flush(_numbers_used(numbers) if len(numbers) == 1 else
                          f"One of the invoice numbers {', '.join(numbers)} was just used "
                          "by another invoice")
        await add_event(self.session, InvoiceIssued(
            invoice_id=invoice.id, customer_id=invoice.customer_id,
            order_ids=[o.order_id for o in invoice.orders], invoice_number=numbers[0],
            invoice_date=data.invoice_date, amount=invoice.amount, fapiao=_fapiao(invoice),
            sent_at=data.sent_at, courier=data.courier, tracking_number=data.tracking_number,
        ), source=SOURCE)
        return invoice

    async def reject(self, principal: Principal, invoice_id: uuid.UUID,
                     reason: str) -> Invoice:
        """Finance staff reject a requested invoice with a reason the customer reads; its
        orders are free again and the customer may correct and resubmit it."""
        reason = domain.clean_reason(reason)
        invoice = await self._get(invoice_id, areas=principal.areas, for_update=True)
        invoice.status = domain.reject(domain.InvoiceStatus(invoice.status)).value
        invoice.rejection_reason = reason
        invoice.rejected_by, invoice.rejected_at = principal.display, utcnow()
        for o in invoice.orders:
            o.active = False
        await self._flush("The invoice was changed at the same time; try again")
        assert invoice.rejected_at is not None
        await add_event(self.session, InvoiceRejected(
            invoice_id=invoice.id, customer_id=invoice.customer_id,
            order_ids=[o.order_id for o in invoice.orders],
            order_numbers=[o.number for o in invoice.orders], amount=invoice.amount,
            reason=reason, rejected_by=principal.display, rejected_at=invoice.rejected_at,
        ), source=SOURCE)
        return invoice

    # -------------------------------------------------------------- reading
    async def get_for_customer(self, principal: Principal, invoice_id: uuid.UUID) -> Invoice:
        return await self._get(invoice_id, customer_id=principal.customer_id)

    async def get_for_staff(self, principal: Principal, invoice_id: uuid.UUID) -> Invoice:
        return await self._get(invoice_id, areas=principal.areas)

    async def list(self, f: domain.InvoiceFilter, *, limit: int,
                   offset: int) -> tuple[list[Invoice], int]:
        return await self.invoices.list(f, limit=limit, offset=offset)

    # -------------------------------------------------------------- parts
    async def _content(self, customer_id: uuid.UUID, refs: Sequence[domain.OrderRef],
                       data: InvoiceRequestIn) -> Content:
        """The named orders (the customer's own, approved, free), the amount, and the
        fapiao's type and details after the profile's defaults — or the error saying
        which order or detail is wrong."""
        chosen = await self._orders(customer_id, refs)
        taken = await self.invoices.active_invoices_of([o.order_id for o in chosen])
        facts = []
        for o in chosen:
            in_invoice, in_status = taken.get(o.order_id, (None, None))
            facts.append(domain.OrderFacts(o.order_id, o.number, o.status, o.total,
                                           in_invoice, o.refund_amount, in_status))
        amount = domain.check_invoiceable(facts)
        profile = await self.customers.profile(customer_id)
        if profile.company_name is None:  # no customer event yet: the orders name it
            profile = replace(profile, company_name=next(
                (o.customer_name for o in chosen if o.customer_name), None))
        invoice_type = (domain.InvoiceType(data.invoice_type) if data.invoice_type else
                        domain.default_type(o.bill_type for o in chosen))
        details = domain.with_defaults(data.details(), profile)
        domain.check_details(invoice_type, details)
        return Content(chosen, amount, invoice_type, details, profile.company_name)

    async def _orders(self, customer_id: uuid.UUID,
                      refs: Sequence[domain.OrderRef]) -> list[InvoiceableOrder]:
        """The customer's orders the refs name, in their order; 404 naming those that are
        unknown or another customer's. Orders and their reviews reach this service by
        event within milliseconds: a request made at that moment waits briefly."""
        ids = {r.order_id for r in refs if r.order_id is not None}
        numbers = {r.number for r in refs if r.number is not None}

        def settled(rows: list[InvoiceableOrder]) -> bool:
            ready = [o for o in rows if domain.settled(domain.OrderFacts(
                o.order_id, o.number, o.status, o.total))]
            known = {o.order_id for o in ready} | {o.number for o in ready}
            return all((r.order_id or r.number) in known for r in refs)

        # Wait without locks (the event's handler must be able to update the rows), then
        # lock them so that two requests for one order are serialised.
        await catch_up(lambda: self.orders.find_for_customer(
            customer_id, order_ids=ids, numbers=numbers, lock=False), settled)
        rows = await self.orders.find_for_customer(customer_id, order_ids=ids,
                                                   numbers=numbers)
        by_id = {o.order_id: o for o in rows}
        by_number = {o.number: o for o in rows}
        chosen: list[InvoiceableOrder] = []
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
        return chosen

    def _fill(self, invoice: Invoice, content: Content, remark: str | None,
              principal: Principal) -> None:
        """Write a request's content into the invoice, its orders active (a resubmission
        keeps the rows of orders it still covers)."""
        d = content.details
        invoice.status = domain.InvoiceStatus.REQUESTED.value
        invoice.customer_name = content.customer_name
        invoice.amount, invoice.invoice_type = content.amount, content.invoice_type.value
        invoice.title, invoice.tax_number = d.title, d.tax_number
        invoice.bank, invoice.bank_account = d.bank, d.bank_account
        invoice.address_phone, invoice.mail_to = d.address_phone, d.mail_to
        invoice.remark, invoice.requested_by = remark, principal.display
        invoice.requested_at = utcnow()
        existing = {o.order_id: o for o in invoice.orders}
        rows = []
        for i, o in enumerate(content.orders, start=1):
            assert o.total is not None
            row = existing.pop(o.order_id, None) or InvoiceOrder(order_id=o.order_id)
            row.position, row.number, row.total = i, o.number, o.total
            row.refund_amount, row.active = o.refund_amount, True
            rows.append(row)
        invoice.orders[:] = rows  # the rest are deleted (delete-orphan)

    async def _requested(self, invoice: Invoice, *, resubmitted: bool) -> None:
        await add_event(self.session, InvoiceRequested(
            invoice_id=invoice.id, customer_id=invoice.customer_id,
            order_ids=[o.order_id for o in invoice.orders],
            order_numbers=[o.number for o in invoice.orders], amount=invoice.amount,
            invoice_type=invoice.invoice_type, title=invoice.title,
            tax_number=invoice.tax_number, bank=invoice.bank,
            bank_account=invoice.bank_account, address_phone=invoice.address_phone,
            mail_to=invoice.mail_to, resubmitted=resubmitted,
        ), source=SOURCE)

    async def _get(self, invoice_id: uuid.UUID, *, customer_id: uuid.UUID | None = None,
                   areas: frozenset[str] = frozenset(), for_update: bool = False) -> Invoice:
        invoice = await self.invoices.get(invoice_id, customer_id=customer_id, areas=areas,
                                          for_update=for_update)
        if invoice is None:  # another customer's (or area's) is simply not there (404)
            raise NotFound("Invoice not found")
        return invoice

    async def _flush(self, conflict_message: str) -> None:
        """Flush; a unique constraint lost to a concurrent request becomes a 409."""
        try:
            await self.session.flush()
        except IntegrityError as exc:
            raise Conflict(conflict_message) from exc


def _fapiao(invoice: Invoice) -> list[Fapiao]:
    return [Fapiao(invoice_number=f.invoice_number, amount=f.amount) for f in invoice.fapiao]


def _numbers_used(numbers: Sequence[str]) -> str:
    if len(numbers) == 1:
        return f"Invoice number {numbers[0]} is already used by another invoice"
    return f"Invoice numbers {', '.join(numbers)} are already used by other invoices"
