"""Unit tests of the notification rules, no I/O: which events prompt the staff (N-3,
C-5) and which tell the customer (N-5), with what text and data."""

import uuid
from datetime import date, datetime
from decimal import Decimal

import pytest
from dinghuo_contracts import (
    CatalogLine,
    CustomerApproved,
    CustomerRegistered,
    CustomerRejected,
    CustomerUpdated,
    Fapiao,
    InvoiceConfirmed,
    InvoiceIssued,
    InvoiceRejected,
    InvoiceRequested,
    OrderApproved,
    OrderLine,
    OrderRejected,
    OrderSubmitted,
    PaymentReceived,
    PointsEarned,
    ServiceRequestOpened,
)
from notify_service.messages.domain import customer_message
from notify_service.prompts.domain import field_labels, snippet, staff_prompt

CID, OID, IID = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
NOW = datetime(2026, 11, 23, 10, 0)


def submitted(**kw) -> OrderSubmitted:
    return OrderSubmitted(**{
        "order_id": OID, "number": "DH20261123-0007", "customer_id": CID,
        "customer_name": "上海印美", "total": Decimal("801.5"), "bill_type": "ordinary_vat",
        "delivery_date": date(2026, 11, 26), "submitted_at": NOW,
        "lines": [OrderLine(product_id=uuid.uuid4(), name="墨水", model="INK-1L", quantity=5,
                            unit_price=Decimal("160.30"), line_total=Decimal("801.50"))],
        **kw})


class TestStaffPrompts:
    def test_new_order_is_a_window_prompt_with_amount_N3_O4(self):
        p = staff_prompt(submitted())
        assert p is not None
        assert p.kind == "new_order" and p.window is True
        assert p.message == "新订单 DH20261123-0007：上海印美，金额 801.50 元"
        assert p.message_en == "New order DH20261123-0007: 上海印美, amount 801.50 yuan"
        assert p.data["order_id"] == str(OID) and p.data["number"] == "DH20261123-0007"
        assert p.data["total"] == "801.50" and p.data["customer_id"] == str(CID)

    def test_order_entered_by_staff_says_so_O1(self):
        p = staff_prompt(submitted(source="staff"))
        assert "员工代录" in p.message and "entered by staff" in p.message_en

    def test_customer_registered_awaits_review_C2(self):
        p = staff_prompt(CustomerRegistered(
            customer_id=CID, customer_number="C0001", company_name="上海印美",
            contact_person="张三", mobile="13800000000", area="华东"))
        assert p.kind == "customer_registered" and not p.window
        assert "C0001" in p.message and "待审核" in p.message
        assert "awaiting review" in p.message_en
        assert p.data["area"] == "华东"

    def test_customer_changing_its_information_prompts_staff_C5(self):
        p = staff_prompt(CustomerUpdated(
            customer_id=CID, company_name="上海印美", changed_fields=["address", "mobile"],
            changed_by_kind="customer"))
        assert p.kind == "customer_updated"
        assert p.message == "客户资料已修改：上海印美（地址、手机）"
        assert p.message_en == "Customer information changed: 上海印美 (address, mobile phone)"
        assert p.data["changed_fields"] == ["address", "mobile"]

    def test_change_made_by_staff_prompts_nobody_C5(self):
        assert staff_prompt(CustomerUpdated(
            customer_id=CID, company_name="x", changed_fields=["address"],
            changed_by_kind="staff")) is None

    def test_invoice_request_names_orders_and_customer_I1(self):
        ev = InvoiceRequested(invoice_id=IID, customer_id=CID, order_ids=[OID, uuid.uuid4()],
                              order_numbers=["DH20261123-0007", "DH20261123-0008"],
                              amount=Decimal("1000"))
        p = staff_prompt(ev, customer_name="上海印美")
        assert p.kind == "invoice_requested"
        assert p.message == ("开票申请：上海印美，订单 DH20261123-0007、DH20261123-0008，"
                             "金额 1000.00 元")
        assert "orders DH20261123-0007, DH20261123-0008" in p.message_en
        assert p.data["amount"] == "1000.00" and len(p.data["order_ids"]) == 2
        assert "客户" in staff_prompt(ev).message  # name unknown yet: still readable

    def test_service_request_prompt_shortens_long_descriptions_S1(self):
        p = staff_prompt(ServiceRequestOpened(
            request_id=uuid.uuid4(), customer_id=CID, customer_name="上海印美",
            machine="UV 喷码机", description="喷头堵塞 " * 50))
        assert p.kind == "service_request"
        assert p.message.startswith("售后报修：上海印美，机器 UV 喷码机：喷头堵塞")
        assert p.message.endswith("…") and len(p.message) < 100

    @pytest.mark.parametrize("event", [
        OrderApproved(order_id=OID, number="n", customer_id=CID, reviewed_by="a",
                      reviewed_at=NOW),
        PointsEarned(customer_id=CID, order_id=OID, points=5, status="pending"),
    ])
    def test_other_events_prompt_nobody(self, event):
        assert staff_prompt(event) is None

    def test_field_labels_fall_back_to_the_field_name(self):
        assert field_labels(["qq", "favourite_colour"]) == ("QQ、favourite_colour",
                                                            "QQ, favourite colour")

    def test_snippet_keeps_short_text(self):
        assert snippet("  喷头\n堵塞 ") == "喷头 堵塞"


