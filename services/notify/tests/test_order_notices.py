"""Order lifecycle notices (N-3, N-5): what the customer does prompts the staff, what
the staff do messages the customer; unit tests of the texts (no I/O) and delivery through
the inbox into the real database (once per event)."""

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from dinghuo_contracts import (
    CustomerOrderingCycleDue,
    FieldChange,
    LineChange,
    OrderCancellationRejected,
    OrderCancellationRequested,
    OrderCancelled,
    OrderCompleted,
    OrderLine,
    OrderModified,
    OrderPaymentDue,
    OrderReceived,
    OrderSecondReviewRequired,
    OrderShipped,
    OrderSubmitted,
    ReceivedLine,
    ReturnApproved,
    ReturnLine,
    ReturnRejected,
    ReturnRequested,
    ShippedLine,
)
from notify_service.messages.orders import order_message as customer_message
from notify_service.messaging import registry
from notify_service.prompts.orders import order_prompt as staff_prompt
from servicekit.testing import helpers as h
from sqlalchemy import text

CID, OID, RID, SID, PID = (uuid.uuid4() for _ in range(5))
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
IDS = {"order_id": OID, "number": "DH20261123-0007", "customer_id": CID}
RLINE = ReturnLine(product_id=PID, name="墨水", model="INK-1L", quantity=3,
                   unit_price=Decimal("160.30"))


def modified():
    return OrderModified(
        **IDS, customer_name="上海印美", total=Decimal("1122.10"),
        previous_total=Decimal("801.50"), bill_type="none", delivery_date=date(2026, 11, 27),
        changes=[FieldChange(field="delivery_date", before="2026-11-26", after="2026-11-27"),
                 FieldChange(field="total", before="801.50", after="1122.10")],
        line_changes=[LineChange(product_id=PID, name="墨水", model="INK-1L",
                                 quantity_before=5, quantity_after=7)],
        modified_by="buyer", modified_at=NOW)


def received(got: int, note: str | None = None):
    return OrderReceived(
        **IDS, customer_name="上海印美", shipment_id=SID, shipment_number=2,
        lines=[ReceivedLine(product_id=PID, name="墨水", model="INK-1L", quantity_shipped=5,
                            quantity_received=got)],
        shortage=got < 5, note=note, received_by="buyer", received_at=NOW)


STAFF_SIDE = [
    modified(),
    OrderSecondReviewRequired(**IDS, customer_name="上海印美", total=Decimal("9000"),
                              first_reviewed_by="alice", first_reviewed_at=NOW),
    OrderCancelled(**IDS, customer_name="上海印美", total=Decimal("801.5"), reason="下错了",
                   cancelled_by="buyer", cancelled_by_kind="customer", cancelled_at=NOW),
    OrderCancellationRequested(**IDS, customer_name="上海印美", total=Decimal("801.5"),
                               reason="停产", requested_by="buyer", requested_at=NOW),
    received(4, "少一瓶"),
    ReturnRequested(return_id=RID, **IDS, customer_name="上海印美", lines=[RLINE],
                    amount=Decimal("480.90"), reason="颜色不对", requested_by="buyer",
                    requested_at=NOW),
]
CUSTOMER_SIDE = [
    OrderSubmitted(**IDS, customer_name="上海印美", total=Decimal("801.5"), bill_type="none",
                   delivery_date=date(2026, 11, 26), source="staff", submitted_at=NOW,
                   lines=[OrderLine(product_id=PID, name="墨水", model="INK-1L", quantity=5,
                                    unit_price=Decimal("160.30"),
                                    line_total=Decimal("801.50"))]),
    OrderShipped(**IDS, shipment_id=SID, shipment_number=1, courier="顺丰速运",
                 tracking_number="SF123", shipped_on=date(2026, 11, 24),
                 lines=[ShippedLine(product_id=PID, name="墨水", model="INK-1L", quantity=3)],
                 fully_shipped=False, shipped_by="clerk"),
    OrderCompleted(**IDS, total=Decimal("801.5"), completed_at=NOW),
    OrderCancelled(**IDS, customer_name="上海印美", total=Decimal("801.5"),
                   cancelled_by="boss", cancelled_by_kind="staff", cancelled_at=NOW),
    OrderCancellationRejected(**IDS, status="processing", reason="已备货", decided_by="boss",
                              decided_at=NOW),
    ReturnApproved(return_id=RID, **IDS, refund_amount=Decimal("480.9"), lines=[RLINE],
                   decided_by="boss", decided_at=NOW),
    ReturnRejected(return_id=RID, **IDS, reason="超过退货期", decided_by="boss",
                   decided_at=NOW),
]


