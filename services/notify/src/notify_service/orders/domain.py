"""Order lifecycle notices, pure (N-3, N-5): each status change of an order tells the
other side. What the customer does (modify, cancel, ask to cancel, confirm receipt, ask
to return) prompts the staff; what staff do (enter an order for the customer, ship,
complete, decide a cancellation or a return) messages the customer. A payment reminder
(order.payment_due, O-6, N-2) messages the customer and, once the order is overdue,
prompts the staff too. An ordering-cycle reminder (customer.ordering_cycle_due, from the
order service's daily job, C-6, N-2) messages the customer. Chinese default text, English
text and structured data, like the other notices. No I/O; unit-tested."""

from __future__ import annotations

from enum import StrEnum

from dinghuo_contracts import (
    CustomerOrderingCycleDue,
    Event,
    OrderCancellationRejected,
    OrderCancellationRequested,
    OrderCancelled,
    OrderCompleted,
    OrderModified,
    OrderPaymentDue,
    OrderReceived,
    OrderSecondReviewRequired,
    OrderShipped,
    OrderSubmitted,
    ReturnApproved,
    ReturnRejected,
    ReturnRequested,
)
from servicekit.money import fmt

from ..prompts.domain import Notice, snippet

FIELD_LABELS = {
    "delivery_date": ("交货日期", "delivery date"), "bill_type": ("开票要求", "bill choice"),
    "remark": ("备注", "remark"), "total": ("金额", "amount"), "lines": ("订货明细", "lines"),
}


class OrderPromptKind(StrEnum):
    ORDER_MODIFIED = "order_modified"
    SECOND_REVIEW = "order_second_review"
    ORDER_CANCELLED = "order_cancelled"
    CANCELLATION_REQUESTED = "order_cancellation_requested"
    ORDER_RECEIVED = "order_received"
    RETURN_REQUESTED = "return_requested"
    PAYMENT_OVERDUE = "payment_overdue"


class OrderMessageKind(StrEnum):
    ORDER_ENTERED = "order_entered"
    ORDER_SHIPPED = "order_shipped"
    ORDER_COMPLETED = "order_completed"
    ORDER_CANCELLED = "order_cancelled"
    CANCELLATION_REJECTED = "order_cancellation_rejected"
    RETURN_APPROVED = "return_approved"
    RETURN_REJECTED = "return_rejected"
    PAYMENT_DUE = "payment_due"
    ORDERING_CYCLE_DUE = "ordering_cycle_due"


def _ids(event) -> dict:
    return {"order_id": str(event.order_id), "number": event.number,
            "customer_id": str(event.customer_id)}


def _changed(fields: list[str]) -> tuple[str, str]:
    zh = [FIELD_LABELS.get(f, (f, f))[0] for f in fields]
    en = [FIELD_LABELS.get(f, (f, f.replace("_", " ")))[1] for f in fields]
    return "、".join(dict.fromkeys(zh)), ", ".join(dict.fromkeys(en))


def _because(reason: str | None) -> tuple[str, str]:
    reason = (reason or "").strip()
    return (f"，原因：{snippet(reason)}", f" Reason: {snippet(reason)}") if reason else ("", "")


def _payment_due_data(event: OrderPaymentDue) -> dict:
    return {**_ids(event), "customer_name": event.customer_name or None,
            "amount_outstanding": fmt(event.amount_outstanding),
            "due_date": event.due_date.isoformat(), "stage": event.stage,
            "days_overdue": event.days_overdue}


WEEKDAYS = {1: ("一", "Monday"), 2: ("二", "Tuesday"), 3: ("三", "Wednesday"),
            4: ("四", "Thursday"), 5: ("五", "Friday"), 6: ("六", "Saturday"),
            7: ("日", "Sunday")}


def _cycle(event: CustomerOrderingCycleDue) -> tuple[str, str]:
    """The ordering cycle as the customer reads it: （每 30 天）/ (every 30 days),
    （每周五）/ (every Friday); nothing when the event does not describe one."""
    if event.kind == "days" and event.days:
        return f"（每 {event.days} 天）", f" (every {event.days} days)"
    if event.kind == "weekday" and event.weekday in WEEKDAYS:
        zh, en = WEEKDAYS[event.weekday]
        return f"（每周{zh}）", f" (every {en})"
    return "", ""


