"""Every text of a staff prompt, in Chinese and English (N-3, C-5, O-4, O-5, O-6, O-8,
O-9, I-1, S-1, B-1): one template per prompt kind, the optional parts of a prompt as their own
small templates, and the labels (grades C-4, customer fields C-1, order fields O-4).
Placeholders are named and filled by `notice.render` with already-formatted values; both
texts of an entry use the same placeholders. Data only, no I/O."""

from __future__ import annotations

from enum import StrEnum

from .notice import Template


class PromptKind(StrEnum):
    """The kinds of staff prompt; stored with each prompt, the web UI reads them."""

    NEW_ORDER = "new_order"
    CUSTOMER_REGISTERED = "customer_registered"
    CUSTOMER_UPDATED = "customer_updated"
    CUSTOMER_GRADE_CHANGED = "customer_grade_changed"
    INVOICE_REQUESTED = "invoice_requested"
    SERVICE_REQUEST = "service_request"
    SERVICE_REQUEST_REPLIED = "service_request_replied"
    ORDER_MODIFIED = "order_modified"
    SECOND_REVIEW = "order_second_review"
    ORDER_CANCELLED = "order_cancelled"
    CANCELLATION_REQUESTED = "order_cancellation_requested"
    ORDER_RECEIVED = "order_received"
    RETURN_REQUESTED = "return_requested"
    PAYMENT_OVERDUE = "payment_overdue"
    PAYMENT_REVERSED = "payment_reversed"
    CREDIT_HELD = "order_credit_held"
    STATEMENT_DISPUTED = "statement_disputed"
    STATEMENT_CONFIRMED = "statement_confirmed"
    DELIVERY_FAILED = "delivery_failed"


PROMPTS: dict[PromptKind, Template] = {
    # customers (C-2, C-4, C-5)
    PromptKind.CUSTOMER_REGISTERED: (
        "新客户注册 {customer_number}：{company_name}（联系人 {contact_person}，手机 {mobile}），"
        "待审核",
        "New customer registration {customer_number}: {company_name} (contact "
        "{contact_person}, mobile {mobile}), awaiting review"),
    PromptKind.CUSTOMER_UPDATED: (
        "客户资料已修改：{company_name}{fields}",
        "Customer information changed: {company_name}{fields}"),
    PromptKind.CUSTOMER_GRADE_CHANGED: (
        "客户等级变更 {customer_number}：{company_name}，{previous_grade} → {grade}"
        "（{changed_by}；累计付款 {paid_total} 元）",
        "Customer grade changed {changed_by}: {customer_number} {company_name}, "
        "{previous_grade} → {grade} (paid in total {paid_total} yuan)"),
    # invoices (I-1), the service desk (S-1)
    PromptKind.INVOICE_REQUESTED: (
        "开票申请：{customer}，{orders} {numbers}，金额 {amount} 元",
        "Invoice requested by {customer} for {orders} {numbers}, amount {amount} yuan"),
    PromptKind.SERVICE_REQUEST: (
        "售后报修：{customer_name}，机器 {machine}：{description}",
        "Service request from {customer_name}, machine {machine}: {description}"),
    PromptKind.SERVICE_REQUEST_REPLIED: (
        "报修有新回复：{customer_name}，机器 {machine}{reopened}：{snippet}",
        "{customer_name} replied on the fault report for machine {machine}{reopened}: "
        "{snippet}"),
    # orders (O-1, O-4, O-5, O-6, O-8, O-9)
    PromptKind.NEW_ORDER: (
        "新订单 {number}：{customer_name}，金额 {total} 元{by_staff}",
        "New order {number}: {customer_name}, amount {total} yuan{by_staff}"),
    PromptKind.ORDER_MODIFIED: (
        "订单已修改 {number}：{customer_name}（{fields}），金额 {previous_total} → {total} 元，"
        "请重新审核",
        "Order {number} modified by {customer_name} ({fields}), amount {previous_total} → "
        "{total} yuan; please review it again"),
    PromptKind.SECOND_REVIEW: (
        "订单 {number}（{customer_name}，{total} 元）已由 {first_reviewed_by} 初审通过，待复审",
        "Order {number} ({customer_name}, {total} yuan) was approved by {first_reviewed_by}; "
        "a second reviewer is needed"),
    PromptKind.ORDER_CANCELLED: (
        "客户已取消订单 {number}：{customer_name}{reason}",
        "{customer_name} cancelled order {number}.{reason}"),
    PromptKind.CANCELLATION_REQUESTED: (
        "取消申请：{customer_name} 申请取消已审核订单 {number}{reason}",
        "{customer_name} asks to cancel reviewed order {number}.{reason}"),
    PromptKind.ORDER_RECEIVED: (
        "{customer_name} 已确认收货：订单 {number} 第 {shipment_number} 批{outcome}",
        "{customer_name} confirmed receipt of shipment {shipment_number} of order "
        "{number}{outcome}"),
    PromptKind.RETURN_REQUESTED: (
        "退货申请：{customer_name}，订单 {number}，金额 {amount} 元{reason}",
        "Return requested by {customer_name} for order {number}, {amount} yuan.{reason}"),
    PromptKind.PAYMENT_OVERDUE: (
        "逾期未付款：{customer}，订单 {number} 欠款 {amount} 元，付款到期日 {due_date}，"
        "已逾期 {days_overdue} 天",
        "Payment overdue: order {number} of {customer}, {amount} yuan outstanding, due "
        "{due_date}, {days_overdue} days overdue"),
    PromptKind.CREDIT_HELD: (
        "信用冻结 {number}：{customer_name}，金额 {total} 元，{reason}，待财务解除冻结{trigger}",
        "Credit hold on order {number} of {customer_name}, {total} yuan: {reason}; finance "
        "must release it{trigger}"),
    PromptKind.PAYMENT_REVERSED: (
        "收款已冲正：订单 {number} 冲正 {amount} 元（{reversed_by} 审核），已付 {paid_total} 元，"
        "不再是已付清{reason}",
        "Payment reversed: {amount} yuan of order {number} (approved by {reversed_by}); "
        "{paid_total} yuan remain paid, the order is no longer fully paid.{reason}"),
    # monthly statements (B-1)
    PromptKind.STATEMENT_DISPUTED: (
        "对账单异议：{customer} 对 {month} 对账单有异议（期末余额 {closing_balance} 元）：{note}，"
        "请核对后答复",
        "Statement disputed: {customer} disputes the statement of {month} (closing balance "
        "{closing_balance} yuan): {note}. Please check it and answer."),
    PromptKind.STATEMENT_CONFIRMED: (
        "{customer} 已确认 {month} 对账单，期末余额 {closing_balance} 元",
        "{customer} confirmed the statement of {month}, closing balance {closing_balance} "
        "yuan"),
    # deliveries by the external notifier (N-2)
    PromptKind.DELIVERY_FAILED: (
        "{channel}发送失败：{customer}的{template}（尝试 {attempts} 次）：{reason}",
        "{channel} delivery failed: {template} to {customer} ({attempts} attempts): "
        "{reason}"),
}

