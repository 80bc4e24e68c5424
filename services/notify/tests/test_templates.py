"""Unit: every text notify produces is a template in both languages (N-3 staff prompts,
N-5 customer messages, issue 9): each kind has a Chinese and an English template naming
the same placeholders, sample events render every template and fragment fully, and no
rendered text keeps a placeholder. No I/O."""

import string
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from dinghuo_contracts import (
    CatalogLine,
    CustomerApproved,
    CustomerGradeChanged,
    CustomerOrderingCycleDue,
    CustomerRegistered,
    CustomerRejected,
    CustomerUpdated,
    FieldChange,
    InvoiceIssued,
    InvoiceRejected,
    InvoiceRequested,
    LineChange,
    OrderApproved,
    OrderCancellationRejected,
    OrderCancellationRequested,
    OrderCancelled,
    OrderCompleted,
    OrderCreditHeld,
    OrderCreditHoldReleased,
    OrderLine,
    OrderModified,
    OrderPaymentDue,
    OrderReceived,
    OrderRejected,
    OrderSecondReviewRequired,
    OrderShipped,
    OrderSubmitted,
    PaymentReceived,
    PaymentReversed,
    PointsEarned,
    PointsRefused,
    PointsReleased,
    ReceivedLine,
    ReturnApproved,
    ReturnLine,
    ReturnRejected,
    ReturnRequested,
    ServiceRequestClosed,
    ServiceRequestOpened,
    ServiceRequestReplied,
    ShippedLine,
    StatementConfirmed,
    StatementDisputed,
    StatementDisputeResolved,
)
from notify_service.messages import templates as mt
from notify_service.messages.domain import customer_message
from notify_service.prompts import templates as pt
from notify_service.prompts.domain import delivery_failed, staff_prompt
from notify_service.prompts.notice import placeholders, render

CID, OID, RID, SID, PID, IID = (uuid.uuid4() for _ in range(6))
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
IDS = {"order_id": OID, "number": "DH20261123-0007", "customer_id": CID}
NAME = {"customer_name": "上海印美"}
OLINE = OrderLine(product_id=PID, name="墨水", model="INK-1L", quantity=5,
                  unit_price=Decimal("160.30"), line_total=Decimal("801.50"))
RLINE = ReturnLine(product_id=PID, name="墨水", model="INK-1L", quantity=3,
                   unit_price=Decimal("160.30"))


def grade(grade: str, previous: str, by: str = "system", **kw) -> CustomerGradeChanged:
    return CustomerGradeChanged(
        customer_id=CID, customer_number="KH000007", company_name="上海印美",
        previous_grade=previous, grade=grade, paid_total=Decimal("10200.5"),
        reason="退货冲减", changed_by=by, changed_by_kind="system" if by == "system" else "staff",
        **kw)


def submitted(source: str) -> OrderSubmitted:
    return OrderSubmitted(**IDS, **NAME, total=Decimal("801.5"), bill_type="none",
                          delivery_date=date(2026, 11, 26), source=source, submitted_at=NOW,
                          lines=[OLINE])


def received(got: int, note: str | None) -> OrderReceived:
    return OrderReceived(
        **IDS, **NAME, shipment_id=SID, shipment_number=2, shortage=got < 5, note=note,
        lines=[ReceivedLine(product_id=PID, name="墨水", model="INK-1L", quantity_shipped=5,
                            quantity_received=got)], received_by="buyer", received_at=NOW)


def shipped(full: bool, tracking: str | None) -> OrderShipped:
    return OrderShipped(**IDS, shipment_id=SID, shipment_number=1, courier="顺丰速运",
                        tracking_number=tracking, shipped_on=date(2026, 11, 24),
                        lines=[ShippedLine(product_id=PID, name="墨水", model="INK-1L",
                                           quantity=3)],
                        fully_shipped=full, shipped_by="clerk")


def payment_due(stage: str, days: int = 0, name: str = "上海印美") -> OrderPaymentDue:
    return OrderPaymentDue(**IDS, customer_name=name, amount_outstanding=Decimal("801.5"),
                           due_date=date(2026, 11, 30), stage=stage, days_overdue=days)


