"""Integration: monthly statements (B-1) through the order service's HTTP API on its real
database. Orders approved in earlier months are written as they would have been then
(the API dates approvals today); payments and refunds are dated back through the API.
Month boundaries in Asia/Shanghai, the balance carried from month to month, the closing
balance against the orders' outstanding amounts, confirm / dispute / answer with their
events, a late entry changing a confirmed statement, bad months, other customers and
areas (C-7), and the Excel file."""

import io
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal

from openpyxl import load_workbook
from order_service.models import Order, OrderReturn
from order_service.statements.domain import Month, month_of
from servicekit.testing import helpers as h
from servicekit.timeutil import BUSINESS_TZ, business_date, utcnow
from sqlalchemy import text

from .test_lifecycle_api import customer_with

TODAY = business_date()
M0 = month_of(TODAY)
M1 = M0.previous()
M2 = M1.previous()
FINANCE = h.staff("payments:query", "payments:entry", "payments:review", username="finance")


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    """A time in Asia/Shanghai."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BUSINESS_TZ)


async def old_order(order_db, cid, total: str, approved_at: datetime, **kw) -> uuid.UUID:
    """An order approved at `approved_at`, as the review would have written it then."""
    oid = uuid.uuid4()
    day = approved_at.astimezone(BUSINESS_TZ).date()
    async with order_db.sessionmaker() as s, s.begin():
        s.add(Order(
            id=oid, number=f"T{oid.hex[:12]}", customer_id=cid, customer_name="x",
            source="portal", status=kw.pop("status", "processing"), order_date=day,
            delivery_date=day, bill_type="none", total=Decimal(total),
            list_total=Decimal(total), total_quantity=1, paid_total=Decimal("0"),
            invoiced=False, created_by="buyer", created_at=approved_at,
            updated_at=approved_at, reviewed_by="reviewer", reviewed_at=approved_at,
            due_date=day + timedelta(days=30), **kw))
    return oid


async def old_return(order_db, cid, oid, refund: str, decided_at: datetime) -> None:
    async with order_db.sessionmaker() as s, s.begin():
        s.add(OrderReturn(
            id=uuid.uuid4(), order_id=oid, customer_id=cid, status="approved",
            reason="质量问题", amount=Decimal(refund), refund_amount=Decimal(refund),
            requested_by="buyer", created_at=decided_at, decided_by="boss",
            decided_at=decided_at))


async def pay(order_app, oid, amount: str, on: date):
    async with h.client(order_app, FINANCE) as s:
        r = await s.post(f"/api/console/orders/{oid}/payments", json={
            "amount": amount, "paid_on": on.isoformat(), "method": "bank_transfer"})
    assert r.status_code == 201, r.text


async def statement(c, month: Month | str | None = None) -> dict:
    params = {"month": str(month)} if month is not None else {}
    r = await c.get("/api/portal/statements", params=params)
    assert r.status_code == 200, r.text
    return r.json()


def rows(s: dict) -> list[tuple]:
    return [(e["kind"], e["entry_date"], e["debit"], e["credit"], e["balance"])
            for e in s["entries"]]


async def outstanding(order_db, cid) -> Decimal:
    """Σ (total − paid) over the customer's approved orders that are not cancelled."""
    async with order_db.engine.connect() as c:
        return (await c.execute(text(
            "SELECT coalesce(sum(total - paid_total), 0) FROM orders WHERE customer_id = :c "
            "AND reviewed_at IS NOT NULL AND status NOT IN ('rejected', 'cancelled')"),
            {"c": cid})).scalar_one()


async def events(order_db, cid, event_type):
    async with order_db.engine.connect() as c:
        return [d for (d,) in (await c.execute(text(
            "SELECT envelope->'data' FROM outbox WHERE event_type = :t "
            "AND envelope->'data'->>'customer_id' = :c ORDER BY seq"),
            {"t": event_type, "c": str(cid)})).all()]


