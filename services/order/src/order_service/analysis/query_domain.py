"""The order query's rules, pure (A-1, C-7): what a query asks for and whether it makes
sense, which orders count by default, the length of an ordering cycle as the "cycle"
sort reads it, and the export's columns and totals row. No I/O.

Paid, unpaid and overdue are the order lists' own definitions (`orders.domain.OrderFilter`
and `orders.repository.apply_filter`/`overdue`), reused rather than re-derived."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from servicekit.errors import Unprocessable

from ..exports.domain import COLUMNS as ORDER_COLUMNS
from ..exports.domain import Column
from ..orders.domain import OrderFilter, OrderStatus

Grade = Literal["normal", "small", "large"]
PaymentState = Literal["paid", "unpaid", "overdue"]
SortKey = Literal["amount", "machines", "cycle", "date"]
Direction = Literal["asc", "desc"]
Row = Mapping[str, Any]

MAX_LIMIT = 200
# An export is one sheet; above this many orders the filter must be narrowed.
MAX_EXPORT_ROWS = 100_000
# Orders that never became business (rejected, cancelled) are left out unless the query
# asks for them by status: a careful user counting "the orders of March" expects them
# out, as the summaries leave them out.
NOT_BUSINESS = ("cancelled", "rejected")
# A weekly cycle (on a weekday) lasts seven days.
WEEK = 7
ZERO = Decimal("0.00")


class InvalidQuery(Unprocessable):
    """The query's conditions contradict each other (422)."""


class TooManyRows(Unprocessable):
    """More orders match than one export holds (422)."""


@dataclass(frozen=True)
class OrderQuery:
    """The conditions of one order query (A-1); every one is optional and they combine
    with AND (several values of one condition: any of them)."""

    customer_ids: tuple[uuid.UUID, ...] = ()
    q: str | None = None
    areas: tuple[str, ...] = ()
    grades: tuple[str, ...] = ()
    payment_methods: tuple[str, ...] = ()
    payment: str | None = None  # paid | unpaid | overdue
    statuses: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    model: str | None = None
    today: date | None = None  # the business date "overdue" is judged on
    staff_areas: frozenset[str] = field(default_factory=frozenset)  # C-7

    def check(self) -> OrderQuery:
        """Refuse conditions no order could meet because they contradict each other."""
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise InvalidQuery(
                f"The period is the wrong way round: from {self.date_from.isoformat()} is "
                f"after to {self.date_to.isoformat()}")
        if (self.amount_min is not None and self.amount_max is not None
                and self.amount_min > self.amount_max):
            raise InvalidQuery(
                f"The amount range is the wrong way round: amount_min {self.amount_min} is "
                f"more than amount_max {self.amount_max}")
        unknown = [s for s in self.statuses if s not in OrderStatus.__members__.values()]
        if unknown:
            raise InvalidQuery(f"Unknown order status {', '.join(unknown)}; use one of "
                               + ", ".join(s.value for s in OrderStatus))
        if self.payment == "overdue" and self.today is None:
            raise ValueError("an overdue query needs the business date it is judged on")
        return self

    def order_filter(self) -> OrderFilter:
        """The part the order lists already know how to filter: statuses, period, amount
        range, paid / unpaid / overdue and the staff member's areas (C-7)."""
        return OrderFilter(
            statuses=self.statuses, date_from=self.date_from, date_to=self.date_to,
            min_total=self.amount_min, max_total=self.amount_max,
            paid={"paid": True, "unpaid": False}.get(self.payment or ""),
            overdue=True if self.payment == "overdue" else None,
            today=self.today, areas=self.staff_areas)

    @property
    def excludes_not_business(self) -> bool:
        """Without a status condition, rejected and cancelled orders are left out."""
        return not self.statuses


def clean_text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def clean_values(values: list[str] | None) -> tuple[str, ...]:
    """Repeated parameters, trimmed, blanks and repeats dropped, in the order given."""
    return tuple(dict.fromkeys(v.strip() for v in values or () if v.strip()))


def like_pattern(text: str) -> str:
    r"""`text` anywhere, its LIKE wildcards taken literally (escape character `\`)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# An order number as `orders.domain.order_number` writes it: DH20261123-0007.
ORDER_NUMBER = re.compile(r"DH\d{8}-\d{4,}", re.IGNORECASE)


def looks_like_order_number(text: str) -> bool:
    """A whole order number is looked up as one; any other text is part of a
    customer's name or number."""
    return ORDER_NUMBER.fullmatch(text.strip()) is not None


def cycle_length(kind: str | None, days: int | None) -> int | None:
    """The cycle's length in days for sorting: every N days is N, weekly is 7, no cycle
    is None (sorted last either way). The repository's SQL sorts by the same rule."""
    if kind == "days":
        return days
    if kind == "weekday":
        return WEEK
    return None


