"""Integration: staff edits, grades, ordering cycles, payment terms, supplier contacts,
the product master and the audit log on the customer service's real database (C-1, C-3,
C-4, C-6, C-7, N-4, O-6, X-1, X-3). Every bad input is a 4xx naming the field, never a 500."""

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from customer_service.messaging import registry
from dinghuo_contracts import OrderLine, OrderSubmitted, PaymentReceived
from servicekit.testing import helpers as h
from servicekit.timeutil import business_date
from sqlalchemy import text

CONSUMABLES = [
    {"name": "墨水", "model": "INK-B-1L", "unit_price": "160.30", "list_price": "200.00"},
    {"name": "清洗液", "model": "CL-500", "unit_price": "45.00"},
]


def company(**overrides):
    body = {"name": "杭州彩印有限公司", "contact_person": "陈静", "mobile": "13812345678",
            "address": "杭州市西湖区文三路 1 号", "email": "buyer@caiyin.cn",
            "area": "华东", "area_code": "0571", "telephone": "8888 1234",
            "qq": "123456", "tax_number": "91330100MA2H0XX12X",
            "invoice_title": "杭州彩印有限公司", "bank": "工商银行西湖支行",
            "bank_account": "6222 0212 3456 7890"}
    body.update(overrides)
    return {"company": body}


async def register(app, **overrides):
    principal = h.customer()
    async with h.client(app, principal) as c:
        r = await c.post("/api/portal/register", json=company(**overrides))
    assert r.status_code == 201, r.text
    return principal


async def approved(app, **overrides):
    principal = await register(app, **overrides)
    async with h.client(app, h.staff()) as s:
        r = await s.post(f"/api/console/customers/{principal.customer_id}/approve",
                         json={"products": CONSUMABLES})
    assert r.status_code == 200, r.text
    return principal, r.json()


async def outbox(db, customer_id, event_type):
    async with db.engine.connect() as c:
        rows = await c.execute(text(
            "SELECT envelope->'data' FROM outbox WHERE envelope->'data'->>'customer_id' = :id "
            "AND event_type = :t ORDER BY seq"), {"id": str(customer_id), "t": event_type})
        return [r[0] for r in rows]


async def pay(db, customer_id, amount: str):
    event = PaymentReceived(order_id=uuid.uuid4(), number="DH1", customer_id=customer_id,
                            total=Decimal(amount), amount_paid=Decimal(amount),
                            paid_on=date(2026, 11, 23))
    await h.deliver(db.sessionmaker, "customer", registry, event)


def unique_area() -> str:
    return f"区域-{uuid.uuid4().hex[:6]}"


class TestStaffEdit:
    async def test_staff_edit_is_audited_and_published_as_staff_C3_X3(self, customer_app,
                                                                     customer_db):
        principal, _ = await approved(customer_app)
        cid = principal.customer_id
        async with h.client(customer_app, h.staff("customers:modify", "customers:query",
                                                  username="zhao")) as s:
            r = await s.put(f"/api/console/customers/{cid}",
                            json=company(telephone="8888 9999", fax="8888 0000",
                                         bank="建设银行"))
            assert r.status_code == 200, r.text
            assert (r.json()["telephone"], r.json()["fax"]) == ("8888 9999", "8888 0000")
            assert r.json()["status"] == "approved" and len(r.json()["catalog"]) == 2
            same = await s.put(f"/api/console/customers/{cid}",
                               json=company(telephone="8888 9999", fax="8888 0000",
                                            bank="建设银行"))
            assert same.status_code == 200
            audit = (await s.get(f"/api/console/customers/{cid}/audit")).json()
        [event] = await outbox(customer_db, cid, "customer.updated")
        assert event["changed_fields"] == ["telephone", "fax", "bank"]
        assert (event["changed_by_kind"], event["changed_by"]) == ("staff", "zhao")
        latest = audit[0]
        assert (latest["action"], latest["actor"], latest["actor_kind"]) == (
            "updated", "zhao", "staff")
        assert latest["before"] == {"telephone": "8888 1234", "fax": None,
                                    "bank": "工商银行西湖支行"}
        assert latest["after"] == {"telephone": "8888 9999", "fax": "8888 0000",
                                   "bank": "建设银行"}

    async def test_staff_edit_keeps_a_rejected_customer_rejected(self, customer_app):
        principal = await register(customer_app)
        cid = principal.customer_id
        async with h.client(customer_app, h.staff()) as s:
            await s.post(f"/api/console/customers/{cid}/reject", json={"reason": "资料不全"})
            r = await s.put(f"/api/console/customers/{cid}", json=company(qq="7654321"))
            assert r.status_code == 200 and r.json()["status"] == "rejected"

    async def test_bad_input_is_422_naming_the_field_C1(self, customer_app):
        principal, _ = await approved(customer_app)
        url = f"/api/console/customers/{principal.customer_id}"
        cases = {
            "company.mobile": company(mobile="1381234"),
            "company.email": company(email="buyer@"),
            "company.qq": company(qq="12ab"),
            "company.tax_number": company(tax_number="123"),
            "company.area_code": company(area_code="21"),
            "company.telephone": company(telephone="call me"),
            "company.fax": company(fax="12"),
            "company.bank_account": company(bank_account="12-ab"),
            "company.name": company(name=" "),
            "company.grade": company(grade="large"),
        }
        async with h.client(customer_app, h.staff()) as s:
            for field, body in cases.items():
                r = await s.put(url, json=body)
                assert r.status_code == 422, (field, r.text)
                assert r.json()["detail"].startswith(field), r.json()
            assert (await s.put(url, json={})).status_code == 422
            assert (await s.put(url, content=b"[", headers={
                "content-type": "application/json"})).status_code == 422
            assert (await s.get(url)).json()["mobile"] == "13812345678"

    async def test_needs_customers_modify_X1(self, customer_app):
        principal, _ = await approved(customer_app)
        async with h.client(customer_app, h.staff("customers:query", "customers:review")) as s:
            r = await s.put(f"/api/console/customers/{principal.customer_id}",
                            json=company(qq="99999"))
            assert r.status_code == 403 and "customers:modify" in r.json()["detail"]
        async with h.client(customer_app, principal) as c:
            r = await c.put(f"/api/console/customers/{principal.customer_id}",
                            json=company(qq="99999"))
            assert r.status_code == 403

    async def test_area_limited_staff_C7(self, customer_app):
        east, _ = await approved(customer_app, area="华东")
        north, _ = await approved(customer_app, area="华北")
        async with h.client(customer_app, h.staff("customers:*", areas=("华东",))) as s:
            r = await s.put(f"/api/console/customers/{north.customer_id}",
                            json=company(area="华北"))
            assert r.status_code == 404
            r = await s.put(f"/api/console/customers/{east.customer_id}",
                            json=company(area="华北"))
            assert r.status_code == 403 and "area" in r.json()["detail"]
            r = await s.put(f"/api/console/customers/{east.customer_id}",
                            json=company(area="华东", qq="55555"))
            assert r.status_code == 200 and r.json()["qq"] == "55555"
            for path, body in (("grade", {"grade": "large", "reason": "VIP"}),
                               ("cycle", {"kind": "days", "days": 30}),
                               ("payment-terms", {"days": 0})):
                r = await s.put(f"/api/console/customers/{north.customer_id}/{path}",
                                json=body)
                assert r.status_code == 404, path
            assert (await s.get(f"/api/console/customers/{north.customer_id}/audit")
                    ).status_code == 404


