"""Unit: what the customer and the staff are told when a customer's grade changes (C-4),
and the labels of changed fields in the staff prompt (C-5). No I/O."""

import uuid
from decimal import Decimal

from dinghuo_contracts import CustomerGradeChanged, CustomerUpdated
from notify_service.messages.domain import customer_message
from notify_service.prompts.domain import staff_prompt


def grade_event(**overrides) -> CustomerGradeChanged:
    data = {"customer_id": uuid.uuid4(), "customer_number": "KH000007",
            "company_name": "上海印美", "previous_grade": "normal", "grade": "small",
            "paid_total": Decimal("10200.5"), "reason": "reached 10000.00",
            "changed_by": "system", "changed_by_kind": "system"}
    return CustomerGradeChanged(**(data | overrides))


class TestGradeChangedC4:
    def test_automatic_upgrade_congratulates_the_customer(self):
        notice = customer_message(grade_event())
        assert notice is not None and notice.kind == "grade_changed"
        assert "小级别" in notice.message and "10200.50" in notice.message
        assert "small level" in notice.message_en
        assert notice.data["grade"] == "small" and notice.data["paid_total"] == "10200.50"

    def test_staff_change_tells_the_customer_the_reason(self):
        notice = customer_message(grade_event(grade="normal", previous_grade="small",
                                              changed_by="wu", changed_by_kind="staff",
                                              reason="退货冲减"))
        assert notice is not None
        assert "普通" in notice.message and "退货冲减" in notice.message

    def test_staff_are_prompted(self):
        notice = staff_prompt(grade_event())
        assert notice is not None and notice.kind == "customer_grade_changed"
        assert "KH000007" in notice.message and "普通 → 小级别" in notice.message
        assert "automatically" in notice.message_en
        by_staff = staff_prompt(grade_event(changed_by="wu", changed_by_kind="staff"))
        assert by_staff is not None and "by wu" in by_staff.message_en


class TestUpdatedPromptC5:
    def test_prompt_names_the_changed_fields(self):
        notice = staff_prompt(CustomerUpdated(
            customer_id=uuid.uuid4(), company_name="上海印美",
            changed_fields=["name", "telephone", "status"], changed_by_kind="customer"))
        assert notice is not None
        assert notice.message == "客户资料已修改：上海印美（公司名称、电话、审核状态）"
        assert notice.message_en == ("Customer information changed: 上海印美 "
                                     "(company name, telephone, review status)")
