"""The invoice export's columns (I-2), pure: headers in Chinese and English and how an
invoice is shown in a row. No I/O."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from servicekit.errors import Unprocessable
from servicekit.money import fmt
from servicekit.timeutil import BUSINESS_TZ

from ..invoices.domain import net_amount
from ..models import Invoice, InvoiceCustomer

Lang = str  # "zh" | "en"


@dataclass(frozen=True)
class Row:
    invoice: Invoice
    customer: InvoiceCustomer | None


@dataclass(frozen=True)
class Column:
    zh: str
    en: str
    value: Callable[[Row, Lang], Any]
    money: bool = False


STATUS_ZH = {"requested": "待开票", "issued": "已开票", "confirmed": "已确认收到",
             "rejected": "已驳回"}
TYPE_ZH = {"ordinary_vat": "增值税普通发票", "special_vat": "增值税专用发票"}
SEPARATOR = {"zh": "、", "en": ", "}


def _local(value: datetime | None) -> datetime | None:
    """Timestamps in Asia/Shanghai, without a zone (Excel has none)."""
    return value.astimezone(BUSINESS_TZ).replace(tzinfo=None) if value is not None else None


def _label(table: dict[str, str], key: str) -> Callable[[Row, Lang], str]:
    def get(r: Row, lang: Lang) -> str:
        v = getattr(r.invoice, key)
        return table.get(v, v) if lang == "zh" else v
    return get


def _plain(key: str) -> Callable[[Row, Lang], Any]:
    return lambda r, _lang: getattr(r.invoice, key)


def _time(key: str) -> Callable[[Row, Lang], Any]:
    return lambda r, _lang: _local(getattr(r.invoice, key))


def _customer(key: str) -> Callable[[Row, Lang], Any]:
    return lambda r, _lang: getattr(r.customer, key) if r.customer is not None else None


def _orders(r: Row, lang: Lang) -> str:
    return SEPARATOR[lang].join(o.number for o in r.invoice.orders)


def _refunds(r: Row, _lang: Lang) -> Any:
    return sum((o.total - net_amount(o.total, o.refund_amount) for o in r.invoice.orders),
               start=0) or None


def _fapiao_numbers(r: Row, lang: Lang) -> str | None:
    return SEPARATOR[lang].join(f.invoice_number for f in r.invoice.fapiao) or None


def _fapiao_amounts(r: Row, lang: Lang) -> str | None:
    return SEPARATOR[lang].join(fmt(f.amount) for f in r.invoice.fapiao) or None


COLUMNS: list[Column] = [
    Column("申请时间", "Requested at", _time("requested_at")),
    Column("客户编号", "Customer number", _customer("customer_number")),
    Column("客户名称", "Customer", _plain("customer_name")),
    Column("区域", "Area", _customer("area")),
    Column("状态", "Status", _label(STATUS_ZH, "status")),
    Column("发票类型", "Type", _label(TYPE_ZH, "invoice_type")),
    Column("发票抬头", "Title", _plain("title")),
    Column("税号", "Tax number", _plain("tax_number")),
    Column("开户银行", "Bank", _plain("bank")),
    Column("银行账号", "Bank account", _plain("bank_account")),
    Column("地址电话", "Address and telephone", _plain("address_phone")),
    Column("邮寄地址", "Mail to", _plain("mail_to")),
    Column("订单号", "Orders", _orders),
    Column("退货退款", "Refunds", _refunds, money=True),
    Column("开票金额", "Amount", _plain("amount"), money=True),
    Column("发票号码", "Fapiao numbers", _fapiao_numbers),
    Column("各张金额", "Fapiao amounts", _fapiao_amounts),
    Column("开票日期", "Invoice date", _plain("invoice_date")),
    Column("寄出时间", "Sent at", _time("sent_at")),
    Column("快递公司", "Courier", _plain("courier")),
    Column("快递单号", "Tracking number", _plain("tracking_number")),
    Column("开票人", "Issued by", _plain("issued_by")),
    Column("确认收到时间", "Receipt confirmed at", _time("confirmed_at")),
    Column("驳回原因", "Rejection reason", _plain("rejection_reason")),
    Column("申请人", "Requested by", _plain("requested_by")),
]
# Excel holds 1,048,576 rows per sheet; above this the filter must be narrowed.
MAX_ROWS = 1_000_000


def headers(lang: Lang) -> list[str]:
    return [c.zh if lang == "zh" else c.en for c in COLUMNS]


def values(row: Row, lang: Lang) -> list[Any]:
    return [c.value(row, lang) for c in COLUMNS]


def check_size(count: int) -> None:
    if count > MAX_ROWS:
        raise Unprocessable(f"{count} invoices match; an export holds at most {MAX_ROWS}: "
                            "narrow the filter")