class TestGradesC4:
    async def test_payments_upgrade_automatically_once(self, customer_app, customer_db):
        principal, _ = await approved(customer_app)
        cid = principal.customer_id
        await pay(customer_db, cid, "9999.99")
        assert await outbox(customer_db, cid, "customer.grade_changed") == []
        await pay(customer_db, cid, "0.01")
        await pay(customer_db, cid, "100.00")
        [event] = await outbox(customer_db, cid, "customer.grade_changed")
        assert (event["previous_grade"], event["grade"], event["paid_total"]) == (
            "normal", "small", "10000.00")
        assert event["changed_by"] == "system" and event["changed_by_kind"] == "system"
        assert "10000.00" in event["reason"]
        async with h.client(customer_app, principal) as c:
            profile = (await c.get("/api/portal/profile")).json()
        assert (profile["grade"], profile["paid_total"], profile["grade_source"]) == (
            "small", "10100.00", "auto")
        async with h.client(customer_app, h.staff()) as s:
            audit = (await s.get(f"/api/console/customers/{cid}/audit",
                                 params={"entity": "customer"})).json()
        grade_rows = [a for a in audit if a["action"] == "grade_changed"]
        assert [(a["actor"], a["actor_kind"], a["before"], a["after"]["grade"])
                for a in grade_rows] == [("system", "system", {"grade": "normal"}, "small")]

    async def test_staff_downgrade_with_reason_holds(self, customer_app, customer_db):
        principal, _ = await approved(customer_app)
        cid = principal.customer_id
        await pay(customer_db, cid, "15000")
        url = f"/api/console/customers/{cid}/grade"
        async with h.client(customer_app, h.staff("customers:review", "customers:query",
                                                  username="wu")) as s:
            r = await s.put(url, json={"grade": "normal", "reason": "退货冲减"})
            assert r.status_code == 200, r.text
            assert (r.json()["grade"], r.json()["grade_source"]) == ("normal", "staff")
            again = await s.put(url, json={"grade": "normal", "reason": "再次"})
            assert again.status_code == 200
        await pay(customer_db, cid, "1000")  # still in the small band: the decision holds
        events = await outbox(customer_db, cid, "customer.grade_changed")
        assert [(e["grade"], e["changed_by"], e["reason"]) for e in events][1:] == [
            ("normal", "wu", "退货冲减")]
        async with h.client(customer_app, h.staff()) as s:
            detail = (await s.get(f"/api/console/customers/{cid}")).json()
            audit = (await s.get(f"/api/console/customers/{cid}/audit")).json()
        assert detail["grade"] == "normal" and detail["paid_total"] == "16000.00"
        assert audit[0]["action"] == "grade_changed" and audit[0]["actor"] == "wu"
        assert audit[0]["after"]["reason"] == "退货冲减"

    async def test_grade_bad_input_and_permission_X1(self, customer_app):
        principal, _ = await approved(customer_app)
        url = f"/api/console/customers/{principal.customer_id}/grade"
        async with h.client(customer_app, h.staff()) as s:
            for body, field in (({"grade": "gold", "reason": "x"}, "grade"),
                                ({"grade": "large"}, "reason"),
                                ({"grade": "large", "reason": "  "}, "reason"),
                                ({"grade": "large", "reason": "x" * 501}, "reason"),
                                ({"grade": "large", "reason": "x", "extra": 1}, "extra")):
                r = await s.put(url, json=body)
                assert r.status_code == 422 and field in r.json()["detail"], r.text
            r = await s.put(f"/api/console/customers/{uuid.uuid4()}/grade",
                            json={"grade": "large", "reason": "x"})
            assert r.status_code == 404
        async with h.client(customer_app, h.staff("customers:modify")) as s:
            r = await s.put(url, json={"grade": "large", "reason": "VIP"})
            assert r.status_code == 403 and "customers:review" in r.json()["detail"]


