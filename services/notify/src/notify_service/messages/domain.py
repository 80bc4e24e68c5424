"""Customer messages, pure (N-5): what a customer is told when its order, invoice or
registration changes status. Addressed to the event's customer; Chinese default text,
English text and structured data. No I/O; unit-tested on their own."""

from __future__ import annotations

from enum import StrEnum

from dinghuo_contracts import (
    CustomerApproved,
    CustomerGradeChanged,
    CustomerRejected,
    Event,
    InvoiceIssued,
    OrderApproved,
    OrderRejected,
    PaymentReceived,
    PointsEarned,
)
from servicekit.money import fmt

from ..prompts.domain import Notice, grade_label


class MessageKind(StrEnum):
    ORDER_APPROVED = "order_approved"
    ORDER_REJECTED = "order_rejected"
    PAYMENT_RECEIVED = "payment_received"
    INVOICE_ISSUED = "invoice_issued"
    REGISTRATION_APPROVED = "registration_approved"
    REGISTRATION_REJECTED = "registration_rejected"
    POINTS_EFFECTIVE = "points_effective"
    GRADE_CHANGED = "grade_changed"


def _reason(reason: str | None) -> tuple[str, str]:
    reason = (reason or "").strip()
    return (f"，原因：{reason}", f" Reason: {reason}") if reason else ("", "")


def customer_message(event: Event) -> Notice | None:
    """The message for the event's customer, or None when the event tells it nothing."""
    match event:
        case OrderApproved():
            return Notice(
                kind=MessageKind.ORDER_APPROVED,
                message=f"您的订单 {event.number} 已审核通过",
                message_en=f"Your order {event.number} has been approved.",
                data={"order_id": str(event.order_id), "number": event.number},
            )
        case OrderRejected():
            zh, en = _reason(event.reason)
            return Notice(
                kind=MessageKind.ORDER_REJECTED,
                message=f"您的订单 {event.number} 未通过审核{zh}",
                message_en=f"Your order {event.number} was rejected.{en}",
                data={"order_id": str(event.order_id), "number": event.number,
                      "reason": (event.reason or "").strip() or None},
            )
        case PaymentReceived():
            return Notice(
                kind=MessageKind.PAYMENT_RECEIVED,
                message=(f"订单 {event.number} 已收到全部货款 {fmt(event.amount_paid)} 元，"
                         "谢谢"),
                message_en=(f"We have received full payment of {fmt(event.amount_paid)} yuan "
                            f"for order {event.number}. Thank you."),
                data={"order_id": str(event.order_id), "number": event.number,
                      "total": fmt(event.total), "amount_paid": fmt(event.amount_paid),
                      "paid_on": event.paid_on.isoformat()},
            )
        case InvoiceIssued():
            return Notice(
                kind=MessageKind.INVOICE_ISSUED,
                message=(f"发票 {event.invoice_number} 已开具，金额 {fmt(event.amount)} 元，"
                         f"开票日期 {event.invoice_date.isoformat()}"),
                message_en=(f"Invoice {event.invoice_number} of {fmt(event.amount)} yuan was "
                            f"issued on {event.invoice_date.isoformat()}."),
                data={"invoice_id": str(event.invoice_id),
                      "invoice_number": event.invoice_number, "amount": fmt(event.amount),
                      "invoice_date": event.invoice_date.isoformat(),
                      "order_ids": [str(i) for i in event.order_ids]},
            )
        case PointsEarned(status="effective"):
            about_zh = f"订单 {event.order_number} 的" if event.order_number else ""
            about_en = f" for order {event.order_number}" if event.order_number else ""
            return Notice(
                kind=MessageKind.POINTS_EFFECTIVE,
                message=f"{about_zh}{event.points} 积分已生效",
                message_en=f"{event.points} points{about_en} are now effective.",
                data={"order_id": str(event.order_id), "number": event.order_number,
                      "points": event.points},
            )
        case CustomerApproved():
            return Notice(
                kind=MessageKind.REGISTRATION_APPROVED,
                message=(f"您的注册已审核通过（客户编号 {event.customer_number}），"
                         "现在可以在线订货了"),
                message_en=(f"Your registration has been approved (customer number "
                            f"{event.customer_number}). You can now place orders."),
                data={"customer_number": event.customer_number,
                      "company_name": event.company_name},
            )
        case CustomerGradeChanged():
            new_zh, new_en = grade_label(event.grade)
            if event.changed_by_kind == "system":
                zh = (f"恭喜！您的累计付款已达 {fmt(event.paid_total)} 元，"
                      f"客户等级已升级为{new_zh}")
                en = (f"Congratulations! Your payments have reached {fmt(event.paid_total)} "
                      f"yuan in total; your customer grade is now {new_en}.")
            else:
                reason_zh, reason_en = _reason(event.reason)
                zh = f"您的客户等级已调整为{new_zh}{reason_zh}"
                en = f"Your customer grade has been changed to {new_en}.{reason_en}"
            return Notice(
                kind=MessageKind.GRADE_CHANGED, message=zh, message_en=en,
                data={"customer_number": event.customer_number,
                      "previous_grade": event.previous_grade, "grade": event.grade,
                      "paid_total": fmt(event.paid_total)},
            )
        case CustomerRejected():
            zh, en = _reason(event.reason)
            return Notice(
                kind=MessageKind.REGISTRATION_REJECTED,
                message=f"您的注册未通过审核{zh}",
                message_en=f"Your registration was not approved.{en}",
                data={"company_name": event.company_name,
                      "reason": event.reason.strip() or None},
            )
    return None