class TestStatementFigures:
    async def test_months_carry_their_balances_and_match_the_orders_outstanding_B1(
            self, order_app, order_db):
        cid, _ = await customer_with(order_db, area="华东")
        a = await old_order(order_db, cid, "1000.00", at(M2.first_day + timedelta(days=14)))
        # the first and the last minute of last month (Asia/Shanghai)
        b = await old_order(order_db, cid, "200.00", at(M1.first_day, 0, 0))
        c = await old_order(order_db, cid, "50.00", at(M1.last_day, 23, 59))
        d = await old_order(order_db, cid, "70.00", at(M0.first_day, 0, 0))
        # neither counts: never approved, or rejected
        await old_order(order_db, cid, "999.00", at(M1.first_day + timedelta(days=3)),
                        status="rejected")
        await old_return(order_db, cid, a, "100.00", at(M1.first_day + timedelta(days=14)))
        await pay(order_app, b, "200.00", M1.first_day + timedelta(days=4))
        await pay(order_app, a, "400.00", M1.last_day)
        # b is cancelled now (asked for by the customer, granted by staff) and refunded
        async with h.client(order_app, h.customer(cid)) as cust:
            r = await cust.post(f"/api/portal/orders/{b}/cancellation-request",
                                json={"reason": "不要了"})
            assert r.status_code == 200, r.text
        async with h.client(order_app, h.staff()) as s:
            r = await s.post(f"/api/console/orders/{b}/cancellation/approve", json={})
            assert r.json()["status"] == "cancelled", r.text
            r = await s.post(f"/api/console/orders/{b}/refunds", json={
                "amount": "200.00", "refunded_on": TODAY.isoformat(), "method": "cash",
                "reason": "订单取消"})
            assert r.status_code == 201, r.text

        async with h.client(order_app, h.customer(cid)) as cust:
            s2, s1, s0 = [await statement(cust, m) for m in (M2, M1, M0)]
            default = await statement(cust)
        assert default["month"] == M1.label
        assert (s2["opening_balance"], s2["closing_balance"]) == ("0.00", "1000.00")
        assert rows(s2) == [("order", str(M2.first_day + timedelta(days=14)), "1000.00",
                             None, "1000.00")]
        assert s1["opening_balance"] == s2["closing_balance"]
        assert rows(s1) == [
            ("order", str(M1.first_day), "200.00", None, "1200.00"),
            ("payment", str(M1.first_day + timedelta(days=4)), None, "200.00", "1000.00"),
            ("return", str(M1.first_day + timedelta(days=14)), None, "100.00", "900.00"),
            ("order", str(M1.last_day), "50.00", None, "950.00"),
            ("payment", str(M1.last_day), None, "400.00", "550.00")]
        assert s1["closing_balance"] == "550.00"
        assert s1["totals"] == {"orders": "250.00", "cancellations": "0.00",
                                "returns": "100.00", "payments": "600.00",
                                "reversals": "0.00", "refunds": "0.00"}
        assert (s1["total_debit"], s1["total_credit"], s1["ended"]) == (
            "250.00", "700.00", True)
        assert s0["opening_balance"] == "550.00" and not s0["ended"]
        assert rows(s0) == [
            ("order", str(M0.first_day), "70.00", None, "620.00"),
            ("cancellation", str(TODAY), None, "200.00", "420.00"),
            ("refund", str(TODAY), "200.00", None, "620.00")]
        # closing = what the orders still owe, less the return's credit not yet paid back
        assert Decimal(s0["closing_balance"]) == await outstanding(order_db, cid) - 100
        async with h.client(order_app, FINANCE) as s:
            r = await s.post(f"/api/console/orders/{a}/refunds", json={
                "amount": "100.00", "refunded_on": TODAY.isoformat(), "method": "cash",
                "reason": "退货退款"})
            assert r.status_code == 201, r.text
        async with h.client(order_app, h.customer(cid)) as cust:
            s0 = await statement(cust, M0)
        assert Decimal(s0["closing_balance"]) == await outstanding(order_db, cid) == \
            Decimal("720.00")
        async with h.client(order_app, h.customer(cid)) as cust:
            s1 = await statement(cust, M1)
        assert [uuid.UUID(e["order_id"]) for e in s1["entries"]] == [b, b, a, c, a]
        assert s0["entries"][0]["order_id"] == str(d)

    async def test_a_reversed_payment_stays_with_its_counter_entry_O6_B1(self, order_app,
                                                                         order_db):
        cid, _ = await customer_with(order_db)
        oid = await old_order(order_db, cid, "300.00", at(M1.first_day + timedelta(days=1)))
        await pay(order_app, oid, "300.00", M1.first_day + timedelta(days=2))
        async with h.client(order_app, h.staff(username="alice")) as s:
            ledger = (await s.get(f"/api/console/orders/{oid}/payments")).json()
            pid = ledger["entries"][0]["id"]
            r = await s.post(f"/api/console/orders/{oid}/payments/{pid}/reversal",
                             json={"reason": "重复登记"})
            assert r.status_code == 201, r.text
        async with h.client(order_app, h.staff(username="bob")) as s:
            r = await s.post(f"/api/console/orders/{oid}/payments/{pid}/reversal/approve")
            assert r.status_code == 200, r.text
        async with h.client(order_app, h.customer(cid)) as cust:
            s1, s0 = await statement(cust, M1), await statement(cust, M0)
        assert s1["closing_balance"] == "0.00"  # last month keeps the payment
        assert rows(s0) == [("reversal", str(TODAY), "300.00", None, "300.00")]
        assert Decimal(s0["closing_balance"]) == await outstanding(order_db, cid)