class TestOrderingCycleC6:
    async def test_orders_move_the_last_order_date_forward_only(self, customer_app,
                                                                customer_db):
        """One statement per order.submitted (issue 16): a later business date moves the
        last order date, an earlier or the same one changes nothing, an order of a
        customer this service does not know is applied without effect."""
        principal, _ = await approved(customer_app)
        cid = principal.customer_id
        base = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)

        def order(at, customer=cid):
            return OrderSubmitted(
                order_id=uuid.uuid4(), number="DH9", customer_id=customer,
                customer_name="x", total=Decimal("10"), bill_type="none",
                delivery_date=date(2026, 12, 1),
                lines=[OrderLine(product_id=uuid.uuid4(), name="墨水", model="M",
                                 quantity=1, unit_price=Decimal("10"),
                                 line_total=Decimal("10"))], submitted_at=at)

        async def last():
            async with customer_db.sessionmaker() as s:
                return (await s.execute(text(
                    "SELECT last_order_date, updated_at FROM customers WHERE id = :id"),
                    {"id": cid})).one()

        for at, expected in ((base, date(2026, 11, 20)),
                             (base + timedelta(days=2), date(2026, 11, 22)),
                             (base - timedelta(days=5), date(2026, 11, 22)),
                             (base + timedelta(days=2, hours=1), date(2026, 11, 22)),
                             # 16:30 UTC is 00:30 of the next business day in Shanghai
                             (datetime(2026, 11, 22, 16, 30, tzinfo=UTC), date(2026, 11, 23))):
            before = await last()
            await h.deliver(customer_db.sessionmaker, "customer", registry, order(at))
            after = await last()
            assert after.last_order_date == expected
            assert (after.updated_at > before.updated_at) == (
                after.last_order_date != before.last_order_date)
        stranger = uuid.uuid4()
        await h.deliver(customer_db.sessionmaker, "customer", registry,
                        order(base, customer=stranger))
        async with customer_db.sessionmaker() as s:
            assert (await s.execute(text("SELECT count(*) FROM customers WHERE id = :id"),
                                    {"id": stranger})).scalar_one() == 0

    async def test_set_cycle_next_due_and_last_order(self, customer_app, customer_db):
        principal, _ = await approved(customer_app)
        cid = principal.customer_id
        url = f"/api/console/customers/{cid}/cycle"
        today = business_date()
        async with h.client(customer_app, h.staff(username="qian")) as s:
            r = await s.put(url, json={"kind": "days", "days": 30})
            assert r.status_code == 200, r.text
            cycle = r.json()["ordering_cycle"]
            assert (cycle["kind"], cycle["days"], cycle["last_order_date"]) == (
                "days", 30, None)
            assert cycle["next_due_date"] == today.isoformat() and cycle["overdue"] is False
        submitted = datetime.now(UTC) - timedelta(days=3)
        order = OrderSubmitted(
            order_id=uuid.uuid4(), number="DH2", customer_id=cid, customer_name="x",
            total=Decimal("10"), bill_type="none", delivery_date=date(2026, 12, 1),
            lines=[OrderLine(product_id=uuid.uuid4(), name="墨水", model="M", quantity=1,
                             unit_price=Decimal("10"), line_total=Decimal("10"))],
            submitted_at=submitted)
        await h.deliver(customer_db.sessionmaker, "customer", registry, order)
        older = order.model_copy(update={"order_id": uuid.uuid4(),
                                         "submitted_at": submitted - timedelta(days=10)})
        await h.deliver(customer_db.sessionmaker, "customer", registry, older)
        last = business_date(submitted)
        async with h.client(customer_app, principal) as c:
            profile = (await c.get("/api/portal/profile")).json()
        assert profile["ordering_cycle"]["last_order_date"] == last.isoformat()
        assert profile["ordering_cycle"]["next_due_date"] == (
            last + timedelta(days=30)).isoformat()
        assert profile["next_due_date"] == profile["ordering_cycle"]["next_due_date"]
        async with h.client(customer_app, h.staff(username="qian")) as s:
            r = await s.put(url, json={"kind": "weekday", "weekday": 1})
            due = date.fromisoformat(r.json()["ordering_cycle"]["next_due_date"])
            assert due.isoweekday() == 1 and 0 < (due - last).days <= 7
            same = await s.put(url, json={"kind": "weekday", "weekday": 1})
            assert same.status_code == 200
            cleared = await s.put(url, json={"kind": None})
            assert cleared.json()["ordering_cycle"]["next_due_date"] is None
            audit = (await s.get(f"/api/console/customers/{cid}/audit")).json()
        events = await outbox(customer_db, cid, "customer.cycle_changed")
        assert [(e["kind"], e["days"], e["weekday"]) for e in events] == [
            ("days", 30, None), ("weekday", None, 1), (None, None, None)]
        assert events[0]["changed_by"] == "qian"
        cycle_rows = [a for a in audit if a["action"] == "cycle_changed"]
        assert len(cycle_rows) == 3
        assert cycle_rows[-1]["before"] == {"kind": None, "days": None, "weekday": None}
        assert cycle_rows[-1]["after"] == {"kind": "days", "days": 30, "weekday": None}

    async def test_bad_cycles_are_422_naming_the_field(self, customer_app):
        principal, _ = await approved(customer_app)
        url = f"/api/console/customers/{principal.customer_id}/cycle"
        cases = [
            ({"kind": "days", "days": 0}, "days"), ({"kind": "days", "days": 366}, "days"),
            ({"kind": "days"}, "days"), ({"kind": "days", "days": "often"}, "days"),
            ({"kind": "weekday", "weekday": 8}, "weekday"),
            ({"kind": "weekday", "weekday": 0}, "weekday"), ({"kind": "weekday"}, "weekday"),
            ({"kind": "days", "days": 30, "weekday": 1}, "weekday"),
            ({"kind": None, "days": 30}, "kind"), ({"kind": "monthly"}, "kind"),
            ({}, "kind"),
        ]
        async with h.client(customer_app, h.staff()) as s:
            for body, field in cases:
                r = await s.put(url, json=body)
                assert r.status_code == 422, (body, r.text)
                assert r.json()["detail"].startswith(field), (body, r.json())
        async with h.client(customer_app, h.staff("customers:query")) as s:
            r = await s.put(url, json={"kind": "days", "days": 30})
            assert r.status_code == 403