def cycle(**kw) -> CustomerOrderingCycleDue:
    return CustomerOrderingCycleDue(customer_id=CID, **NAME, due_date=date(2026, 12, 4), **kw)


def invoice(*numbers: str) -> InvoiceRequested:
    return InvoiceRequested(invoice_id=IID, customer_id=CID, order_ids=[OID] * len(numbers),
                            order_numbers=list(numbers), amount=Decimal("1000"))


# Events that prompt the staff, with the customer name the read model would give, so
# that every prompt template and fragment is rendered at least once.
PROMPTED = [
    (submitted("portal"), None), (submitted("staff"), None),
    (CustomerRegistered(customer_id=CID, customer_number="C0001", company_name="上海印美",
                        contact_person="张三", mobile="13800000000"), None),
    (CustomerUpdated(customer_id=CID, company_name="上海印美", changed_by_kind="customer",
                     changed_fields=["address", "mobile"]), None),
    (grade("small", "normal"), None), (grade("normal", "large", by="wu"), None),
    (invoice("DH1"), "上海印美"), (invoice("DH1", "DH2"), None),
    (ServiceRequestOpened(request_id=RID, customer_id=CID, **NAME, machine="UV 喷码机",
                          description="喷头堵塞"), None),
    *((ServiceRequestReplied(request_id=RID, customer_id=CID, **NAME, machine="UV 喷码机",
                             reply_id=PID, author_kind="customer", author="buyer",
                             status="open", previous_status=previous, snippet="又堵了",
                             replied_at=NOW), None) for previous in ("open", "resolved")),
    (OrderModified(**IDS, **NAME, total=Decimal("1122.10"), previous_total=Decimal("801.50"),
                   bill_type="none", delivery_date=date(2026, 11, 27),
                   changes=[FieldChange(field="delivery_date", before="a", after="b")],
                   line_changes=[LineChange(product_id=PID, name="墨水", model="INK-1L",
                                            quantity_before=5, quantity_after=7)],
                   modified_by="buyer", modified_at=NOW), None),
    (OrderSecondReviewRequired(**IDS, **NAME, total=Decimal("9000"), first_reviewed_by="alice",
                               first_reviewed_at=NOW), None),
    (OrderCancelled(**IDS, **NAME, total=Decimal("801.5"), reason="下错了", cancelled_by="buyer",
                    cancelled_by_kind="customer", cancelled_at=NOW), None),
    (OrderCancellationRequested(**IDS, **NAME, total=Decimal("801.5"), reason="停产",
                                requested_by="buyer", requested_at=NOW), None),
    (received(4, "少一瓶"), None), (received(5, None), None),
    (ReturnRequested(return_id=RID, **IDS, **NAME, lines=[RLINE], amount=Decimal("480.90"),
                     reason="颜色不对", requested_by="buyer", requested_at=NOW), None),
    (payment_due("overdue", 7), None), (payment_due("overdue", 7, name=""), None),
    *((OrderCreditHeld(**IDS, **NAME, total=Decimal("6000"), outstanding=Decimal("45000.5"),
                      credit_limit=Decimal("50000"), trigger=trigger, held_at=NOW,
                      reason="超出信用额度：未付 ¥45,000.50 + 本单 ¥6,000.00 > 额度 ¥50,000.00",
                      reason_en="Over the credit limit: outstanding ¥45,000.50 + this order "
                                "¥6,000.00 > limit ¥50,000.00"), None)
      for trigger in ("submitted", "modified")),
    (PaymentReversed(**IDS, amount=Decimal("300"), paid_total=Decimal("501.5"),
                     reason="重复登记", reversed_by="boss", reversed_on=date(2026, 11, 24)),
     None),
    *((StatementDisputed(customer_id=CID, customer_name=name, area="华东", month="2026-11",
                         opening_balance=Decimal("100"), closing_balance=Decimal("801.5"),
                         note="11 月 28 日的付款 300 元未列入", disputed_by="buyer",
                         disputed_at=NOW), None) for name in ("上海印美", "")),
    (StatementConfirmed(customer_id=CID, **NAME, month="2026-11",
                        opening_balance=Decimal("100"), closing_balance=Decimal("801.5"),
                        confirmed_by="buyer", confirmed_at=NOW), None),
]