def check_export_size(count: int) -> None:
    if count > MAX_EXPORT_ROWS:
        raise TooManyRows(
            f"{count} orders match, more than the {MAX_EXPORT_ROWS} one export holds; "
            "narrow the conditions (for example the period) and export again")


@dataclass(frozen=True)
class Totals:
    """The totals row over every matching order, not just the page shown."""

    count: int = 0
    amount: Decimal = ZERO
    payable: Decimal = ZERO
    paid: Decimal = ZERO
    outstanding: Decimal = ZERO
    quantity: int = 0


def methods_used(methods: Sequence[str] | None) -> list[str]:
    """The payment methods of an order, each once, in a stable order."""
    return sorted(set(methods or ()))


def add_row(t: Totals, row: Row) -> Totals:
    """The totals with one more order: the export sums the rows it wrote, so that its
    totals row always agrees with the rows above it."""
    return Totals(count=t.count + 1, amount=t.amount + row["total"],
                  payable=t.payable + row["payable"], paid=t.paid + row["paid_total"],
                  outstanding=t.outstanding + row["outstanding"],
                  quantity=t.quantity + row["total_quantity"])


# ------------------------------------------------------------------ the Excel export
GRADE_ZH = {"normal": "普通", "small": "小客户", "large": "大客户"}
WEEKDAY_ZH = "一二三四五六日"
WEEKDAY_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def describe_cycle(kind: str | None, days: int | None, weekday: int | None,
                   lang: str) -> str | None:
    """每 7 天 / 每周三, every 7 days / weekly on Wed; None without a cycle."""
    if kind == "days" and days:
        return f"每 {days} 天" if lang == "zh" else f"every {days} days"
    if kind == "weekday" and weekday and 1 <= weekday <= 7:
        return (f"每周{WEEKDAY_ZH[weekday - 1]}" if lang == "zh"
                else f"weekly on {WEEKDAY_EN[weekday - 1]}")
    return None


def _plain(key: str):
    return lambda r, _lang: r[key]


def _grade(r: Row, lang: str) -> str | None:
    g = r["grade"]
    return GRADE_ZH.get(g, g) if lang == "zh" and g else g


def _cycle(r: Row, lang: str) -> str | None:
    return describe_cycle(r["cycle_kind"], r["cycle_days"], r["cycle_weekday"], lang)


def _overdue(r: Row, lang: str) -> str:
    return ("是" if r["overdue"] else "否") if lang == "zh" else (
        "yes" if r["overdue"] else "no")


def _methods(r: Row, lang: str) -> str:
    zh = {"bank_transfer": "银行转账", "cash": "现金", "wechat": "微信", "alipay": "支付宝",
          "wechat_pay": "微信支付", "sandbox": "沙箱支付"}
    methods = methods_used(r["payment_methods"])
    return "、".join(zh.get(m, m) for m in methods) if lang == "zh" else ", ".join(methods)


# The order's own columns are the order export's (same headers and labels); the
# customer's and the payment's are the query's own.
EXPORT_COLUMNS: dict[str, Column] = {
    "number": ORDER_COLUMNS["number"],
    "order_date": ORDER_COLUMNS["order_date"],
    "status": ORDER_COLUMNS["status"],
    "customer_number": ORDER_COLUMNS["customer_number"],
    "customer_name": ORDER_COLUMNS["customer_name"],
    "area": ORDER_COLUMNS["area"],
    "grade": Column("客户等级", "Grade", _grade),
    "machine_count": Column("机器数量", "Machines", _plain("machine_count")),
    "cycle": Column("订货周期", "Ordering cycle", _cycle),
    "total_quantity": ORDER_COLUMNS["total_quantity"],
    "total": ORDER_COLUMNS["total"],
    "payable": Column("应付金额", "Payable", _plain("payable"), money=True),
    "paid_total": ORDER_COLUMNS["paid_total"],
    "outstanding": Column("未付金额", "Outstanding", _plain("outstanding"), money=True),
    "due_date": ORDER_COLUMNS["due_date"],
    "overdue": Column("逾期", "Overdue", _overdue),
    "payment_methods": Column("付款方式", "Payment methods", _methods),
}


def export_headers(lang: str) -> list[str]:
    return [c.zh if lang == "zh" else c.en for c in EXPORT_COLUMNS.values()]


def export_money() -> list[bool]:
    return [c.money for c in EXPORT_COLUMNS.values()]


def export_values(row: Row, lang: str) -> list[Any]:
    return [c.value(row, lang) for c in EXPORT_COLUMNS.values()]


def totals_values(t: Totals, lang: str) -> list[Any]:
    """The last row of the sheet: 合计 (N 单) under the number, the sums under their
    columns, the rest empty."""
    label = f"合计（{t.count} 单）" if lang == "zh" else f"Total ({t.count} orders)"
    sums: dict[str, Any] = {"number": label, "total_quantity": t.quantity, "total": t.amount,
                            "payable": t.payable, "paid_total": t.paid,
                            "outstanding": t.outstanding}
    return [sums.get(key) for key in EXPORT_COLUMNS]