class TestPaymentTermsO6:
    async def test_default_terms_in_approval_profile_and_detail(self, customer_app,
                                                                customer_db):
        principal, detail = await approved(customer_app)
        assert detail["payment_terms_days"] == 30  # CUSTOMER_DEFAULT_PAYMENT_TERMS_DAYS
        [event] = await outbox(customer_db, principal.customer_id, "customer.approved")
        assert event["payment_terms_days"] == 30
        async with h.client(customer_app, principal) as c:
            assert (await c.get("/api/portal/profile")).json()["payment_terms_days"] == 30

    async def test_staff_set_terms_audited_and_published_C7_X3(self, customer_app,
                                                               customer_db):
        principal, _ = await approved(customer_app, area="华东")
        cid = principal.customer_id
        url = f"/api/console/customers/{cid}/payment-terms"
        async with h.client(customer_app, h.staff("customers:modify", "customers:query",
                                                  username="sun", areas=("华东",))) as s:
            r = await s.put(url, json={"days": 0})
            assert r.status_code == 200, r.text
            assert r.json()["payment_terms_days"] == 0 and len(r.json()["catalog"]) == 2
            same = await s.put(url, json={"days": 0})
            assert same.status_code == 200 and same.json()["payment_terms_days"] == 0
            r = await s.put(url, json={"days": 365})
            assert r.status_code == 200 and r.json()["payment_terms_days"] == 365
            audit = (await s.get(f"/api/console/customers/{cid}/audit")).json()
        events = await outbox(customer_db, cid, "customer.payment_terms_changed")
        assert [(e["days"], e["previous_days"], e["changed_by"]) for e in events] == [
            (0, 30, "sun"), (365, 0, "sun")]
        rows = [a for a in audit if a["action"] == "payment_terms_changed"]
        assert [(a["before"], a["after"], a["actor"]) for a in rows] == [
            ({"payment_terms_days": 0}, {"payment_terms_days": 365}, "sun"),
            ({"payment_terms_days": 30}, {"payment_terms_days": 0}, "sun")]
        async with h.client(customer_app, principal) as c:
            assert (await c.get("/api/portal/profile")).json()["payment_terms_days"] == 365
            # read-only for the customer: not a field of its profile
            r = await c.put("/api/portal/profile",
                            json={**company(area="华东"), "payment_terms_days": 0})
            assert r.status_code == 422, r.text
            assert (await c.get("/api/portal/profile")).json()["payment_terms_days"] == 365

    async def test_bad_terms_are_422_with_a_readable_detail(self, customer_app, customer_db):
        principal, _ = await approved(customer_app)
        url = f"/api/console/customers/{principal.customer_id}/payment-terms"
        async with h.client(customer_app, h.staff()) as s:
            for body in ({"days": -1}, {"days": 366}, {"days": "abc"}, {"days": "30"},
                         {"days": 1.5}, {"days": True}, {"days": None},
                         {"days": 10**30}):
                r = await s.put(url, json=body)
                assert r.status_code == 422, (body, r.text)
                assert r.json()["detail"] == (
                    "days: payment terms must be a whole number of days from 0 (due on "
                    "approval) to 365"), (body, r.json())
            for body, field in (({}, "days"), ({"days": 10, "months": 1}, "months")):
                r = await s.put(url, json=body)
                assert r.status_code == 422 and r.json()["detail"].startswith(field), r.text
            r = await s.put(url, content=b"{", headers={"content-type": "application/json"})
            assert r.status_code == 422
            r = await s.put(f"/api/console/customers/{uuid.uuid4()}/payment-terms",
                            json={"days": 10})
            assert r.status_code == 404
            assert (await s.get(f"/api/console/customers/{principal.customer_id}")
                    ).json()["payment_terms_days"] == 30
        assert await outbox(customer_db, principal.customer_id,
                            "customer.payment_terms_changed") == []

    async def test_needs_customers_modify_X1(self, customer_app):
        principal, _ = await approved(customer_app)
        url = f"/api/console/customers/{principal.customer_id}/payment-terms"
        async with h.client(customer_app, h.staff("customers:query", "customers:review",
                                                  "orders:*")) as s:
            r = await s.put(url, json={"days": 10})
            assert r.status_code == 403 and "customers:modify" in r.json()["detail"]
        async with h.client(customer_app, principal) as c:
            assert (await c.put(url, json={"days": 10})).status_code == 403


