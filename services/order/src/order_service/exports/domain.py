"""The Excel export's columns (O-10), pure: which columns exist, their headers in
Chinese and English, and how a row's values are shown. No I/O."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from servicekit.errors import Unprocessable
from servicekit.timeutil import BUSINESS_TZ

from ..payments.domain import payment_status

Row = Mapping[str, Any]


@dataclass(frozen=True)
class Column:
    zh: str
    en: str
    value: Callable[[Row, str], Any]
    money: bool = False


STATUS_ZH = {
    "submitted": "待审核", "pending_second_review": "待复审", "approved": "已审核",
    "rejected": "已驳回", "cancellation_requested": "申请取消", "cancelled": "已取消",
    "processing": "已审核待发货", "partially_shipped": "部分发货", "shipped": "已发货",
    "received": "已收货（短缺）", "completed": "已完成"}
BILL_ZH = {"none": "不开票", "ordinary_vat": "增值税普通发票", "special_vat": "增值税专用发票"}
SOURCE_ZH = {"portal": "客户下单", "staff": "员工代录"}
PAYMENT_ZH = {"unpaid": "未付款", "partially_paid": "部分付款", "paid": "已付款"}


def _label(table: dict[str, str], key: str) -> Callable[[Row, str], Any]:
    return lambda r, lang: table.get(r[key], r[key]) if lang == "zh" else r[key]


def _local(key: str) -> Callable[[Row, str], Any]:
    """Timestamps in Asia/Shanghai, without a zone (Excel has none)."""
    def get(r: Row, _lang: str) -> datetime | None:
        v = r[key]
        return v.astimezone(BUSINESS_TZ).replace(tzinfo=None) if v is not None else None
    return get


def _plain(key: str) -> Callable[[Row, str], Any]:
    return lambda r, _lang: r[key]


def _outstanding(r: Row, _lang: str) -> Decimal:
    return r["total"] - r["paid_total"]


def _payment(r: Row, lang: str) -> str:
    status = payment_status(r["total"], r["paid_total"]).value
    return PAYMENT_ZH[status] if lang == "zh" else status


def _yes_no(key: str) -> Callable[[Row, str], str]:
    return lambda r, lang: ("是" if r[key] else "否") if lang == "zh" else (
        "yes" if r[key] else "no")


COLUMNS: dict[str, Column] = {
    "number": Column("订单号", "Order number", _plain("number")),
    "order_date": Column("订货日期", "Order date", _plain("order_date")),
    "delivery_date": Column("交货日期", "Delivery date", _plain("delivery_date")),
    "customer_number": Column("客户编号", "Customer number", _plain("customer_number")),
    "customer_name": Column("客户名称", "Customer", _plain("customer_name")),
    "area": Column("区域", "Area", _plain("area")),
    "source": Column("来源", "Source", _label(SOURCE_ZH, "source")),
    "status": Column("状态", "Status", _label(STATUS_ZH, "status")),
    "bill_type": Column("开票要求", "Bill", _label(BILL_ZH, "bill_type")),
    "total": Column("金额", "Total", _plain("total"), money=True),
    "list_total": Column("原价金额", "List total", _plain("list_total"), money=True),
    "paid_total": Column("已付金额", "Paid", _plain("paid_total"), money=True),
    "outstanding": Column("未付金额", "Outstanding", _outstanding, money=True),
    "payment_status": Column("付款状态", "Payment", _payment),
    "due_date": Column("付款到期日", "Due date", _plain("due_date")),
    "invoiced": Column("已开票", "Invoiced", _yes_no("invoiced")),
    "total_quantity": Column("数量", "Quantity", _plain("total_quantity")),
    "lines": Column("明细", "Lines", _plain("lines")),
    "remark": Column("备注", "Remark", _plain("remark")),
    "reviewed_by": Column("审核人", "Reviewed by", _plain("reviewed_by")),
    "reviewed_at": Column("审核时间", "Reviewed at", _local("reviewed_at")),
    "created_by": Column("录入人", "Entered by", _plain("created_by")),
    "created_at": Column("下单时间", "Placed at", _local("created_at")),
}

DEFAULT_COLUMNS = ("number", "order_date", "customer_name", "status", "total", "paid_total",
                   "payment_status", "invoiced", "total_quantity", "delivery_date")
# Excel holds 1,048,576 rows per sheet; above this the filter must be narrowed.
MAX_ROWS = 1_000_000


def parse_columns(raw: str | None) -> list[str]:
    """`number,customer_name,total` → the columns in that order; unknown names are a 422
    that lists the valid ones."""
    if raw is None or not raw.strip():
        return list(DEFAULT_COLUMNS)
    names = list(dict.fromkeys(c.strip() for c in raw.split(",") if c.strip()))
    unknown = [c for c in names if c not in COLUMNS]
    if unknown:
        raise Unprocessable(f"columns: unknown column {', '.join(unknown)}; choose from "
                            + ", ".join(COLUMNS))
    if not names:
        raise Unprocessable("columns: choose at least one column")
    return names


def headers(columns: list[str], lang: str) -> list[str]:
    return [COLUMNS[c].zh if lang == "zh" else COLUMNS[c].en for c in columns]


def values(row: Row, columns: list[str], lang: str) -> list[Any]:
    return [COLUMNS[c].value(row, lang) for c in columns]


def check_size(count: int) -> None:
    if count > MAX_ROWS:
        raise Unprocessable(f"{count} orders match; an export holds at most {MAX_ROWS}: "
                            "narrow the filter (e.g. the period)")