def staff_prompt(event: Event) -> Notice | None:
    """The staff prompt for an order event, or None when it is not for the staff."""
    match event:
        case OrderModified():
            fields = [c.field for c in event.changes] + (["lines"] if event.line_changes else [])
            zh, en = _changed(fields)
            return Notice(
                kind=OrderPromptKind.ORDER_MODIFIED,
                message=(f"订单已修改 {event.number}：{event.customer_name}（{zh}），"
                         f"金额 {fmt(event.previous_total)} → {fmt(event.total)} 元，请重新审核"),
                message_en=(f"Order {event.number} modified by {event.customer_name} ({en}), "
                            f"amount {fmt(event.previous_total)} → {fmt(event.total)} yuan; "
                            "please review it again"),
                data={**_ids(event), "customer_name": event.customer_name,
                      "changed_fields": fields, "previous_total": fmt(event.previous_total),
                      "total": fmt(event.total),
                      "changes": [c.model_dump(mode="json") for c in event.changes],
                      "line_changes": [lc.model_dump(mode="json")
                                       for lc in event.line_changes]},
            )
        case OrderSecondReviewRequired():
            return Notice(
                kind=OrderPromptKind.SECOND_REVIEW,
                message=(f"订单 {event.number}（{event.customer_name}，{fmt(event.total)} 元）"
                         f"已由 {event.first_reviewed_by} 初审通过，待复审"),
                message_en=(f"Order {event.number} ({event.customer_name}, "
                            f"{fmt(event.total)} yuan) was approved by "
                            f"{event.first_reviewed_by}; a second reviewer is needed"),
                data={**_ids(event), "customer_name": event.customer_name,
                      "total": fmt(event.total), "first_reviewed_by": event.first_reviewed_by},
            )
        case OrderCancelled(cancelled_by_kind="customer"):
            zh, en = _because(event.reason)
            return Notice(
                kind=OrderPromptKind.ORDER_CANCELLED,
                message=f"客户已取消订单 {event.number}：{event.customer_name}{zh}",
                message_en=f"{event.customer_name} cancelled order {event.number}.{en}",
                data={**_ids(event), "customer_name": event.customer_name,
                      "total": fmt(event.total), "reason": event.reason},
            )
        case OrderCancellationRequested():
            zh, en = _because(event.reason)
            return Notice(
                kind=OrderPromptKind.CANCELLATION_REQUESTED,
                message=f"取消申请：{event.customer_name} 申请取消已审核订单 {event.number}{zh}",
                message_en=(f"{event.customer_name} asks to cancel reviewed order "
                            f"{event.number}.{en}"),
                data={**_ids(event), "customer_name": event.customer_name,
                      "total": fmt(event.total), "reason": event.reason},
            )
        case OrderReceived():
            short = [ln for ln in event.lines if ln.quantity_received < ln.quantity_shipped]
            if short:
                missing_zh = "、".join(f"{ln.model} 少 {ln.quantity_shipped - ln.quantity_received}"
                                      for ln in short)
                missing_en = ", ".join(
                    f"{ln.model} short by {ln.quantity_shipped - ln.quantity_received}"
                    for ln in short)
                zh = f"，短缺：{missing_zh}" + (f"（{snippet(event.note)}）" if event.note else "")
                en = f", shortage: {missing_en}" + (f" ({snippet(event.note)})"
                                                   if event.note else "")
            else:
                zh, en = "，数量无误", ", quantities complete"
            return Notice(
                kind=OrderPromptKind.ORDER_RECEIVED,
                message=(f"{event.customer_name} 已确认收货：订单 {event.number} "
                         f"第 {event.shipment_number} 批{zh}"),
                message_en=(f"{event.customer_name} confirmed receipt of shipment "
                            f"{event.shipment_number} of order {event.number}{en}"),
                data={**_ids(event), "customer_name": event.customer_name,
                      "shipment_id": str(event.shipment_id),
                      "shipment_number": event.shipment_number, "shortage": event.shortage,
                      "note": event.note,
                      "lines": [ln.model_dump(mode="json") for ln in event.lines]},
            )
        case ReturnRequested():
            zh, en = _because(event.reason)
            return Notice(
                kind=OrderPromptKind.RETURN_REQUESTED,
                message=(f"退货申请：{event.customer_name}，订单 {event.number}，"
                         f"金额 {fmt(event.amount)} 元{zh}"),
                message_en=(f"Return requested by {event.customer_name} for order "
                            f"{event.number}, {fmt(event.amount)} yuan.{en}"),
                data={**_ids(event), "return_id": str(event.return_id),
                      "customer_name": event.customer_name, "amount": fmt(event.amount),
                      "reason": event.reason},
            )
        case OrderPaymentDue(stage="overdue"):
            who_zh = event.customer_name or "客户"
            who_en = event.customer_name or "a customer"
            return Notice(
                kind=OrderPromptKind.PAYMENT_OVERDUE,
                message=(f"逾期未付款：{who_zh}，订单 {event.number} 欠款 "
                         f"{fmt(event.amount_outstanding)} 元，付款到期日 "
                         f"{event.due_date.isoformat()}，已逾期 {event.days_overdue} 天"),
                message_en=(f"Payment overdue: order {event.number} of {who_en}, "
                            f"{fmt(event.amount_outstanding)} yuan outstanding, due "
                            f"{event.due_date.isoformat()}, {event.days_overdue} days overdue"),
                data=_payment_due_data(event),
            )
    return None