# Events that message the customer: every message template, variant and fragment.
MESSAGED = [
    OrderApproved(**IDS, reviewed_by="a", reviewed_at=NOW),
    OrderRejected(**IDS, reason="价格有误", reviewed_by="a", reviewed_at=NOW),
    PaymentReceived(**IDS, total=Decimal("801.5"), amount_paid=Decimal("801.5"),
                    paid_on=date(2026, 11, 23)),
    InvoiceIssued(invoice_id=IID, customer_id=CID, order_ids=[OID], invoice_number="No.123",
                  invoice_date=date(2026, 11, 24), amount=Decimal("801.50")),
    InvoiceRejected(invoice_id=IID, customer_id=CID, order_ids=[OID], order_numbers=["DH1"],
                    amount=Decimal("801.50"), reason="税号有误", rejected_by="finance",
                    rejected_at=NOW),
    PointsEarned(customer_id=CID, order_id=OID, points=5, status="effective",
                 order_number="DH1"),
    CustomerApproved(customer_id=CID, customer_number="C0001", company_name="上海印美",
                     catalog=[CatalogLine(product_id=PID, name="墨水", model="m",
                                          unit_price=Decimal("1"))], approved_by="admin"),
    grade("large", "small"), grade("small", "large", by="wu"),
    CustomerRejected(customer_id=CID, company_name="上海印美", reason="资料不全",
                     rejected_by="admin"),
    submitted("staff"), shipped(True, "SF123"), shipped(False, None),
    OrderCompleted(**IDS, total=Decimal("801.5"), completed_at=NOW),
    OrderCreditHoldReleased(**IDS, total=Decimal("801.5"), released_by="boss",
                            released_at=NOW),
    OrderCancelled(**IDS, **NAME, total=Decimal("801.5"), cancelled_by="boss",
                   cancelled_by_kind="staff", cancelled_at=NOW),
    OrderCancellationRejected(**IDS, status="processing", reason="已备货", decided_by="boss",
                              decided_at=NOW),
    ReturnApproved(return_id=RID, **IDS, refund_amount=Decimal("480.9"), lines=[RLINE],
                   decided_by="boss", decided_at=NOW),
    ReturnRejected(return_id=RID, **IDS, reason="超过退货期", decided_by="boss",
                   decided_at=NOW),
    payment_due("before"), payment_due("due"), payment_due("overdue", 14),
    cycle(kind="days", days=30), cycle(kind="days"),
    *(cycle(kind="weekday", weekday=day) for day in mt.WEEKDAYS),
    # points redemption (P-2), every reason the customer is told
    *(PointsRefused(customer_id=CID, order_id=OID, order_number="DH1", points=50,
                    reason=reason, detail="d") for reason in mt.POINTS_REFUSALS),
    PointsReleased(customer_id=CID, order_id=OID, order_number="DH1", points=30,
                   cause="timeout", released_at=NOW),
    *(ServiceRequestReplied(request_id=RID, customer_id=CID, **NAME, machine="UV 喷码机",
                            reply_id=PID, author_kind="staff", author="engineer",
                            status=status, previous_status="open", snippet="已更换喷头",
                            replied_at=NOW) for status in ("open", "resolved")),
    ServiceRequestClosed(request_id=RID, customer_id=CID, **NAME, machine="UV 喷码机",
                         closed_by_kind="staff", closed_by="engineer", closed_at=NOW),
    StatementDisputeResolved(customer_id=CID, **NAME, month="2026-11",
                             closing_balance=Decimal("501.5"), note="已补记 11 月 28 日付款。",
                             resolved_by="finance", resolved_at=NOW),
]