class TestTexts:
    @pytest.mark.parametrize("event", STAFF_SIDE, ids=lambda e: e.type)
    def test_customer_actions_prompt_the_staff_only_N3(self, event):
        p = staff_prompt(event)
        assert p is not None and customer_message(event) is None
        assert "DH20261123-0007" in p.message and "DH20261123-0007" in p.message_en
        assert p.data["order_id"] == str(OID)

    @pytest.mark.parametrize("event", CUSTOMER_SIDE, ids=lambda e: e.type)
    def test_staff_actions_message_the_customer_only_N5(self, event):
        m = customer_message(event)
        assert m is not None and staff_prompt(event) is None
        assert "DH20261123-0007" in m.message and "DH20261123-0007" in m.message_en

    def test_modified_order_prompt_says_what_changed_O4(self):
        p = staff_prompt(modified())
        assert p.kind == "order_modified"
        assert p.message == ("订单已修改 DH20261123-0007：上海印美（交货日期、金额、订货明细），"
                             "金额 801.50 → 1122.10 元，请重新审核")
        assert p.data["changed_fields"] == ["delivery_date", "total", "lines"]
        assert p.data["line_changes"][0]["quantity_after"] == 7

    def test_receipt_prompt_names_the_shortage_O8(self):
        assert "INK-1L 少 1" in staff_prompt(received(4, "少一瓶")).message
        assert "quantities complete" in staff_prompt(received(5)).message_en

    def test_shipment_message_names_courier_and_tracking(self):
        m = customer_message(CUSTOMER_SIDE[1])
        assert m.message == ("您的订单 DH20261123-0007 已部分发货（第 1 批，顺丰速运，"
                             "单号 SF123），收到后请确认收货")

    def test_refund_amount_in_return_approval_O9(self):
        assert "480.90" in customer_message(CUSTOMER_SIDE[5]).message

    def test_a_customers_own_order_does_not_message_it(self):
        own = CUSTOMER_SIDE[0].model_copy(update={"source": "portal"})
        assert customer_message(own) is None


class TestDelivery:
    async def test_each_event_once_to_the_right_side_N3_N5(self, notify_app, notify_db):
        cid = uuid.uuid4()
        events = [e.model_copy(update={"customer_id": cid, "order_id": uuid.uuid4()})
                  for e in STAFF_SIDE + CUSTOMER_SIDE]
        for e in events:
            env = await h.deliver(notify_db.sessionmaker, "notify", registry, e)
            await h.deliver(notify_db.sessionmaker, "notify", registry, env)  # redelivered
        async with notify_db.engine.connect() as c:
            prompts = (await c.execute(text(
                "SELECT kind FROM staff_prompts WHERE data->>'customer_id' = :c"),
                {"c": str(cid)})).scalars().all()
        # order.submitted also prompts the staff (a new order, window prompt)
        assert sorted(prompts) == sorted([staff_prompt(e).kind for e in STAFF_SIDE]
                                         + ["new_order"])
        async with h.client(notify_app, h.customer(cid)) as c:
            r = await c.get("/api/portal/messages", params={"limit": 200})
        assert r.status_code == 200, r.text
        assert sorted(m["kind"] for m in r.json()) == sorted(
            customer_message(e).kind for e in CUSTOMER_SIDE)


def payment_due(stage: str, days_overdue: int = 0, **kw) -> OrderPaymentDue:
    return OrderPaymentDue(**{**IDS, **kw}, customer_name="上海印美",
                           amount_outstanding=Decimal("801.5"), due_date=date(2026, 11, 30),
                           stage=stage, days_overdue=days_overdue)


class TestPaymentDueO6N2:
    """order.payment_due: the customer's inbox gets a `payment_due` message naming the
    order, the amount outstanding and the due date; an overdue one prompts the staff too
    (`payment_overdue`)."""

    @pytest.mark.parametrize(("stage", "days", "zh", "en"), [
        ("before", 0, "即将到期，请按时付款", "please pay by then."),
        ("due", 0, "今天到期，请及时付款", "it is due today; please pay on time."),
        ("overdue", 14, "已逾期 14 天，请尽快付款",
         "it is 14 days overdue; please pay as soon as possible."),
    ])
    def test_the_customer_is_reminded(self, stage, days, zh, en):
        m = customer_message(payment_due(stage, days))
        assert m.kind == "payment_due"
        assert m.message == ("付款提醒：您的订单 DH20261123-0007 尚欠 801.50 元，"
                             f"付款到期日 2026-11-30，{zh}")
        assert m.message_en == ("Payment reminder: 801.50 yuan is outstanding on your order "
                                f"DH20261123-0007, due 2026-11-30; {en}")
        assert m.data == {"order_id": str(OID), "number": "DH20261123-0007",
                          "customer_id": str(CID), "customer_name": "上海印美",
                          "amount_outstanding": "801.50", "due_date": "2026-11-30",
                          "stage": stage, "days_overdue": days}

    def test_only_an_overdue_order_prompts_the_staff(self):
        assert staff_prompt(payment_due("before")) is None
        assert staff_prompt(payment_due("due")) is None
        p = staff_prompt(payment_due("overdue", 7))
        assert p.kind == "payment_overdue" and not p.window
        assert p.message == ("逾期未付款：上海印美，订单 DH20261123-0007 欠款 801.50 元，"
                             "付款到期日 2026-11-30，已逾期 7 天")
        assert p.message_en == ("Payment overdue: order DH20261123-0007 of 上海印美, "
                                "801.50 yuan outstanding, due 2026-11-30, 7 days overdue")
        assert p.data["customer_id"] == str(CID) and p.data["days_overdue"] == 7

    def test_a_nameless_customer_still_reads_well(self):
        p = staff_prompt(payment_due("overdue", 7).model_copy(update={"customer_name": ""}))
        assert "逾期未付款：客户，" in p.message and " of a customer," in p.message_en

    async def test_each_reminder_once_to_the_right_sides(self, notify_app, notify_db):
        cid = uuid.uuid4()
        events = [payment_due("due", customer_id=cid, order_id=uuid.uuid4()),
                  payment_due("overdue", 7, customer_id=cid, order_id=uuid.uuid4())]
        for e in events:
            env = await h.deliver(notify_db.sessionmaker, "notify", registry, e)
            await h.deliver(notify_db.sessionmaker, "notify", registry, env)  # redelivered
        assert "order.payment_due" in registry.binding_keys
        async with notify_db.engine.connect() as c:
            prompts = (await c.execute(text(
                "SELECT kind, data->>'order_id' FROM staff_prompts "
                "WHERE data->>'customer_id' = :c"), {"c": str(cid)})).all()
        assert [tuple(p) for p in prompts] == [("payment_overdue", str(events[1].order_id))]
        async with h.client(notify_app, h.customer(cid)) as c:
            r = await c.get("/api/portal/messages", params={"limit": 200})
        assert r.status_code == 200, r.text
        assert sorted((m["kind"], m["data"]["order_id"], m["data"]["stage"])
                      for m in r.json()) == sorted(
            ("payment_due", str(e.order_id), e.stage) for e in events)