# The notifier's channels and the messages it delivers, as staff read them (N-2).
CHANNEL_LABELS: dict[str, Template] = {
    "sms": ("短信", "SMS"), "wechat": ("微信", "WeChat"), "email": ("邮件", "E-mail"),
}
DELIVERY_TEMPLATE_LABELS: dict[str, Template] = {
    "payment_due": ("付款提醒", "payment reminder"),
    "ordering_cycle_due": ("订货提醒", "ordering reminder"),
    "staff_message": ("通知", "message"),
    "password_reset": ("密码重置验证码", "password reset code"),
}

# Parts of a prompt that depend on the event: filled in, then given to the prompt as one
# value (an absent part is the empty string).
FRAGMENTS: dict[str, Template] = {
    # service_request_replied: the customer's reply reopened a resolved report (S-1)
    "reopened": ("（已解决的报修被重新打开）", " (a resolved report, reopened)"),
    # new_order: an order a staff member entered for the customer (O-1)
    "entered_by_staff": ("（员工代录）", " (entered by staff)"),
    # customer_updated: the changed fields
    "changed_fields": ("（{fields}）", " ({fields})"),
    # customer_grade_changed: who changed the grade
    "changed_automatically": ("自动", "automatically"),
    "changed_by": ("{changed_by}", "by {changed_by}"),
    # invoice_requested, payment_overdue, statement_*: a customer whose name is not known
    "a_customer": ("客户", "a customer"),
    # invoice_requested: one order or several
    "order": ("订单", "order"),
    "orders": ("订单", "orders"),
    # order_cancelled, order_cancellation_requested, return_requested, payment_reversed
    "reason": ("，原因：{reason}", " Reason: {reason}"),
    # order_credit_held: held again after the customer modified the order (B-3)
    "held_after_modification": ("（客户修改订单后）", " (after the customer modified it)"),
    # order_received
    "quantities_complete": ("，数量无误", ", quantities complete"),
    "shortage": ("，短缺：{lines}{note}", ", shortage: {lines}{note}"),
    "short_line": ("{model} 少 {missing}", "{model} short by {missing}"),
    "note": ("（{note}）", " ({note})"),
}

# Grade names (C-4) as the customer and the staff read them (customer messages use them
# too).
GRADE_LABELS: dict[str, Template] = {
    "normal": ("普通", "normal"),
    "small": ("小级别", "small level"),
    "large": ("大级别", "large level"),
}

# Labels of the customer's basic information (C-1); unknown fields show as they are.
FIELD_LABELS: dict[str, Template] = {
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

# Labels of a modified order's fields (O-4); unknown fields show as they are.
ORDER_FIELD_LABELS: dict[str, Template] = {
    "delivery_date": ("交货日期", "delivery date"),
    "bill_type": ("开票要求", "bill choice"),
    "remark": ("备注", "remark"),
    "total": ("金额", "amount"),
    "lines": ("订货明细", "lines"),
}