CATALOGUES = {
    "prompts": (pt.PROMPTS, pt.PromptKind),
    "messages": (mt.MESSAGES, mt.MessageKind),
}
ENTRIES = [(f"{side}.{name}", template)
           for side, entries in (("prompts", pt.PROMPTS), ("prompt fragments", pt.FRAGMENTS),
                                 ("messages", mt.MESSAGES), ("message fragments", mt.FRAGMENTS))
           for name, template in entries.items()]


def chinese(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


def literals(text: str) -> list[str]:
    """The fixed parts of a template text, between its placeholders."""
    return [lit for lit, _, _, _ in string.Formatter().parse(text) if lit]


def prompts() -> list:
    failed = [delivery_failed(delivery_id="d1", customer_id=str(CID), customer_name=name,
                              channel="sms", template="payment_due", attempts=5,
                              reason="timeout after 10s") for name in ("上海印美", None)]
    return [staff_prompt(e, customer_name=name) for e, name in PROMPTED] + failed


def messages() -> list:
    return [customer_message(e) for e in MESSAGED]


@pytest.mark.parametrize("side", CATALOGUES)
def test_every_kind_has_a_chinese_and_an_english_template_N3_N5(side):
    catalogue, kinds = CATALOGUES[side]
    assert set(kinds) <= set(catalogue)
    for name, (zh, en) in catalogue.items():
        assert name.split(".")[0] in set(kinds), name  # `kind` or `kind.variant`
        assert chinese(zh) and zh.strip(), name
        assert not chinese(en) and en.strip(), name


@pytest.mark.parametrize(("name", "template"), ENTRIES, ids=[n for n, _ in ENTRIES])
def test_both_languages_name_the_same_placeholders(name, template):
    zh, en = template
    assert placeholders(zh) == placeholders(en)
    assert "" not in placeholders(zh)  # named placeholders only


def test_sample_events_produce_every_kind():
    assert {str(p.kind) for p in prompts()} == set(pt.PromptKind)
    assert {str(m.kind) for m in messages()} == set(mt.MessageKind)


def test_no_rendered_text_keeps_a_placeholder():
    for notice in prompts() + messages():
        for text in (notice.message, notice.message_en):
            assert "{" not in text and "}" not in text, text


@pytest.mark.parametrize(("side", "catalogues", "notices"), [
    ("prompts", (pt.PROMPTS, pt.FRAGMENTS), prompts),
    ("messages", (mt.MESSAGES, mt.FRAGMENTS), messages),
])
def test_every_template_is_rendered_by_a_sample_event(side, catalogues, notices):
    """Each fixed part of each template (and fragment) shows up in a rendered text of its
    language: the samples cover every template, and rendering never lacked a value."""
    texts = notices()
    zh_texts = [n.message for n in texts]
    en_texts = [n.message_en for n in texts]
    for catalogue in catalogues:
        for name, (zh, en) in catalogue.items():
            for lit in literals(zh):
                assert any(lit in t for t in zh_texts), (side, name, lit)
            for lit in literals(en):
                assert any(lit in t for t in en_texts), (side, name, lit)


def test_labels_exist_in_both_languages():
    for labels in (pt.GRADE_LABELS, pt.FIELD_LABELS, pt.ORDER_FIELD_LABELS, mt.WEEKDAYS):
        for zh, en in labels.values():
            assert zh and en and not chinese(en)


class TestRender:
    def test_pairs_go_to_their_language(self):
        assert render(("{a}：{b}", "{a}: {b}"), a="DH1", b=("普通", "normal")) == (
            "DH1：普通", "DH1: normal")

    def test_a_missing_value_is_an_error(self):
        with pytest.raises(KeyError):
            render(("{a}{b}", "{a}{b}"), a="x")

    def test_an_unused_value_is_an_error(self):
        with pytest.raises(ValueError, match="unused|not used"):
            render(("{a}", "{a}"), a="x", b="y")

    def test_values_are_not_templates(self):
        assert render(("{a}", "{a}"), a="{b}") == ("{b}", "{b}")
