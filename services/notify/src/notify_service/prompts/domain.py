"""Staff prompts, pure (N-3, C-5): which events prompt the staff, with what text.

Each prompt has a Chinese default text (`message`), an English one (`message_en`) and
structured `data` (ids, numbers, amounts as "801.50") so a UI can render its own text.
No I/O; unit-tested on their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from dinghuo_contracts import (
    CustomerGradeChanged,
    CustomerRegistered,
    CustomerUpdated,
    Event,
    InvoiceRequested,
    OrderSubmitted,
    ServiceRequestOpened,
)
from servicekit.money import fmt

SNIPPET = 60


class PromptKind(StrEnum):
    NEW_ORDER = "new_order"
    CUSTOMER_REGISTERED = "customer_registered"
    CUSTOMER_UPDATED = "customer_updated"
    CUSTOMER_GRADE_CHANGED = "customer_grade_changed"
    INVOICE_REQUESTED = "invoice_requested"
    SERVICE_REQUEST = "service_request"


@dataclass(frozen=True)
class Notice:
    """What to tell someone about one event."""

    kind: str
    message: str
    message_en: str
    data: dict[str, Any] = field(default_factory=dict)
    # A window prompt pops up in the console instead of only counting as unread (N-3).
    window: bool = False


# Grade names (C-4) as the customer and staff read them.
GRADE_LABELS: dict[str, tuple[str, str]] = {
    "normal": ("普通", "normal"),
    "small": ("小级别", "small level"),
    "large": ("大级别", "large level"),
}


def grade_label(grade: str) -> tuple[str, str]:
    return GRADE_LABELS.get(grade, (grade, grade))


# Labels of the customer's basic information (C-1); unknown fields show as they are.
FIELD_LABELS: dict[str, tuple[str, str]] = {
    "company_name": ("公司名称", "company name"),
    "name": ("公司名称", "company name"),
    "status": ("审核状态", "review status"),
    "area_code": ("区号", "area code"),
    "telephone": ("电话", "telephone"),
    "phone": ("电话", "telephone"),
    "fax": ("传真", "fax"),
    "contact_person": ("采购负责人", "procurement contact"),
    "mobile": ("手机", "mobile phone"),
    "address": ("地址", "address"),
    "email": ("邮箱", "email"),
    "qq": ("QQ", "QQ"),
    "tax_number": ("税号", "tax number"),
    "bank": ("开户银行", "bank"),
    "bank_name": ("开户银行", "bank"),
    "bank_account": ("银行账号", "bank account"),
    "invoice_title": ("发票抬头", "invoice title"),
    "grade": ("等级", "grade"),
    "area": ("区域", "area"),
    "ordering_cycle": ("订货周期", "ordering cycle"),
    "ordering_cycle_days": ("订货周期", "ordering cycle"),
}


def field_labels(fields: list[str]) -> tuple[str, str]:
    """The changed fields as Chinese and English lists, in the order given."""
    zh = [FIELD_LABELS.get(f, (f, f))[0] for f in fields]
    en = [FIELD_LABELS.get(f, (f, f.replace("_", " ")))[1] for f in fields]
    return "、".join(dict.fromkeys(zh)), ", ".join(dict.fromkeys(en))


def snippet(text: str, limit: int = SNIPPET) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def staff_prompt(event: Event, *, customer_name: str | None = None) -> Notice | None:
    """The prompt for an event, or None when the event does not prompt the staff.
    `customer_name` (from the read model) names the customer where the event does not."""
    match event:
        case OrderSubmitted():
            by_staff = event.source == "staff"
            return Notice(
                kind=PromptKind.NEW_ORDER,
                message=(f"新订单 {event.number}：{event.customer_name}，金额 {fmt(event.total)} 元"
                         + ("（员工代录）" if by_staff else "")),
                message_en=(f"New order {event.number}: {event.customer_name}, "
                            f"amount {fmt(event.total)} yuan"
                            + (" (entered by staff)" if by_staff else "")),
                data={"order_id": str(event.order_id), "number": event.number,
                      "customer_id": str(event.customer_id),
                      "customer_name": event.customer_name, "total": fmt(event.total),
                      "source": event.source, "delivery_date": event.delivery_date.isoformat(),
                      "lines": len(event.lines)},
                window=True,
            )
        case CustomerRegistered():
            return Notice(
                kind=PromptKind.CUSTOMER_REGISTERED,
                message=(f"新客户注册 {event.customer_number}：{event.company_name}"
                         f"（联系人 {event.contact_person}，手机 {event.mobile}），待审核"),
                message_en=(f"New customer registration {event.customer_number}: "
                            f"{event.company_name} (contact {event.contact_person}, "
                            f"mobile {event.mobile}), awaiting review"),
                data={"customer_id": str(event.customer_id),
                      "customer_number": event.customer_number,
                      "company_name": event.company_name,
                      "contact_person": event.contact_person, "mobile": event.mobile,
                      "area": event.area},
            )
        case CustomerUpdated():
            # C-5 asks for a prompt when the *customer* changes its information; a change
            # made by staff is already known to the staff.
            if event.changed_by_kind != "customer":
                return None
            zh, en = field_labels(list(event.changed_fields))
            return Notice(
                kind=PromptKind.CUSTOMER_UPDATED,
                message=f"客户资料已修改：{event.company_name}" + (f"（{zh}）" if zh else ""),
                message_en=(f"Customer information changed: {event.company_name}"
                            + (f" ({en})" if en else "")),
                data={"customer_id": str(event.customer_id),
                      "company_name": event.company_name,
                      "changed_fields": list(event.changed_fields)},
            )
        case CustomerGradeChanged():
            new_zh, new_en = grade_label(event.grade)
            old_zh, old_en = grade_label(event.previous_grade)
            by_zh = "自动" if event.changed_by_kind == "system" else event.changed_by
            by_en = "automatically" if event.changed_by_kind == "system" else (
                f"by {event.changed_by}")
            return Notice(
                kind=PromptKind.CUSTOMER_GRADE_CHANGED,
                message=(f"客户等级变更 {event.customer_number}：{event.company_name}，"
                         f"{old_zh} → {new_zh}（{by_zh}；累计付款 {fmt(event.paid_total)} 元）"),
                message_en=(f"Customer grade changed {by_en}: {event.customer_number} "
                            f"{event.company_name}, {old_en} → {new_en} (paid in total "
                            f"{fmt(event.paid_total)} yuan)"),
                data={"customer_id": str(event.customer_id),
                      "customer_number": event.customer_number,
                      "company_name": event.company_name,
                      "previous_grade": event.previous_grade, "grade": event.grade,
                      "paid_total": fmt(event.paid_total), "reason": event.reason,
                      "changed_by": event.changed_by},
            )
        case InvoiceRequested():
            numbers = list(event.order_numbers)
            who_zh = customer_name or "客户"
            who_en = customer_name or "a customer"
            return Notice(
                kind=PromptKind.INVOICE_REQUESTED,
                message=(f"开票申请：{who_zh}，订单 {'、'.join(numbers)}，"
                         f"金额 {fmt(event.amount)} 元"),
                message_en=(f"Invoice requested by {who_en} for order"
                            f"{'s' if len(numbers) != 1 else ''} {', '.join(numbers)}, "
                            f"amount {fmt(event.amount)} yuan"),
                data={"invoice_id": str(event.invoice_id),
                      "customer_id": str(event.customer_id), "customer_name": customer_name,
                      "order_ids": [str(i) for i in event.order_ids],
                      "order_numbers": numbers, "amount": fmt(event.amount)},
            )
        case ServiceRequestOpened():
            return Notice(
                kind=PromptKind.SERVICE_REQUEST,
                message=(f"售后报修：{event.customer_name}，机器 {event.machine}："
                         f"{snippet(event.description)}"),
                message_en=(f"Service request from {event.customer_name}, machine "
                            f"{event.machine}: {snippet(event.description)}"),
                data={"request_id": str(event.request_id),
                      "customer_id": str(event.customer_id),
                      "customer_name": event.customer_name, "machine": event.machine},
            )
    return None