class TestAcknowledgement:
    async def test_confirm_dispute_answer_and_a_late_entry_B1(self, order_app, order_db):
        cid, _ = await customer_with(order_db, area="华东")
        oid = await old_order(order_db, cid, "500.00", at(M1.first_day + timedelta(days=9)))
        me = h.customer(cid, username="wangli")
        async with h.client(order_app, me) as cust:
            # not before the month is over; not other figures than those shown
            r = await cust.post(f"/api/portal/statements/{M0}/confirm")
            assert r.status_code == 422 and "has not ended" in r.json()["detail"], r.text
            r = await cust.post(f"/api/portal/statements/{M1}/confirm",
                                json={"closing_balance": "1.00"})
            assert r.status_code == 409 and r.json()["error"] == "StatementChanged", r.text
            r = await cust.post(f"/api/portal/statements/{M1}/confirm",
                                json={"closing_balance": "500.00"})
            assert r.status_code == 200, r.text
            got = r.json()
            assert (got["status"], got["confirmed_by"], got["actions"]) == (
                "confirmed", "wangli", [])
            again = await cust.post(f"/api/portal/statements/{M1}/confirm")
            assert again.status_code == 409 and "already confirmed" in again.json()["detail"]
            r = await cust.post(f"/api/portal/statements/{M1}/dispute", json={"note": "x"})
            assert r.status_code == 409
        [event] = await events(order_db, cid, "order.statement_confirmed")
        assert (event["month"], event["closing_balance"], event["area"]) == (
            M1.label, "500.00", "华东")

        # a payment dated back into the confirmed month: the statement shows the change
        await pay(order_app, oid, "120.00", M1.last_day)
        async with h.client(order_app, me) as cust:
            s1 = await statement(cust, M1)
            assert (s1["status"], s1["changed_since_acknowledged"], s1["closing_balance"],
                    s1["acknowledged_closing_balance"], s1["actions"]) == (
                "confirmed", True, "380.00", "500.00", ["confirm", "dispute"])
            # disputed, with a note; then nothing but staff's answer
            blank = await cust.post(f"/api/portal/statements/{M1}/dispute",
                                    json={"note": "   "})
            assert blank.status_code == 422
            r = await cust.post(f"/api/portal/statements/{M1}/dispute",
                                json={"note": "  120 元付款是 12 月 1 日才付的  "})
            assert r.status_code == 200, r.text
            assert (r.json()["status"], r.json()["dispute_note"]) == (
                "disputed", "120 元付款是 12 月 1 日才付的")
            for action, body in (("confirm", None), ("dispute", {"note": "again"})):
                r = await cust.post(f"/api/portal/statements/{M1}/{action}", json=body)
                assert r.status_code == 409, (action, r.text)
        [event] = await events(order_db, cid, "order.statement_disputed")
        assert (event["note"], event["closing_balance"], event["area"]) == (
            "120 元付款是 12 月 1 日才付的", "380.00", "华东")

        # staff see it in the queue of their area; others neither see nor answer it
        async with h.client(order_app, h.staff("payments:query", areas=("华东",))) as s:
            r = await s.get("/api/console/statements", params={"status": "disputed"})
            assert cid in {uuid.UUID(x["customer_id"]) for x in r.json()}, r.text
            assert int(r.headers["X-Total-Count"]) >= 1
            answer = await s.post(f"/api/console/customers/{cid}/statements/{M1}/resolve",
                                  json={"note": "x"})
            assert answer.status_code == 403  # answering needs payments:review
        async with h.client(order_app, h.staff("*", areas=("华南",))) as s:
            r = await s.get("/api/console/statements", params={"status": "disputed"})
            assert cid not in {uuid.UUID(x["customer_id"]) for x in r.json()}
            r = await s.get(f"/api/console/customers/{cid}/statements",
                            params={"month": M1.label})
            assert r.status_code == 404
            r = await s.post(f"/api/console/customers/{cid}/statements/{M1}/resolve",
                             json={"note": "x"})
            assert r.status_code == 404
        async with h.client(order_app, FINANCE) as s:
            r = await s.post(f"/api/console/customers/{cid}/statements/{M2}/resolve",
                             json={"note": "x"})
            assert r.status_code == 409 and "not disputed" in r.json()["detail"]
            r = await s.post(f"/api/console/customers/{cid}/statements/{M1}/resolve",
                             json={"note": "已核实：该笔付款日期登记错误，已冲正后重记。"})
            assert r.status_code == 200, r.text
            staff_view = r.json()
            assert (staff_view["status"], staff_view["resolved_by"], staff_view["actions"]) \
                == ("open", "finance", [])
        [event] = await events(order_db, cid, "order.statement_dispute_resolved")
        assert event["resolved_by"] == "finance" and event["month"] == M1.label

        async with h.client(order_app, me) as cust:
            s1 = await statement(cust, M1)
            assert (s1["status"], s1["actions"], s1["resolved_by"]) == (
                "open", ["confirm", "dispute"], None)  # staff names stay inside
            assert [(x["action"], x["actor"], x["actor_kind"]) for x in s1["history"]] == [
                ("confirmed", "wangli", "customer"), ("disputed", "wangli", "customer"),
                ("resolved", None, "staff")]
            r = await cust.post(f"/api/portal/statements/{M1}/confirm")
            assert r.status_code == 200 and r.json()["status"] == "confirmed", r.text
        # the history is append-only in the database too
        async with order_db.engine.connect() as c:
            n = (await c.execute(text(
                "SELECT count(*) FROM statement_events e JOIN statement_acknowledgements a "
                "ON a.id = e.acknowledgement_id WHERE a.customer_id = :c"),
                {"c": cid})).scalar_one()
        assert n == 4

    async def test_bad_months_are_422_and_say_why(self, order_app, order_db):
        nxt = M0.next().label
        async with h.client(order_app, h.customer()) as cust:
            for month, words in (("2026-13", "01 to 12"), ("abc", "YYYY-MM"),
                                 ("1999-12", "2000-01"), (nxt, "has not begun")):
                r = await cust.get("/api/portal/statements", params={"month": month})
                assert r.status_code == 422 and words in r.json()["detail"], (month, r.text)
                r = await cust.post(f"/api/portal/statements/{month}/confirm")
                assert r.status_code == 422, (month, r.text)
                r = await cust.get(f"/api/portal/statements/{month}/export")
                assert r.status_code == 422, (month, r.text)
        async with h.client(order_app, FINANCE) as s:
            r = await s.get("/api/console/statements", params={"month": "11-2026"})
            assert r.status_code == 422
            r = await s.get(f"/api/console/customers/{uuid.uuid4()}/statements")
            assert r.status_code == 404

    async def test_a_customer_sees_only_its_own_figures_X3(self, order_app, order_db):
        cid, _ = await customer_with(order_db)
        await old_order(order_db, cid, "777.00", at(M1.first_day + timedelta(days=2)))
        async with h.client(order_app, h.customer()) as other:
            s = await statement(other, M1)
        assert (s["entries"], s["closing_balance"], s["status"]) == ([], "0.00", "open")
        async with h.client(order_app, h.staff("payments:entry")) as s:
            r = await s.get(f"/api/console/customers/{cid}/statements")
            assert r.status_code == 403  # reading needs payments:query