class TestCreditLimitB3:
    async def test_staff_set_and_clear_audited_and_published_C7_X3(self, customer_app,
                                                                  customer_db):
        principal, detail = await approved(customer_app, area="华东")
        assert detail["credit_limit"] is None  # a new customer has no limit
        cid = principal.customer_id
        url = f"/api/console/customers/{cid}/credit-limit"
        async with h.client(customer_app, h.staff("customers:modify", "customers:query",
                                                  username="qian", areas=("华东",))) as s:
            r = await s.put(url, json={"limit": "50000.00"})
            assert r.status_code == 200, r.text
            assert r.json()["credit_limit"] == "50000.00" and len(r.json()["catalog"]) == 2
            same = await s.put(url, json={"limit": 50000})
            assert same.status_code == 200 and same.json()["credit_limit"] == "50000.00"
            r = await s.put(url, json={"limit": None})
            assert r.status_code == 200 and r.json()["credit_limit"] is None
            r = await s.put(url, json={"limit": "0"})
            assert r.status_code == 200 and r.json()["credit_limit"] == "0.00"
            audit = (await s.get(f"/api/console/customers/{cid}/audit")).json()
        events = await outbox(customer_db, cid, "customer.credit_limit_changed")
        assert [(e["limit"], e["previous"], e["changed_by"]) for e in events] == [
            ("50000.00", None, "qian"), (None, "50000.00", "qian"), ("0.00", None, "qian")]
        rows = [a for a in audit if a["action"] == "credit_limit_changed"]
        assert [(a["before"], a["after"]) for a in reversed(rows)] == [
            ({"credit_limit": None}, {"credit_limit": "50000.00"}),
            ({"credit_limit": "50000.00"}, {"credit_limit": None}),
            ({"credit_limit": None}, {"credit_limit": "0.00"})]
        async with h.client(customer_app, principal) as c:
            assert (await c.get("/api/portal/profile")).json()["credit_limit"] == "0.00"

    async def test_bad_limits_are_422_and_others_404_403(self, customer_app, customer_db):
        principal, _ = await approved(customer_app, area="华东")
        url = f"/api/console/customers/{principal.customer_id}/credit-limit"
        async with h.client(customer_app, h.staff()) as s:
            for body in ({"limit": "-1"}, {"limit": "abc"}, {"limit": "1.001"},
                         {"limit": "1e5"}, {"limit": True}, {}, {"limit": "1", "x": 1},
                         {"limit": "1" * 13}):
                r = await s.put(url, json=body)
                assert r.status_code == 422, (body, r.text)
            r = await s.put(f"/api/console/customers/{uuid.uuid4()}/credit-limit",
                            json={"limit": "10"})
            assert r.status_code == 404
        async with h.client(customer_app, h.staff(areas=("华北",))) as s:
            assert (await s.put(url, json={"limit": "10"})).status_code == 404
        async with h.client(customer_app, h.staff("customers:query", "customers:review")) as s:
            r = await s.put(url, json={"limit": "10"})
            assert r.status_code == 403 and "customers:modify" in r.json()["detail"]
        async with h.client(customer_app, principal) as c:
            assert (await c.put(url, json={"limit": "10"})).status_code == 403
        assert await outbox(customer_db, principal.customer_id,
                            "customer.credit_limit_changed") == []