class TestCustomerMessages:
    def test_order_approved_N5(self):
        m = customer_message(OrderApproved(order_id=OID, number="DH20261123-0007",
                                           customer_id=CID, reviewed_by="a", reviewed_at=NOW))
        assert m.kind == "order_approved"
        assert m.message == "您的订单 DH20261123-0007 已审核通过"
        assert m.message_en == "Your order DH20261123-0007 has been approved."
        assert m.data == {"order_id": str(OID), "number": "DH20261123-0007"}

    def test_order_rejected_carries_the_reason_N5(self):
        m = customer_message(OrderRejected(order_id=OID, number="DH1", customer_id=CID,
                                           reason="价格有误", reviewed_by="a", reviewed_at=NOW))
        assert m.kind == "order_rejected"
        assert m.message == "您的订单 DH1 未通过审核，原因：价格有误"
        assert m.message_en == "Your order DH1 was rejected. Reason: 价格有误"
        assert m.data["reason"] == "价格有误"

    def test_order_rejected_without_reason(self):
        m = customer_message(OrderRejected(order_id=OID, number="DH1", customer_id=CID,
                                           reviewed_by="a", reviewed_at=NOW))
        assert m.message == "您的订单 DH1 未通过审核" and m.data["reason"] is None

    def test_payment_received_O6(self):
        m = customer_message(PaymentReceived(order_id=OID, number="DH1", customer_id=CID,
                                             total=Decimal("801.5"),
                                             amount_paid=Decimal("801.5"),
                                             paid_on=date(2026, 11, 23)))
        assert m.kind == "payment_received"
        assert "801.50 元" in m.message and "801.50 yuan" in m.message_en
        assert m.data["amount_paid"] == "801.50" and m.data["paid_on"] == "2026-11-23"

    def test_invoice_issued_I2(self):
        m = customer_message(InvoiceIssued(invoice_id=IID, customer_id=CID, order_ids=[OID],
                                           invoice_number="No.123",
                                           invoice_date=date(2026, 11, 24),
                                           amount=Decimal("801.50")))
        assert m.kind == "invoice_issued"
        assert m.message == "发票 No.123 已开具，金额 801.50 元，开票日期 2026-11-24"
        assert m.data["invoice_number"] == "No.123"

    def test_invoice_issued_as_several_fapiao_names_every_number_I2(self):
        m = customer_message(InvoiceIssued(
            invoice_id=IID, customer_id=CID, order_ids=[OID], invoice_number="No.1",
            invoice_date=date(2026, 11, 24), amount=Decimal("112210.00"),
            fapiao=[Fapiao(invoice_number="No.1", amount=Decimal("100000")),
                    Fapiao(invoice_number="No.2", amount=Decimal("12210"))]))
        assert m.message == "发票 No.1、No.2 已开具，金额 112210.00 元，开票日期 2026-11-24"
        assert m.message_en.startswith("Invoice No.1, No.2 of 112210.00 yuan")
        assert m.data["invoice_number"] == "No.1"
        assert m.data["invoice_numbers"] == ["No.1", "No.2"]

    def test_invoice_rejected_tells_the_reason_and_to_resubmit_I1(self):
        m = customer_message(InvoiceRejected(
            invoice_id=IID, customer_id=CID, order_ids=[OID, uuid.uuid4()],
            order_numbers=["DH20261123-0007", "DH20261123-0008"], amount=Decimal("901.5"),
            reason="税号有误", rejected_by="finance", rejected_at=NOW))
        assert m.kind == "invoice_rejected"
        assert m.message == ("您的开票申请（订单 DH20261123-0007、DH20261123-0008，金额 901.50 "
                             "元）未通过，请修改后重新提交，原因：税号有误")
        assert m.message_en == (
            "Your invoice request for order DH20261123-0007, DH20261123-0008 (901.50 yuan) "
            "was not accepted; please correct it and submit it again. Reason: 税号有误")
        assert m.data["invoice_id"] == str(IID) and m.data["reason"] == "税号有误"
        assert m.data["order_numbers"] == ["DH20261123-0007", "DH20261123-0008"]
        assert staff_prompt(InvoiceRejected(
            invoice_id=IID, customer_id=CID, order_ids=[OID], order_numbers=["DH1"],
            amount=Decimal("1"), reason="x", rejected_by="f", rejected_at=NOW)) is None

    def test_registration_approved_C2(self):
        m = customer_message(CustomerApproved(
            customer_id=CID, customer_number="C0001", company_name="上海印美",
            catalog=[CatalogLine(product_id=uuid.uuid4(), name="墨水", model="m",
                                 unit_price=Decimal("1"))], approved_by="admin"))
        assert m.kind == "registration_approved" and "C0001" in m.message
        assert "place orders" in m.message_en

    def test_registration_rejected_carries_the_reason_C2(self):
        m = customer_message(CustomerRejected(customer_id=CID, company_name="上海印美",
                                              reason="资料不全", rejected_by="admin"))
        assert m.kind == "registration_rejected"
        assert m.message == "您的注册未通过审核，原因：资料不全"
        assert m.message_en == "Your registration was not approved. Reason: 资料不全"

    def test_events_for_staff_tell_the_customer_nothing(self):
        assert customer_message(submitted()) is None
        assert customer_message(InvoiceConfirmed(
            invoice_id=IID, customer_id=CID, order_ids=[OID], invoice_number="1",
            amount=Decimal("1"), confirmed_at=NOW)) is None
