"""Every text of a customer message, in Chinese and English (N-5, N-2; C-2, C-4, C-6,
O-1, O-5, O-6, O-8, O-9, I-2, P-2): one template per message kind (a kind with several
wordings has `kind.variant` entries beside it), the optional parts of a message as their
own small templates, and the weekday names of an ordering cycle. Placeholders are named
and filled by `prompts.notice.render` with already-formatted values; both texts of an
entry use the same placeholders. Grade names are shared with the staff prompts
(`prompts/templates.py`). Data only, no I/O."""

from __future__ import annotations

from enum import StrEnum

from ..prompts.notice import Template


class MessageKind(StrEnum):
    """The kinds of customer message; stored with each message, the web UI reads them
    (`payment_due` and `ordering_cycle_due` also name the notifier's templates, N-2)."""

    ORDER_APPROVED = "order_approved"
    ORDER_REJECTED = "order_rejected"
    PAYMENT_RECEIVED = "payment_received"
    INVOICE_ISSUED = "invoice_issued"
    INVOICE_REJECTED = "invoice_rejected"
    REGISTRATION_APPROVED = "registration_approved"
    REGISTRATION_REJECTED = "registration_rejected"
    POINTS_EFFECTIVE = "points_effective"
    GRADE_CHANGED = "grade_changed"
    ORDER_ENTERED = "order_entered"
    ORDER_SHIPPED = "order_shipped"
    ORDER_COMPLETED = "order_completed"
    CREDIT_HOLD_RELEASED = "order_credit_hold_released"
    ORDER_CANCELLED = "order_cancelled"
    CANCELLATION_REJECTED = "order_cancellation_rejected"
    RETURN_APPROVED = "return_approved"
    RETURN_REJECTED = "return_rejected"
    PAYMENT_DUE = "payment_due"
    ORDERING_CYCLE_DUE = "ordering_cycle_due"
    STATEMENT_DISPUTE_RESOLVED = "statement_dispute_resolved"
    POINTS_REFUSED = "points_refused"
    POINTS_RELEASED = "points_released"
    SERVICE_REQUEST_REPLIED = "service_request_replied"
    SERVICE_REQUEST_CLOSED = "service_request_closed"


# The grade was raised automatically (C-4); `grade_changed` itself is a change by staff.
GRADE_UPGRADED = f"{MessageKind.GRADE_CHANGED}.upgraded"

MESSAGES: dict[str, Template] = {
    # registration and grade (C-2, C-4)
    MessageKind.REGISTRATION_APPROVED: (
        "您的注册已审核通过（客户编号 {customer_number}），现在可以在线订货了",
        "Your registration has been approved (customer number {customer_number}). You can "
        "now place orders."),
    MessageKind.REGISTRATION_REJECTED: (
        "您的注册未通过审核{reason}",
        "Your registration was not approved.{reason}"),
    MessageKind.GRADE_CHANGED: (
        "您的客户等级已调整为{grade}{reason}",
        "Your customer grade has been changed to {grade}.{reason}"),
    GRADE_UPGRADED: (
        "恭喜！您的累计付款已达 {paid_total} 元，客户等级已升级为{grade}",
        "Congratulations! Your payments have reached {paid_total} yuan in total; your "
        "customer grade is now {grade}."),
    # orders (O-1, O-5, O-6, O-8, O-9)
    MessageKind.ORDER_ENTERED: (
        "我们已为您录入订单 {number}，金额 {total} 元，待审核",
        "We entered order {number} for you, amount {total} yuan; it awaits review."),
    MessageKind.ORDER_APPROVED: (
        "您的订单 {number} 已审核通过",
        "Your order {number} has been approved."),
    MessageKind.ORDER_REJECTED: (
        "您的订单 {number} 未通过审核{reason}",
        "Your order {number} was rejected.{reason}"),
    MessageKind.ORDER_SHIPPED: (
        "您的订单 {number} {progress}（第 {shipment_number} 批，{courier}{tracking}），"
        "收到后请确认收货",
        "Your order {number} {progress} (shipment {shipment_number}, {courier}{tracking}). "
        "Please confirm receipt when it arrives."),
    MessageKind.ORDER_COMPLETED: (
        "您的订单 {number} 已完成",
        "Your order {number} is complete."),
    MessageKind.CREDIT_HOLD_RELEASED: (
        "您的订单 {number}（{total} 元）已由财务解除信用冻结，进入正常审核",
        "The credit hold on your order {number} ({total} yuan) has been released; it goes "
        "on to the usual review."),
    MessageKind.ORDER_CANCELLED: (
        "您的订单 {number} 已按您的申请取消",
        "Your order {number} has been cancelled as you asked."),
    MessageKind.CANCELLATION_REJECTED: (
        "您取消订单 {number} 的申请未获同意{reason}",
        "Your request to cancel order {number} was declined.{reason}"),
    MessageKind.RETURN_APPROVED: (
        "您的退货申请（订单 {number}）已同意，退款 {refund_amount} 元",
        "Your return for order {number} was approved; refund {refund_amount} yuan."),
    MessageKind.RETURN_REJECTED: (
        "您的退货申请（订单 {number}）未获同意{reason}",
        "Your return for order {number} was declined.{reason}"),
    MessageKind.PAYMENT_RECEIVED: (
        "订单 {number} 已收到全部货款 {amount_paid} 元，谢谢",
        "We have received full payment of {amount_paid} yuan for order {number}. Thank you."),
    # reminders, also sent by SMS/WeChat (N-2; O-6, C-6)
    MessageKind.PAYMENT_DUE: (
        "付款提醒：您的订单 {number} 尚欠 {amount} 元，付款到期日 {due_date}，{urgency}",
        "Payment reminder: {amount} yuan is outstanding on your order {number}, due "
        "{due_date}; {urgency}"),
    MessageKind.ORDERING_CYCLE_DUE: (
        "订货提醒：按您的订货周期{cycle}，今天（{due_date}）该补货了，欢迎在线下单",
        "Ordering reminder: by your ordering cycle{cycle}, today ({due_date}) is the day to "
        "restock. You are welcome to order online."),
    # monthly statements (B-1)
    MessageKind.STATEMENT_DISPUTE_RESOLVED: (
        "您对 {month} 对账单的异议已答复：{note}。请查看对账单，无误后确认",
        "Your dispute of the statement of {month} has been answered: {note}. Please look at "
        "the statement again and confirm it if it is right."),
    # points redemption (P-2): the order is payable in full
    MessageKind.POINTS_REFUSED: (
        "订单 {number} 未能使用 {points} 积分抵扣：{reason}。该订单按全额支付",
        "Order {number} could not use {points} points: {reason}. The order is payable in "
        "full."),
    MessageKind.POINTS_RELEASED: (
        "订单 {number} 的 {points} 积分抵扣未能及时确认，积分已退回您的账户。该订单按全额支付",
        "The {points} points for order {number} could not be confirmed in time and are back "
        "in your account. The order is payable in full."),
    # invoices (I-1, I-2), points (P-2)
    MessageKind.INVOICE_ISSUED: (
        "发票 {invoice_number} 已开具，金额 {amount} 元，开票日期 {invoice_date}",
        "Invoice {invoice_number} of {amount} yuan was issued on {invoice_date}."),
    MessageKind.INVOICE_REJECTED: (
        "您的开票申请（订单 {numbers}，金额 {amount} 元）未通过，请修改后重新提交{reason}",
        "Your invoice request for order {numbers} ({amount} yuan) was not accepted; please "
        "correct it and submit it again.{reason}"),
    # fault reports (S-1)
    MessageKind.SERVICE_REQUEST_REPLIED: (
        "您的报修（{machine}）有新回复{status}：{snippet}",
        "There is a new reply on your fault report for {machine}{status}: {snippet}"),
    MessageKind.SERVICE_REQUEST_CLOSED: (
        "您的报修（{machine}）已由客服关闭",
        "Your fault report for {machine} was closed by our service staff."),
    MessageKind.POINTS_EFFECTIVE: (
        "{order}{points} 积分已生效",
        "{points} points{order} are now effective."),
}

