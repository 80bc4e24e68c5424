"""Monthly statements (对账单, B-1): computed from the ledger whenever they are read; the
customer confirms an ended month or disputes it with a note, staff answer a dispute and
the statement is open again. Each acknowledgement is stored with the figures it was given
for, on the statement's history, and announced (order.statement_confirmed /
order.statement_disputed / order.statement_dispute_resolved) in the same transaction.
The request's session commits; nothing here commits."""

from __future__ import annotations

import asyncio
import uuid
from decimal import Decimal

from dinghuo_contracts import StatementConfirmed, StatementDisputed, StatementDisputeResolved
from servicekit.auth import Principal
from servicekit.errors import NotFound
from servicekit.excel import SheetWriter, temp_xlsx
from servicekit.messaging import add_event
from servicekit.timeutil import business_date, utcnow
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import CustomerView, StatementAcknowledgement, StatementEvent
from . import domain, views
from .domain import Month, Statement, StatementAction, StatementStatus
from .repository import StatementRepository
from .schemas import StatementOut, StatementSummaryOut

SOURCE = "order"


class StatementService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.rows = StatementRepository(session)

    # ---------------------------------------------------------------- reading
    async def compute(self, customer_id: uuid.UUID, month: Month) -> Statement:
        """The month's statement from the ledger as it is now."""
        opening = domain.opening_balance(await self.rows.totals_before(customer_id, month))
        return domain.build(month, opening, await self.rows.entries(customer_id, month))

    async def _customer(self, principal: Principal,
                        customer_id: uuid.UUID | None) -> tuple[uuid.UUID, CustomerView | None]:
        """The customer whose statement is asked for: a customer's own; for staff the one
        named, if it is in their areas (C-7; otherwise 404, as if unknown)."""
        if principal.kind == "customer":
            assert principal.customer_id is not None
            return principal.customer_id, await self.rows.customer(principal.customer_id)
        assert customer_id is not None
        customer = await self.rows.customer(customer_id, areas=principal.areas)
        if customer is None:
            raise NotFound("Customer not found")
        return customer_id, customer

    async def statement(self, principal: Principal, month_text: str | None, *,
                        customer_id: uuid.UUID | None = None) -> StatementOut:
        """A month's statement (default: last month) as its customer or staff see it."""
        today = business_date()
        month = domain.parse_month(month_text, today)
        cid, customer = await self._customer(principal, customer_id)
        return await self._view(principal, cid, customer, month, today)

    async def _view(self, principal: Principal, cid: uuid.UUID, customer: CustomerView | None,
                    month: Month, today, statement: Statement | None = None) -> StatementOut:
        s = statement or await self.compute(cid, month)
        ack = await self.rows.acknowledgement(cid, month)
        history = await self.rows.history(ack.id) if ack is not None else []
        return views.statement_out(cid, customer, s, ack, history, side=principal.kind,
                                   today=today)

    async def list(self, principal: Principal, *, status: str | None, month_text: str | None,
                   customer_id: uuid.UUID | None, limit: int,
                   offset: int) -> tuple[list[StatementSummaryOut], int]:
        """Acknowledged statements of the staff member's areas (C-7): e.g. the disputed
        ones waiting for an answer."""
        month = domain.parse_month(month_text, business_date()) if month_text else None
        rows, total = await self.rows.list(status=status, month=month, customer_id=customer_id,
                                           areas=principal.areas, limit=limit, offset=offset)
        return [views.summary_out(ack, name, number, area)
                for ack, name, number, area in rows], total

    # ---------------------------------------------------------------- acknowledging
    async def _act(self, principal: Principal, cid: uuid.UUID, customer: CustomerView | None,
                   month: Month, action: StatementAction, *, note: str | None = None,
                   expected: Decimal | None = None) -> tuple[StatementOut, Statement,
                                                             StatementAcknowledgement]:
        today = business_date()
        domain.check_ended(action, ended=month.ended(today), month=month)
        s = await self.compute(cid, month)
        now = utcnow()
        if action is StatementAction.RESOLVE:
            # Only a disputed statement is answered, and a disputed one has its row.
            found = await self.rows.acknowledgement(cid, month, for_update=True)
            ack = found or StatementAcknowledgement(status=StatementStatus.OPEN.value)
        else:
            ack = await self.rows.acknowledgement_for_update(
                cid, month, opening=s.opening, closing=s.closing, now=now)
        changed = domain.changed_since(views.acknowledged(ack), s)
        new = domain.check(action, StatementStatus(ack.status), changed=changed,
                           ended=month.ended(today), month=month)
        if action is StatementAction.CONFIRM:
            domain.check_expected(expected, s)
        ack.status = new.value
        ack.updated_at = now
        if action is StatementAction.CONFIRM:
            ack.confirmed_by, ack.confirmed_at = principal.display, now
            ack.opening_balance, ack.closing_balance = s.opening, s.closing
        elif action is StatementAction.DISPUTE:
            ack.dispute_note, ack.disputed_by, ack.disputed_at = note, principal.display, now
            ack.opening_balance, ack.closing_balance = s.opening, s.closing
            ack.resolution_note = ack.resolved_by = ack.resolved_at = None
        else:
            ack.resolution_note, ack.resolved_by, ack.resolved_at = note, principal.display, now
        await self.session.flush()
        self.rows.add_event(StatementEvent(
            acknowledgement_id=ack.id, action=action.value, status=new.value,
            actor=principal.display, actor_kind=principal.kind, note=note,
            opening_balance=s.opening, closing_balance=s.closing, occurred_at=now))
        await self.session.flush()
        return await self._view(principal, cid, customer, month, today, s), s, ack

    async def confirm(self, customer: Principal, month_text: str,
                      expected: Decimal | None) -> StatementOut:
        """The customer confirms an ended month's statement (its figures now)."""
        month = domain.parse_month(month_text, business_date())
        cid, view = await self._customer(customer, None)
        out, s, ack = await self._act(customer, cid, view, month, StatementAction.CONFIRM,
                                      expected=expected)
        await add_event(self.session, StatementConfirmed(
            customer_id=cid, customer_name=_name(view), area=view.area if view else None,
            month=month.label, opening_balance=s.opening, closing_balance=s.closing,
            confirmed_by=customer.display, confirmed_at=ack.confirmed_at or utcnow()),
            source=SOURCE)
        return out

    async def dispute(self, customer: Principal, month_text: str, note: str) -> StatementOut:
        """The customer disputes an ended month's statement with a note: staff of its
        area are prompted."""
        month = domain.parse_month(month_text, business_date())
        cid, view = await self._customer(customer, None)
        out, s, ack = await self._act(customer, cid, view, month, StatementAction.DISPUTE,
                                      note=note)
        await add_event(self.session, StatementDisputed(
            customer_id=cid, customer_name=_name(view), area=view.area if view else None,
            month=month.label, opening_balance=s.opening, closing_balance=s.closing,
            note=note, disputed_by=customer.display,
            disputed_at=ack.disputed_at or utcnow()), source=SOURCE)
        return out

    async def resolve(self, staff: Principal, customer_id: uuid.UUID, month_text: str,
                      note: str) -> StatementOut:
        """Staff answer a disputed statement: open again for the customer, who is told."""
        month = domain.parse_month(month_text, business_date())
        cid, view = await self._customer(staff, customer_id)
        out, s, ack = await self._act(staff, cid, view, month, StatementAction.RESOLVE,
                                      note=note)
        await add_event(self.session, StatementDisputeResolved(
            customer_id=cid, customer_name=_name(view), month=month.label,
            closing_balance=s.closing, note=note, resolved_by=staff.display,
            resolved_at=ack.resolved_at or utcnow()), source=SOURCE)
        return out

    # ---------------------------------------------------------------- Excel
    async def export(self, principal: Principal, month_text: str | None, lang: str, *,
                     customer_id: uuid.UUID | None = None) -> tuple[str, StatementOut]:
        """The statement as .xlsx in a temporary file (the caller deletes it after
        sending): the entries sheet and a summary sheet."""
        out = await self.statement(principal, month_text, customer_id=customer_id)
        with temp_xlsx("statement") as path:
            await asyncio.to_thread(_write, path, out, lang)
        return path, out


def _name(view: CustomerView | None) -> str:
    return view.name if view is not None else ""


class StatementWorkbook(SheetWriter):
    """The statement's entries sheet, then its summary sheet in the same workbook."""

    def next_sheet(self, title: str, headers: list[str], money: list[bool]) -> None:
        self.ws = self.wb.create_sheet(title)
        self.money = list(money)
        self.ws.append([self.text(h) for h in headers])


def _write(path: str, out: StatementOut, lang: str) -> None:
    book = StatementWorkbook(path, f"{views.word('sheet', lang)} {out.month}",
                             views.HEADERS[lang], views.MONEY_COLUMNS)
    book.append(views.sheet_rows(out, lang))
    book.next_sheet(views.word("summary", lang), views.SUMMARY_HEADERS[lang],
                    views.SUMMARY_MONEY)
    book.append(views.summary_rows(out, lang))
    book.close()


def filename(out: StatementOut) -> str:
    number = "".join(ch for ch in (out.customer_number or "") if ch.isascii() and ch.isalnum())
    return f"statement-{out.month}{'-' + number if number else ''}.xlsx"
