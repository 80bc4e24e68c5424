"""Integration: the payment ledger (O-6) through the order service's HTTP API on its real
database — several payments per order and a 409 above the outstanding amount; the
ledger for staff (area limits, C-7) and for the customer; a reversal asked for by one
staff member and approved or rejected by another (a counter-entry, the payment row never
changed; order.payment_reversed when a paid order is unpaid again); refunds up to the
approved returns' refund amounts or, for a cancelled order, everything paid."""

import uuid

from servicekit.testing import helpers as h
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from .test_lifecycle_api import TODAY, approve, customer_with, outbox, place, ship

A = h.staff(username="alice")      # asks for reversals, records payments and refunds
B = h.staff(username="bob")        # reviews them


async def pay(s, oid, amount, **kw):
    return await s.post(f"/api/console/orders/{oid}/payments", json={
        "amount": amount, "paid_on": TODAY.isoformat(), "method": "bank_transfer", **kw})


async def approved_order(order_app, order_db, qty=2, area="华东"):
    cid, (p1, _) = await customer_with(order_db, area=area)  # 160.30 each
    async with h.client(order_app, h.customer(cid)) as c:
        order = await place(c, [(p1, qty)])
    await approve(order_app, order["id"])
    return cid, p1, order["id"]


async def timeline(order_app, oid):
    async with h.client(order_app, h.staff()) as s:
        return [e["action"] for e in (await s.get(
            f"/api/console/orders/{oid}/timeline")).json()]


class TestPartialPayments:
    async def test_several_payments_and_409_above_the_outstanding_O6(self, order_app,
                                                                      order_db):
        cid, _, oid = await approved_order(order_app, order_db)  # 320.60
        async with h.client(order_app, A) as s:
            assert (await pay(s, oid, "100.00")).status_code == 201
            second = await pay(s, oid, "120.60", reference="CASH-2")
            assert second.json()["payment_status"] == "partially_paid"
            over = await pay(s, oid, "100.01")
            assert over.status_code == 409, over.text
            assert over.json()["error"] == "Overpayment"
            assert "outstanding balance 100.00" in over.json()["detail"]
            ledger = (await s.get(f"/api/console/orders/{oid}/payments")).json()
        assert (ledger["paid_total"], ledger["outstanding"], ledger["refunded_total"],
                ledger["refundable"], ledger["payment_status"]) == (
            "220.60", "100.00", "0.00", "0.00", "partially_paid")
        assert [(e["kind"], e["amount"], e["status"], e["recorded_by"], e["reference"])
                for e in ledger["entries"]] == [
            ("payment", "100.00", "recorded", "alice", None),
            ("payment", "120.60", "recorded", "alice", "CASH-2")]
        async with h.client(order_app, h.customer(cid)) as c:
            mine = (await c.get(f"/api/portal/orders/{oid}/payments")).json()
            assert mine["paid_total"] == "220.60"
            assert {e["recorded_by"] for e in mine["entries"]} == {None}
        async with h.client(order_app, h.customer()) as other:
            assert (await other.get(f"/api/portal/orders/{oid}/payments")).status_code == 404

    async def test_ledger_needs_payments_query_and_keeps_to_areas_X1_C7(self, order_app,
                                                                         order_db):
        _, _, oid = await approved_order(order_app, order_db, area="华南")
        async with h.client(order_app, h.staff("orders:query")) as s:
            assert (await s.get(f"/api/console/orders/{oid}/payments")).status_code == 403
        async with h.client(order_app, h.staff("payments:query", areas=("华东",))) as s:
            assert (await s.get(f"/api/console/orders/{oid}/payments")).status_code == 404
        async with h.client(order_app, h.staff("payments:query", areas=("华南",))) as s:
            assert (await s.get(f"/api/console/orders/{oid}/payments")).status_code == 200
        async with h.client(order_app, h.staff("payments:entry")) as s:
            r = await s.post(f"/api/console/orders/{oid}/payments/{uuid.uuid4()}/reversal/"
                             "approve")
            assert r.status_code == 403