def cycle_due(**kw) -> CustomerOrderingCycleDue:
    return CustomerOrderingCycleDue(**{
        "customer_id": CID, "customer_name": "上海印美", "due_date": date(2026, 12, 4),
        "last_order_date": date(2026, 11, 4), "kind": "days", "days": 30, **kw})


class TestOrderingCycleDueC6N2:
    """customer.ordering_cycle_due (from the order service's daily job): the customer's
    inbox gets an `ordering_cycle_due` message naming the date and its cycle; the staff
    get no prompt."""

    def test_every_n_days(self):
        m = customer_message(cycle_due())
        assert m.kind == "ordering_cycle_due"
        assert m.message == ("订货提醒：按您的订货周期（每 30 天），今天（2026-12-04）该补货了，"
                             "欢迎在线下单")
        assert m.message_en == ("Ordering reminder: by your ordering cycle (every 30 days), "
                                "today (2026-12-04) is the day to restock. You are welcome to "
                                "order online.")
        assert m.data == {"customer_id": str(CID), "customer_name": "上海印美",
                          "due_date": "2026-12-04", "last_order_date": "2026-11-04",
                          "kind": "days", "days": 30, "weekday": None}
        assert staff_prompt(cycle_due()) is None

    @pytest.mark.parametrize(("weekday", "zh", "en"), [
        (1, "每周一", "every Monday"), (5, "每周五", "every Friday"),
        (7, "每周日", "every Sunday")])
    def test_weekly(self, weekday, zh, en):
        m = customer_message(cycle_due(kind="weekday", days=None, weekday=weekday,
                                       last_order_date=None))
        assert m.message == (f"订货提醒：按您的订货周期（{zh}），今天（2026-12-04）该补货了，"
                             "欢迎在线下单")
        assert f"by your ordering cycle ({en}), today (2026-12-04)" in m.message_en
        assert (m.data["weekday"], m.data["last_order_date"]) == (weekday, None)

    def test_a_cycle_it_cannot_describe_still_reads_well(self):
        m = customer_message(cycle_due(days=None))
        assert m.message == "订货提醒：按您的订货周期，今天（2026-12-04）该补货了，欢迎在线下单"
        assert m.message_en.startswith("Ordering reminder: by your ordering cycle, today ")

    async def test_once_in_the_customers_inbox(self, notify_app, notify_db):
        cid = uuid.uuid4()
        assert "customer.ordering_cycle_due" in registry.binding_keys
        for event in (cycle_due(customer_id=cid),
                      cycle_due(customer_id=cid, due_date=date(2027, 1, 3))):
            env = await h.deliver(notify_db.sessionmaker, "notify", registry, event)
            await h.deliver(notify_db.sessionmaker, "notify", registry, env)  # redelivered
        async with notify_db.engine.connect() as c:
            prompts = (await c.execute(text(
                "SELECT count(*) FROM staff_prompts WHERE data->>'customer_id' = :c"),
                {"c": str(cid)})).scalar_one()
        assert prompts == 0
        async with h.client(notify_app, h.customer(cid)) as c:
            r = await c.get("/api/portal/messages", params={"limit": 200})
        assert r.status_code == 200, r.text
        assert sorted((m["kind"], m["data"]["due_date"]) for m in r.json()) == [
            ("ordering_cycle_due", "2026-12-04"), ("ordering_cycle_due", "2027-01-03")]
        async with h.client(notify_app, h.customer(uuid.uuid4())) as other:
            r = await other.get("/api/portal/messages")
        assert [m for m in r.json() if m["kind"] == "ordering_cycle_due"
                and m["data"]["customer_id"] == str(cid)] == []