class TestContactsN4:
    async def test_crud_and_portal_fallback(self, customer_app):
        area, other = unique_area(), unique_area()
        own, _ = await approved(customer_app, area=area)
        elsewhere, _ = await approved(customer_app, area=other)
        default_name = f"默认-{uuid.uuid4().hex[:6]}"
        async with h.client(customer_app, h.staff("settings:modify", "settings:query",
                                                  username="sun")) as s:
            r = await s.post("/api/console/contacts", json={
                "area": area, "name": "李耗材", "phone": "021-5888 1234", "qq": "88888",
                "role": "consumables"})
            assert r.status_code == 201, r.text
            contact = r.json()
            assert contact["updated_by"] == "sun"
            r = await s.post("/api/console/contacts", json={
                "name": default_name, "phone": "13900001111"})
            assert r.status_code == 201 and r.json()["area"] == "default"
            assert r.json()["role"] == "consumables"
            listed = await s.get("/api/console/contacts", params={"area": area})
            assert listed.headers["x-total-count"] == "1"
            r = await s.put(f"/api/console/contacts/{contact['id']}", json={
                "area": area, "name": "李耗材", "phone": "021-5888 4321", "qq": None})
            assert r.status_code == 200 and r.json()["qq"] is None
        async with h.client(customer_app, own) as c:
            mine = (await c.get("/api/portal/contacts")).json()
        assert mine == [{"name": "李耗材", "phone": "021-5888 4321", "qq": None,
                         "role": "consumables"}]
        async with h.client(customer_app, elsewhere) as c:
            fallback = (await c.get("/api/portal/contacts")).json()
        assert default_name in [x["name"] for x in fallback]
        async with h.client(customer_app, h.staff()) as s:
            detail = (await s.get(f"/api/console/customers/{own.customer_id}")).json()
            assert [x["name"] for x in detail["contacts"]] == ["李耗材"]
            r = await s.delete(f"/api/console/contacts/{contact['id']}")
            assert r.status_code == 204
            assert (await s.delete(f"/api/console/contacts/{contact['id']}")).status_code == 404
        async with h.client(customer_app, own) as c:
            assert default_name in [x["name"] for x in (await c.get("/api/portal/contacts")
                                                        ).json()]

    async def test_bad_input_and_permissions_X1(self, customer_app):
        good = {"area": "华东", "name": "王", "phone": "13900001111"}
        async with h.client(customer_app, h.staff()) as s:
            for body, field in ((good | {"phone": "call"}, "phone"),
                                (good | {"phone": ""}, "phone"),
                                (good | {"qq": "12"}, "qq"), (good | {"name": " "}, "name"),
                                (good | {"area": ""}, "area"),
                                (good | {"role": "x" * 51}, "role"),
                                ({"name": "王"}, "phone"), (good | {"x": 1}, "x")):
                r = await s.post("/api/console/contacts", json=body)
                assert r.status_code == 422 and field in r.json()["detail"], (body, r.text)
            r = await s.put(f"/api/console/contacts/{uuid.uuid4()}", json=good)
            assert r.status_code == 404
            assert (await s.put("/api/console/contacts/nope", json=good)).status_code == 422
        async with h.client(customer_app, h.staff("settings:query")) as s:
            assert (await s.get("/api/console/contacts")).status_code == 200
            r = await s.post("/api/console/contacts", json=good)
            assert r.status_code == 403 and "settings:modify" in r.json()["detail"]
        async with h.client(customer_app, h.staff("customers:*")) as s:
            assert (await s.get("/api/console/contacts")).status_code == 403
        async with h.client(customer_app, h.customer()) as c:
            assert (await c.get("/api/console/contacts")).status_code == 403
            # an unregistered customer has no area yet
            assert (await c.get("/api/portal/contacts")).status_code == 404

    async def test_contact_changes_are_audited_X3(self, customer_app, customer_db):
        async with h.client(customer_app, h.staff(username="zhou")) as s:
            r = await s.post("/api/console/contacts", json={
                "area": unique_area(), "name": "周", "phone": "13900001111"})
            cid = r.json()["id"]
            await s.delete(f"/api/console/contacts/{cid}")
        async with customer_db.engine.connect() as c:
            rows = (await c.execute(text(
                "SELECT action, actor FROM audit_log WHERE entity = 'contact' "
                "AND entity_id = :id ORDER BY at"), {"id": cid})).all()
        assert [tuple(r) for r in rows] == [("contact_created", "zhou"),
                                            ("contact_deleted", "zhou")]