def customer_message(event: Event) -> Notice | None:
    """The message to the order's customer, or None when it is not for the customer."""
    match event:
        case OrderSubmitted(source="staff"):
            return Notice(
                kind=OrderMessageKind.ORDER_ENTERED,
                message=f"我们已为您录入订单 {event.number}，金额 {fmt(event.total)} 元，待审核",
                message_en=(f"We entered order {event.number} for you, amount "
                            f"{fmt(event.total)} yuan; it awaits review."),
                data={**_ids(event), "total": fmt(event.total)},
            )
        case OrderShipped():
            track_zh = f"，单号 {event.tracking_number}" if event.tracking_number else ""
            track_en = f", tracking number {event.tracking_number}" if event.tracking_number \
                else ""
            part_zh = "已全部发货" if event.fully_shipped else "已部分发货"
            part_en = "has shipped in full" if event.fully_shipped else "has partly shipped"
            return Notice(
                kind=OrderMessageKind.ORDER_SHIPPED,
                message=(f"您的订单 {event.number} {part_zh}（第 {event.shipment_number} 批，"
                         f"{event.courier}{track_zh}），收到后请确认收货"),
                message_en=(f"Your order {event.number} {part_en} (shipment "
                            f"{event.shipment_number}, {event.courier}{track_en}). Please "
                            "confirm receipt when it arrives."),
                data={**_ids(event), "shipment_id": str(event.shipment_id),
                      "shipment_number": event.shipment_number, "courier": event.courier,
                      "tracking_number": event.tracking_number,
                      "shipped_on": event.shipped_on.isoformat(),
                      "fully_shipped": event.fully_shipped},
            )
        case OrderCompleted():
            return Notice(
                kind=OrderMessageKind.ORDER_COMPLETED,
                message=f"您的订单 {event.number} 已完成",
                message_en=f"Your order {event.number} is complete.",
                data={**_ids(event), "note": event.note},
            )
        case OrderCancelled(cancelled_by_kind="staff"):
            return Notice(
                kind=OrderMessageKind.ORDER_CANCELLED,
                message=f"您的订单 {event.number} 已按您的申请取消",
                message_en=f"Your order {event.number} has been cancelled as you asked.",
                data={**_ids(event), "reason": event.reason},
            )
        case OrderCancellationRejected():
            zh, en = _because(event.reason)
            return Notice(
                kind=OrderMessageKind.CANCELLATION_REJECTED,
                message=f"您取消订单 {event.number} 的申请未获同意{zh}",
                message_en=f"Your request to cancel order {event.number} was declined.{en}",
                data={**_ids(event), "status": event.status, "reason": event.reason},
            )
        case ReturnApproved():
            return Notice(
                kind=OrderMessageKind.RETURN_APPROVED,
                message=(f"您的退货申请（订单 {event.number}）已同意，"
                         f"退款 {fmt(event.refund_amount)} 元"),
                message_en=(f"Your return for order {event.number} was approved; refund "
                            f"{fmt(event.refund_amount)} yuan."),
                data={**_ids(event), "return_id": str(event.return_id),
                      "refund_amount": fmt(event.refund_amount)},
            )
        case ReturnRejected():
            zh, en = _because(event.reason)
            return Notice(
                kind=OrderMessageKind.RETURN_REJECTED,
                message=f"您的退货申请（订单 {event.number}）未获同意{zh}",
                message_en=f"Your return for order {event.number} was declined.{en}",
                data={**_ids(event), "return_id": str(event.return_id),
                      "reason": event.reason},
            )
        case OrderPaymentDue():
            amount, due = fmt(event.amount_outstanding), event.due_date.isoformat()
            if event.stage == "overdue":
                zh = f"已逾期 {event.days_overdue} 天，请尽快付款"
                en = f"it is {event.days_overdue} days overdue; please pay as soon as possible."
            elif event.stage == "due":
                zh, en = "今天到期，请及时付款", "it is due today; please pay on time."
            else:
                zh, en = "即将到期，请按时付款", "please pay by then."
            return Notice(
                kind=OrderMessageKind.PAYMENT_DUE,
                message=(f"付款提醒：您的订单 {event.number} 尚欠 {amount} 元，"
                         f"付款到期日 {due}，{zh}"),
                message_en=(f"Payment reminder: {amount} yuan is outstanding on your order "
                            f"{event.number}, due {due}; {en}"),
                data=_payment_due_data(event),
            )
        case CustomerOrderingCycleDue():
            due = event.due_date.isoformat()
            cycle_zh, cycle_en = _cycle(event)
            return Notice(
                kind=OrderMessageKind.ORDERING_CYCLE_DUE,
                message=(f"订货提醒：按您的订货周期{cycle_zh}，今天（{due}）该补货了，"
                         "欢迎在线下单"),
                message_en=(f"Ordering reminder: by your ordering cycle{cycle_en}, today "
                            f"({due}) is the day to restock. You are welcome to order "
                            "online."),
                data={"customer_id": str(event.customer_id),
                      "customer_name": event.customer_name or None, "due_date": due,
                      "last_order_date": (event.last_order_date.isoformat()
                                          if event.last_order_date else None),
                      "kind": event.kind, "days": event.days, "weekday": event.weekday},
            )
    return None