# Parts of a message that depend on the event: filled in, then given to the message as
# one value (an absent part is the empty string).
# Why the points service refused points (P-2), as told to the customer.
POINTS_REFUSALS: dict[str, Template] = {
    "insufficient": ("积分余额不足", "not enough points left"),
    "threshold": ("累计生效积分未达到使用门槛",
                  "the points needed before any can be used have not been reached"),
    "redeemable": ("超过订单中耗材和配件的金额",
                   "more than the order's consumables and accessories are worth"),
}

# A fault report's status (S-1), as told to the customer.
REPORT_STATUSES: dict[str, Template] = {
    "open": ("待处理", "open"),
    "in_progress": ("处理中", "in progress"),
    "waiting_for_customer": ("等待您的回复", "waiting for your answer"),
    "resolved": ("已解决", "resolved"),
    "closed": ("已关闭", "closed"),
}

FRAGMENTS: dict[str, Template] = {
    # order_rejected, registration_rejected, grade_changed, order_cancellation_rejected,
    # return_rejected, invoice_rejected
    "reason": ("，原因：{reason}", " Reason: {reason}"),
    # order_shipped
    "shipped_in_full": ("已全部发货", "has shipped in full"),
    "shipped_in_part": ("已部分发货", "has partly shipped"),
    "tracking_number": ("，单号 {tracking_number}", ", tracking number {tracking_number}"),
    # payment_due, by stage
    "due_before": ("即将到期，请按时付款", "please pay by then."),
    "due_today": ("今天到期，请及时付款", "it is due today; please pay on time."),
    "overdue": ("已逾期 {days_overdue} 天，请尽快付款",
                "it is {days_overdue} days overdue; please pay as soon as possible."),
    # ordering_cycle_due: the customer's cycle, when the event describes one
    "every_days": ("（每 {days} 天）", " (every {days} days)"),
    "every_weekday": ("（每周{weekday}）", " (every {weekday})"),
    # service_request_replied: the status the reply moved the report to
    "report_status": ("，状态：{status}", " (now {status})"),
    # points_effective: the order the points came with
    "for_order": ("订单 {number} 的", " for order {number}"),
}

# Weekdays of an ordering cycle (C-6), 1 = Monday … 7 = Sunday, as in 每周五 / every Friday.
WEEKDAYS: dict[int, Template] = {
    1: ("一", "Monday"), 2: ("二", "Tuesday"), 3: ("三", "Wednesday"), 4: ("四", "Thursday"),
    5: ("五", "Friday"), 6: ("六", "Saturday"), 7: ("日", "Sunday"),
}