class TestReversal:
    async def test_requested_by_one_approved_by_another_O6(self, order_app, order_db):
        _, _, oid = await approved_order(order_app, order_db)  # 320.60
        async with h.client(order_app, A) as a:
            first = (await pay(a, oid, "300.00")).json()["id"]
            await pay(a, oid, "20.60")  # fully paid: order.payment_received
            r = await a.post(f"/api/console/orders/{oid}/payments/{first}/reversal",
                             json={"reason": "  登记错了，应为 30 元  "})
            assert r.status_code == 201, r.text
            entry = {e["id"]: e for e in r.json()["entries"]}[first]
            assert entry["status"] == "reversal_pending" and r.json()["paid_total"] == "320.60"
            again = await a.post(f"/api/console/orders/{oid}/payments/{first}/reversal",
                                 json={"reason": "again"})
            assert again.status_code == 409
            own = await a.post(f"/api/console/orders/{oid}/payments/{first}/reversal/approve")
            assert own.status_code == 409 and own.json()["error"] == "SameReviewer"
        async with h.client(order_app, B) as b:
            ok = await b.post(f"/api/console/orders/{oid}/payments/{first}/reversal/approve")
            assert ok.status_code == 200, ok.text
            ledger = ok.json()
            twice = await b.post(f"/api/console/orders/{oid}/payments/{first}/reversal/approve")
            assert twice.status_code == 409
            order = (await b.get(f"/api/console/orders/{oid}")).json()
        assert (ledger["paid_total"], ledger["outstanding"], ledger["payment_status"]) == (
            "20.60", "300.00", "partially_paid")
        assert order["paid_total"] == "20.60"
        rows = [(e["kind"], e["amount"], e["status"]) for e in ledger["entries"]]
        assert rows == [("payment", "300.00", "reversed"), ("payment", "20.60", "recorded"),
                        ("reversal", "300.00", "approved")]
        rev = ledger["entries"][2]
        assert (rev["payment_id"], rev["reason"], rev["recorded_by"], rev["decided_by"]) == (
            first, "登记错了，应为 30 元", "alice", "bob")
        assert ledger["entries"][0]["reversal_id"] == rev["id"]
        [(_, event)] = await outbox(order_db, oid, "order.payment_reversed")
        assert (event["amount"], event["paid_total"], event["reversed_by"]) == (
            "300.00", "20.60", "bob")
        assert (await timeline(order_app, oid))[-2:] == [
            "payment_reversal_requested", "payment_reversed"]
        # the reversed payment was not changed, only linked; the database refuses more
        async with order_db.engine.connect() as c:
            amount, reversed_by = (await c.execute(text(
                "SELECT amount, reversed_by FROM payments WHERE id = :id"),
                {"id": first})).one()
        assert (f"{amount}", str(reversed_by)) == ("300.00", rev["id"])
        for sql in ("UPDATE payments SET amount = 30 WHERE id = :id",
                    "UPDATE payments SET reversed_by = NULL WHERE id = :id",
                    "DELETE FROM payments WHERE id = :id"):
            async with order_db.engine.begin() as c:
                try:
                    await c.execute(text(sql), {"id": first})
                except DBAPIError as exc:
                    assert "reverse" in str(exc)
                else:
                    raise AssertionError(f"{sql} was allowed")
        # the right amount can then be recorded again
        async with h.client(order_app, A) as a:
            assert (await pay(a, oid, "30.00")).json()["paid_total"] == "50.60"

    async def test_rejected_keeps_the_payment_and_a_partial_reversal_emits_nothing_O6(
            self, order_app, order_db):
        _, _, oid = await approved_order(order_app, order_db)
        async with h.client(order_app, A) as a:
            pid = (await pay(a, oid, "100.00")).json()["id"]
            await a.post(f"/api/console/orders/{oid}/payments/{pid}/reversal",
                         json={"reason": "疑似重复"})
            own = await a.post(f"/api/console/orders/{oid}/payments/{pid}/reversal/reject",
                               json={"reason": "x"})
            assert own.status_code == 409
        async with h.client(order_app, B) as b:
            no = await b.post(f"/api/console/orders/{oid}/payments/{pid}/reversal/reject",
                              json={"reason": "银行流水已核对"})
            assert no.status_code == 200, no.text
            assert no.json()["paid_total"] == "100.00"
            assert [(e["kind"], e["status"], e["decision_reason"])
                    for e in no.json()["entries"]] == [
                ("payment", "recorded", None), ("reversal", "rejected", "银行流水已核对")]
            nothing = await b.post(f"/api/console/orders/{oid}/payments/{pid}/reversal/approve")
            assert nothing.status_code == 409
            # asked for again (by bob this time) and approved by alice
            await b.post(f"/api/console/orders/{oid}/payments/{pid}/reversal",
                         json={"reason": "确认重复"})
        async with h.client(order_app, A) as a:
            ok = await a.post(f"/api/console/orders/{oid}/payments/{pid}/reversal/approve")
            assert ok.json()["paid_total"] == "0.00"
            assert ok.json()["payment_status"] == "unpaid"
        assert await outbox(order_db, oid, "order.payment_reversed") == []
        assert "payment_reversal_rejected" in await timeline(order_app, oid)

    async def test_unknown_payment_or_another_orders_is_404(self, order_app, order_db):
        _, _, oid = await approved_order(order_app, order_db)
        _, _, other = await approved_order(order_app, order_db)
        async with h.client(order_app, A) as a:
            pid = (await pay(a, other, "10.00")).json()["id"]
            for p in (pid, uuid.uuid4()):
                r = await a.post(f"/api/console/orders/{oid}/payments/{p}/reversal",
                                 json={"reason": "x"})
                assert r.status_code == 404