class TestProductMaster:
    async def test_inactive_product_leaves_the_catalogues_and_comes_back_C3(
            self, customer_app, customer_db):
        model = f"P-{uuid.uuid4().hex[:8]}"
        first = await register(customer_app)
        second = await register(customer_app)
        async with h.client(customer_app, h.staff(username="he")) as s:
            for p in (first, second):
                await s.post(f"/api/console/customers/{p.customer_id}/approve", json={
                    "products": [{"name": "色带", "model": model, "unit_price": "30",
                                  "list_price": "40"}, *CONSUMABLES]})
            [product] = (await s.get("/api/console/products", params={"q": model})).json()
            url = f"/api/console/products/{product['id']}"
            body = {"name": "色带", "model": model, "category": "consumable",
                    "list_price": "42.00", "active": False}
            r = await s.put(url, json=body)
            assert r.status_code == 200, r.text
            assert (r.json()["active"], r.json()["list_price"], r.json()["updated_by"]) == (
                False, "42.00", "he")
            detail = (await s.get(f"/api/console/customers/{first.customer_id}")).json()
            line = next(x for x in detail["catalog"] if x["model"] == model)
            assert line["product_active"] is False
            inactive = (await s.get("/api/console/products",
                                    params={"q": model, "active": "false"})).json()
            assert [x["id"] for x in inactive] == [product["id"]]
            r = await s.put(f"/api/console/customers/{first.customer_id}/prices/"
                            f"{product['id']}", json={"unit_price": "29"})
            assert r.status_code == 409 and "inactive" in r.json()["detail"]
            third = await register(customer_app)
            r = await s.post(f"/api/console/customers/{third.customer_id}/approve", json={
                "products": [{"product_id": product["id"], "unit_price": "30"}]})
            assert r.status_code == 422 and "inactive" in r.json()["detail"]
        async with h.client(customer_app, first) as c:
            models = [x["model"] for x in (await c.get("/api/portal/catalog")).json()]
        assert model not in models and len(models) == 2
        for p in (first, second):
            [event] = [e for e in await outbox(customer_db, p.customer_id,
                                               "customer.price_changed")]
            assert (event["active"], event["unit_price"], event["list_price"]) == (
                False, "30.00", "42.00")
        async with h.client(customer_app, h.staff()) as s:
            r = await s.put(url, json=body | {"active": True})
            assert r.status_code == 200
        async with h.client(customer_app, first) as c:
            assert model in [x["model"] for x in (await c.get("/api/portal/catalog")).json()]
        events = await outbox(customer_db, first.customer_id, "customer.price_changed")
        assert [e["active"] for e in events] == [False, True]
        async with customer_db.engine.connect() as c:
            rows = (await c.execute(text(
                "SELECT action, before, after FROM audit_log WHERE entity = 'product' "
                "AND entity_id = :id ORDER BY at"), {"id": product["id"]})).all()
        assert rows[0][1] == {"list_price": "40.00", "active": True}
        assert rows[0][2] == {"list_price": "42.00", "active": False}

    async def test_product_bad_input_conflict_and_permission(self, customer_app):
        async with h.client(customer_app, h.staff()) as s:
            a = (await s.post("/api/console/products", json={
                "name": "墨盒", "model": f"A-{uuid.uuid4().hex[:6]}", "category": "consumable",
                "list_price": "10"})).json()
            b = (await s.post("/api/console/products", json={
                "name": "墨盒", "model": f"B-{uuid.uuid4().hex[:6]}", "category": "consumable",
                "list_price": "10"})).json()
            url = f"/api/console/products/{b['id']}"
            base = {"name": "墨盒", "model": b["model"], "category": "accessory",
                    "list_price": "12"}
            assert (await s.put(url, json=base)).json()["category"] == "accessory"
            r = await s.put(url, json=base | {"model": a["model"]})
            assert r.status_code == 409 and "already exists" in r.json()["detail"]
            for body, field in ((base | {"category": "food"}, "category"),
                                (base | {"list_price": "-1"}, "list_price"),
                                (base | {"list_price": "abc"}, "list_price"),
                                (base | {"name": ""}, "name"),
                                (base | {"active": "maybe"}, "active")):
                r = await s.put(url, json=body)
                assert r.status_code == 422 and field in r.json()["detail"], (body, r.text)
            assert (await s.put(f"/api/console/products/{uuid.uuid4()}", json=base)
                    ).status_code == 404
        async with h.client(customer_app, h.staff("customers:entry", "customers:query")) as s:
            r = await s.put(url, json=base)
            assert r.status_code == 403 and "customers:modify" in r.json()["detail"]