class TestExcel:
    async def test_the_statement_as_a_workbook_B1(self, order_app, order_db):
        cid, _ = await customer_with(order_db)
        oid = await old_order(order_db, cid, "160.30", at(M1.first_day + timedelta(days=2)))
        await pay(order_app, oid, "60.30", M1.first_day + timedelta(days=3))
        async with h.client(order_app, h.customer(cid)) as cust:
            r = await cust.post(f"/api/portal/statements/{M1}/dispute",
                                json={"note": "=HYPERLINK(\"x\")"})
            assert r.status_code == 200
            r = await cust.get(f"/api/portal/statements/{M1}/export")
        assert r.status_code == 200, r.text
        assert r.headers["content-type"].startswith(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        assert f"statement-{M1}" in r.headers["content-disposition"]
        book = load_workbook(io.BytesIO(r.content))
        assert book.sheetnames == [f"对账单 {M1}", "汇总"]
        sheet = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
        assert sheet[0] == ["日期", "类型", "订单号", "付款方式 / 参考号", "应收增加", "应收减少",
                            "余额"]
        assert sheet[1][1:] == ["期初余额", None, None, None, None, 0]
        assert [r[1] for r in sheet[2:4]] == ["订单", "收款"]
        assert sheet[3][3] == "bank_transfer" and sheet[3][5] == 60.3
        assert sheet[-1][1] == "期末余额" and sheet[-1][6] == 100
        summary = {row[0]: row[1:] for row in book.worksheets[1].iter_rows(values_only=True)}
        assert summary["期末余额"][0] == 100 and summary["状态"][1] == "有异议"
        assert summary["异议"][1] == "=HYPERLINK(\"x\")"  # a text, never a formula
        async with h.client(order_app, FINANCE) as s:
            r = await s.get(f"/api/console/customers/{cid}/statements/{M1}/export",
                            params={"lang": "en"})
        assert r.status_code == 200
        book = load_workbook(io.BytesIO(r.content))
        assert book.sheetnames == [f"Statement {M1}", "Summary"]


def test_now_is_in_this_month():
    assert month_of(utcnow().astimezone(BUSINESS_TZ).date()) == M0
