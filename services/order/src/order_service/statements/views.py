"""A statement as the API shows it (each side its own) and as its Excel sheet reads, in
Chinese or English (B-1). No I/O."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from servicekit.timeutil import BUSINESS_TZ

from ..models import CustomerView, StatementAcknowledgement, StatementEvent
from . import domain
from .domain import EntryKind, Statement, StatementStatus
from .schemas import (
    StatementEntryOut,
    StatementHistoryOut,
    StatementOut,
    StatementSummaryOut,
    StatementTotalsOut,
)

# The history's words for what was done.
DONE = {"confirm": "confirmed", "dispute": "disputed", "resolve": "resolved"}


def acknowledged(ack: StatementAcknowledgement | None) -> domain.Acknowledged | None:
    """The figures the customer confirmed or disputed, while that acknowledgement holds
    (an open statement, never or no longer acknowledged, has none)."""
    if ack is None or ack.status == StatementStatus.OPEN:
        return None
    return domain.Acknowledged(ack.opening_balance, ack.closing_balance)


def status_of(ack: StatementAcknowledgement | None) -> StatementStatus:
    return StatementStatus(ack.status) if ack is not None else StatementStatus.OPEN


def statement_out(customer_id: Any, customer: CustomerView | None, s: Statement,
                  ack: StatementAcknowledgement | None, history: Sequence[StatementEvent],
                  *, side: str, today: date) -> StatementOut:
    status = status_of(ack)
    held = acknowledged(ack)
    changed = domain.changed_since(held, s)
    ended = s.month.ended(today)
    staff = side == "staff"
    t = s.totals
    return StatementOut(
        customer_id=customer_id, customer_name=customer.name if customer else None,
        customer_number=customer.customer_number if customer else None,
        area=customer.area if customer else None, month=s.month.label,
        period_start=s.month.first_day, period_end=s.month.last_day, ended=ended,
        opening_balance=s.opening, closing_balance=s.closing, total_debit=s.debits,
        total_credit=s.credits,
        totals=StatementTotalsOut(
            orders=t[EntryKind.ORDER], cancellations=t[EntryKind.CANCELLATION],
            returns=t[EntryKind.RETURN], payments=t[EntryKind.PAYMENT],
            reversals=t[EntryKind.REVERSAL], refunds=t[EntryKind.REFUND]),
        entries=[StatementEntryOut(
            kind=ln.entry.kind.value, id=ln.entry.id, entry_date=ln.entry.on,
            order_id=ln.entry.order_id, order_number=ln.entry.order_number,
            method=ln.entry.method, reference=ln.entry.reference, debit=ln.debit,
            credit=ln.credit, balance=ln.balance) for ln in s.lines],
        status=status.value, changed_since_acknowledged=changed,
        acknowledged_opening_balance=held.opening if held else None,
        acknowledged_closing_balance=held.closing if held else None,
        confirmed_by=ack.confirmed_by if ack else None,
        confirmed_at=ack.confirmed_at if ack else None,
        dispute_note=ack.dispute_note if ack else None,
        disputed_by=ack.disputed_by if ack else None,
        disputed_at=ack.disputed_at if ack else None,
        resolution_note=ack.resolution_note if ack else None,
        resolved_by=(ack.resolved_by if ack and staff else None),
        resolved_at=ack.resolved_at if ack else None,
        actions=domain.actions(status, changed=changed, ended=ended, side=side),
        history=[StatementHistoryOut(
            action=DONE.get(e.action, e.action), actor=(
                e.actor if staff or e.actor_kind == "customer" else None),
            actor_kind=e.actor_kind, note=e.note, opening_balance=e.opening_balance,
            closing_balance=e.closing_balance, occurred_at=e.occurred_at)
            for e in history])


def summary_out(ack: StatementAcknowledgement, name: str | None, number: str | None,
                area: str | None) -> StatementSummaryOut:
    return StatementSummaryOut(
        customer_id=ack.customer_id, customer_name=name, customer_number=number, area=area,
        month=domain.month_of(ack.month).label, status=ack.status,
        opening_balance=ack.opening_balance, closing_balance=ack.closing_balance,
        confirmed_at=ack.confirmed_at, dispute_note=ack.dispute_note,
        disputed_by=ack.disputed_by, disputed_at=ack.disputed_at,
        resolution_note=ack.resolution_note, resolved_at=ack.resolved_at,
        updated_at=ack.updated_at)


# ==================================================================== the Excel sheet
KIND_LABELS: dict[EntryKind, tuple[str, str]] = {
    EntryKind.ORDER: ("订单", "Order"),
    EntryKind.CANCELLATION: ("订单取消", "Order cancelled"),
    EntryKind.RETURN: ("退货", "Return"),
    EntryKind.PAYMENT: ("收款", "Payment"),
    EntryKind.REVERSAL: ("收款冲正", "Payment reversed"),
    EntryKind.REFUND: ("退款", "Refund"),
}
STATUS_LABELS: dict[str, tuple[str, str]] = {
    "open": ("待确认", "Open"), "confirmed": ("已确认", "Confirmed"),
    "disputed": ("有异议", "Disputed"),
}
HEADERS = {
    "zh": ["日期", "类型", "订单号", "付款方式 / 参考号", "应收增加", "应收减少", "余额"],
    "en": ["Date", "Kind", "Order", "Method / reference", "Debit", "Credit", "Balance"],
}
MONEY_COLUMNS = [False, False, False, False, True, True, True]
WORDS = {
    "opening": ("期初余额", "Opening balance"),
    "closing": ("期末余额", "Closing balance"),
    "customer": ("客户", "Customer"),
    "customer_number": ("客户编号", "Customer number"),
    "month": ("对账月份", "Month"),
    "period": ("期间", "Period"),
    "status": ("状态", "Status"),
    "as_of": ("截至", "As of"),
    "confirmed": ("确认", "Confirmed"),
    "disputed": ("异议", "Disputed"),
    "resolved": ("答复", "Answered"),
    "changed": ("确认后有变动", "Changed since acknowledged"),
    "yes": ("是", "yes"),
    "sheet": ("对账单", "Statement"),
    "summary": ("汇总", "Summary"),
}


def word(key: str, lang: str) -> str:
    zh, en = WORDS[key]
    return zh if lang == "zh" else en


def sheet_rows(out: StatementOut, lang: str) -> list[list[Any]]:
    """The entries sheet: the opening balance, every entry with the balance after it, the
    month's totals and the closing balance."""
    zh = lang == "zh"
    rows: list[list[Any]] = [[out.period_start, word("opening", lang), None, None, None, None,
                              out.opening_balance]]
    for e in out.entries:
        label = KIND_LABELS[EntryKind(e.kind)][0 if zh else 1]
        ref = " ".join(p for p in (e.method, e.reference) if p) or None
        rows.append([e.entry_date, label, e.order_number, ref, e.debit, e.credit, e.balance])
    rows.append([out.period_end, word("closing", lang), None, None, out.total_debit,
                 out.total_credit, out.closing_balance])
    return rows