class TestListAndDetail:
    async def test_filters_and_sorting_C7(self, customer_app, customer_db):
        area = unique_area()
        names = ["丙公司", "甲公司", "乙公司"]
        principals = []
        for i, name in enumerate(names):
            p, _ = await approved(customer_app, area=area, name=name)
            await pay(customer_db, p.customer_id, str(1000 * (i + 1) + (10000 if i == 2 else 0)))
            principals.append(p)
        async with h.client(customer_app, h.staff()) as s:
            by_name = (await s.get("/api/console/customers",
                                   params={"area": area, "sort": "name"})).json()
            assert [c["name"] for c in by_name] == sorted(names)
            by_paid = (await s.get("/api/console/customers",
                                   params={"area": area, "sort": "-paid_total"})).json()
            assert [c["paid_total"] for c in by_paid] == ["13000.00", "2000.00", "1000.00"]
            small = await s.get("/api/console/customers", params={"area": area, "grade": "small"})
            assert small.headers["x-total-count"] == "1"
            assert small.json()[0]["customer_id"] == str(principals[2].customer_id)
            oldest = (await s.get("/api/console/customers",
                                  params={"area": area, "sort": "created_at"})).json()
            assert [c["name"] for c in oldest] == names
            for params, field in (({"sort": "mobile"}, "sort"), ({"grade": "gold"}, "grade"),
                                  ({"status": "x"}, "status"), ({"limit": 0}, "limit")):
                r = await s.get("/api/console/customers", params=params)
                assert r.status_code == 422 and field in r.json()["detail"]

    async def test_area_filter_finds_part_of_the_area_C7(self, customer_app):
        """Staff type part of an area: a city finds the customers of
        "province/city", a province all of its cities; LIKE wildcards are literal, and
        area-bound staff still see only their areas (C-7)."""
        tag = uuid.uuid4().hex[:6]
        sz, gz = f"广东省{tag}/深圳市", f"广东省{tag}/广州市"
        p_sz, _ = await approved(customer_app, area=sz, name="深圳客户")
        p_gz, _ = await approved(customer_app, area=gz, name="广州客户")

        async def listed(principal, area):
            async with h.client(customer_app, principal) as s:
                r = await s.get("/api/console/customers", params={"area": area})
                assert r.status_code == 200, r.text
                return {c["customer_id"] for c in r.json()}

        ids = {str(p_sz.customer_id), str(p_gz.customer_id)}
        assert await listed(h.staff(), f"{tag}/深圳") == {str(p_sz.customer_id)}
        assert await listed(h.staff(), f" 广东省{tag} ") == ids
        assert await listed(h.staff(), f"{tag}%") == set()
        bound = h.staff(areas=(gz,))
        assert await listed(bound, f"广东省{tag}") == {str(p_gz.customer_id)}

    async def test_detail_has_prices_history_cycle_and_contacts(self, customer_app):
        principal, detail = await approved(customer_app)
        assert {"catalog", "price_history", "contacts", "ordering_cycle", "grade",
                "area_code", "bank_account"} <= set(detail)
        assert detail["bank_account"] == "6222021234567890"
        assert [h_["reason"] for h_ in detail["price_history"]] == ["approval", "approval"]
        assert detail["ordering_cycle"] == {"kind": None, "days": None, "weekday": None,
                                            "last_order_date": None, "next_due_date": None,
                                            "overdue": False}


class TestAuditX3:
    async def test_every_change_of_a_customer_leaves_a_row(self, customer_app):
        principal = await register(customer_app)
        cid = principal.customer_id
        async with h.client(customer_app, h.staff(username="lin")) as s:
            await s.post(f"/api/console/customers/{cid}/reject", json={"reason": "缺税号"})
        async with h.client(customer_app, principal) as c:
            await c.put("/api/portal/profile", json=company(qq="7777777"))
        async with h.client(customer_app, h.staff(username="lin")) as s:
            detail = (await s.post(f"/api/console/customers/{cid}/approve",
                                   json={"products": CONSUMABLES})).json()
            pid = detail["catalog"][0]["product_id"]
            await s.put(f"/api/console/customers/{cid}/prices/{pid}",
                        json={"unit_price": "150"})
            await s.put(f"/api/console/customers/{cid}/cycle", json={"kind": "days",
                                                                      "days": 14})
            await s.put(f"/api/console/customers/{cid}/grade",
                        json={"grade": "small", "reason": "战略客户"})
            await s.put(f"/api/console/customers/{cid}/payment-terms", json={"days": 45})
            r = await s.get(f"/api/console/customers/{cid}/audit")
            assert r.status_code == 200
            prices = (await s.get(f"/api/console/customers/{cid}/audit",
                                  params={"entity": "price"})).json()
        rows = list(reversed(r.json()))
        assert r.headers["x-total-count"] == str(len(rows)) == "8"
        assert [(a["action"], a["actor_kind"]) for a in rows] == [
            ("registered", "customer"), ("rejected", "staff"), ("profile_updated", "customer"),
            ("approved", "staff"), ("price_changed", "staff"), ("cycle_changed", "staff"),
            ("grade_changed", "staff"), ("payment_terms_changed", "staff")]
        assert rows[0]["after"]["status"] == "pending_review"
        assert rows[1]["after"] == {"status": "rejected", "reason": "缺税号"}
        assert rows[2]["before"] == {"qq": "123456", "status": "rejected"}
        assert rows[2]["after"] == {"qq": "7777777", "status": "pending_review"}
        assert len(rows[3]["after"]["catalog"]) == 2
        assert [(p["before"]["unit_price"], p["after"]["unit_price"]) for p in prices] == [
            ("160.30", "150.00")]
        assert all(a["actor"] == "lin" for a in rows if a["actor_kind"] == "staff")

    async def test_audit_needs_customers_query_X1(self, customer_app):
        principal = await register(customer_app)
        url = f"/api/console/customers/{principal.customer_id}/audit"
        async with h.client(customer_app, h.staff("orders:query")) as s:
            assert (await s.get(url)).status_code == 403
        async with h.client(customer_app, principal) as c:
            assert (await c.get(url)).status_code == 403
        async with h.client(customer_app, h.staff()) as s:
            assert (await s.get(url, params={"entity": "order"})).status_code == 422
            assert (await s.get(f"/api/console/customers/{uuid.uuid4()}/audit")
                    ).status_code == 404