class TestRefunds:
    async def test_after_an_approved_return_up_to_its_refund_O6_O9(self, order_app,
                                                                    order_db):
        cid, p1, oid = await approved_order(order_app, order_db, qty=2)  # 320.60
        async with h.client(order_app, A) as a:
            await pay(a, oid, "320.60")
            none = await a.post(f"/api/console/orders/{oid}/refunds", json={
                "amount": "1.00", "refunded_on": TODAY.isoformat(),
                "method": "bank_transfer", "reason": "x"})
            assert none.status_code == 409 and "nothing can be refunded" in (
                none.json()["detail"])
        shipment = (await ship(order_app, oid, [(p1, 2)])).json()["shipments"][0]["id"]
        async with h.client(order_app, h.customer(cid)) as c:
            await c.post(f"/api/portal/orders/{oid}/shipments/{shipment}/receipt", json={})
            rid = (await c.post(f"/api/portal/orders/{oid}/returns", json={
                "lines": [{"product_id": str(p1), "quantity": 1}], "reason": "破损"})).json()["id"]
        async with h.client(order_app, B) as b:
            r = await b.post(f"/api/console/returns/{rid}/approve",
                             json={"refund_amount": "150.00"})
            assert r.status_code == 200, r.text
        async with h.client(order_app, A) as a:
            body = {"refunded_on": TODAY.isoformat(), "method": "bank_transfer",
                    "reference": "RF-1", "reason": "退货退款"}
            first = await a.post(f"/api/console/orders/{oid}/refunds",
                                 json={"amount": "100.00", **body})
            assert first.status_code == 201, first.text
            assert (first.json()["refunded_total"], first.json()["refundable"],
                    first.json()["paid_total"]) == ("100.00", "50.00", "320.60")
            over = await a.post(f"/api/console/orders/{oid}/refunds",
                                json={"amount": "50.01", **body})
            assert over.status_code == 409 and "refundable amount 50.00" in (
                over.json()["detail"])
            rest = await a.post(f"/api/console/orders/{oid}/refunds",
                                json={"amount": "50.00", **body})
            entries = rest.json()["entries"]
        assert [(e["kind"], e["amount"], e["reason"]) for e in entries[-2:]] == [
            ("refund", "100.00", "退货退款"), ("refund", "50.00", "退货退款")]
        assert rest.json()["refundable"] == "0.00"
        assert (await timeline(order_app, oid)).count("refund_recorded") == 2

    async def test_a_cancelled_order_refunds_what_was_paid_O6(self, order_app, order_db):
        cid, _, oid = await approved_order(order_app, order_db)
        async with h.client(order_app, A) as a:
            await pay(a, oid, "120.00")
        async with h.client(order_app, h.customer(cid)) as c:
            r = await c.post(f"/api/portal/orders/{oid}/cancellation-request",
                             json={"reason": "不要了"})
            assert r.status_code == 200, r.text
        async with h.client(order_app, B) as b:
            r = await b.post(f"/api/console/orders/{oid}/cancellation/approve", json={})
            assert r.json()["status"] == "cancelled", r.text
        async with h.client(order_app, A) as a:
            body = {"refunded_on": TODAY.isoformat(), "method": "cash", "reason": "订单取消"}
            over = await a.post(f"/api/console/orders/{oid}/refunds",
                                json={"amount": "120.01", **body})
            assert over.status_code == 409 and "120.00" in over.json()["detail"]
            ok = await a.post(f"/api/console/orders/{oid}/refunds",
                              json={"amount": "120.00", **body})
            assert ok.status_code == 201 and ok.json()["refundable"] == "0.00"
            # the refunded payment can no longer be reversed (it was paid back)
            pid = ok.json()["entries"][0]["id"]
            await a.post(f"/api/console/orders/{oid}/payments/{pid}/reversal",
                         json={"reason": "x"})
        async with h.client(order_app, B) as b:
            no = await b.post(f"/api/console/orders/{oid}/payments/{pid}/reversal/approve")
            assert no.status_code == 409 and "refunded" in no.json()["detail"]

    async def test_future_date_and_blank_reason_are_422(self, order_app, order_db):
        _, _, oid = await approved_order(order_app, order_db)
        async with h.client(order_app, A) as a:
            r1 = await a.post(f"/api/console/orders/{oid}/refunds", json={
                "amount": "1.00", "refunded_on": "2099-12-31", "method": "cash",
                "reason": "x"})
            r2 = await a.post(f"/api/console/orders/{oid}/refunds", json={
                "amount": "1.00", "refunded_on": TODAY.isoformat(), "method": "cash",
                "reason": "   "})
            pid = (await pay(a, oid, "1.00")).json()["id"]
            r3 = await a.post(f"/api/console/orders/{oid}/payments/{pid}/reversal",
                              json={"reason": " "})
        assert [r.status_code for r in (r1, r2, r3)] == [422, 422, 422]