SUMMARY_HEADERS = {"zh": ["项目", "金额", "内容"], "en": ["Item", "Amount", "Text"]}
SUMMARY_MONEY = [False, True, False]


def summary_rows(out: StatementOut, lang: str) -> list[list[Any]]:
    """The summary sheet: customer, month, the balances and each kind's total, the
    acknowledgement (amounts in the money column, texts in the text column)."""
    zh = lang == "zh"
    rows: list[list[Any]] = [
        [word("customer", lang), None, out.customer_name],
        [word("customer_number", lang), None, out.customer_number],
        [word("month", lang), None, out.month],
        [word("period", lang), None,
         f"{out.period_start.isoformat()} – {out.period_end.isoformat()}"],
        [word("opening", lang), out.opening_balance, None],
        *([KIND_LABELS[kind][0 if zh else 1], getattr(out.totals, attr), None]
          for kind, attr in ((EntryKind.ORDER, "orders"),
                             (EntryKind.CANCELLATION, "cancellations"),
                             (EntryKind.RETURN, "returns"), (EntryKind.PAYMENT, "payments"),
                             (EntryKind.REVERSAL, "reversals"),
                             (EntryKind.REFUND, "refunds"))),
        [word("closing", lang), out.closing_balance, None],
        [word("status", lang), None, STATUS_LABELS[out.status][0 if zh else 1]],
    ]
    if out.confirmed_at and out.status == "confirmed":
        when = out.confirmed_at.astimezone(BUSINESS_TZ).strftime("%Y-%m-%d %H:%M")
        rows.append([word("confirmed", lang), out.acknowledged_closing_balance,
                     f"{out.confirmed_by or ''} {when}".strip()])
    if out.dispute_note and out.status == "disputed":
        rows.append([word("disputed", lang), out.acknowledged_closing_balance,
                     out.dispute_note])
    if out.changed_since_acknowledged:
        rows.append([word("changed", lang), out.acknowledged_closing_balance,
                     word("yes", lang)])
    return rows
