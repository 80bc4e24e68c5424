"""Integration: events delivered through the inbox become staff prompts (N-3) and
customer messages (N-5) in the notify service's real database (migrations applied)."""

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

from dinghuo_contracts import (
    CustomerRegistered,
    CustomerRejected,
    CustomerUpdated,
    InvoiceRequested,
    OrderApproved,
    OrderLine,
    OrderRejected,
    OrderSubmitted,
    PaymentReceived,
    ServiceRequestOpened,
)
from notify_service.messaging import registry
from servicekit.testing import helpers as h
from sqlalchemy import text

CONSUMER = "notify"


def submitted(number: str | None = None, customer_id: uuid.UUID | None = None,
              total: str = "801.50") -> OrderSubmitted:
    return OrderSubmitted(
        order_id=uuid.uuid4(), number=number or f"DH20261123-{uuid.uuid4().hex[:4]}",
        customer_id=customer_id or uuid.uuid4(), customer_name="上海印美",
        total=Decimal(total), bill_type="none", delivery_date=date(2026, 11, 26),
        submitted_at=datetime.now(UTC),
        lines=[OrderLine(product_id=uuid.uuid4(), name="墨水", model="INK-1L", quantity=5,
                         unit_price=Decimal("160.30"), line_total=Decimal(total))])


async def deliver(notify_db, event, source="test"):
    return await h.deliver(notify_db.sessionmaker, CONSUMER, registry, event, source)


async def prompts_for(notify_db, key: str, value: str) -> list[dict]:
    async with notify_db.engine.connect() as c:
        rows = await c.execute(text(
            "SELECT kind, message FROM staff_prompts WHERE data->>:key = :value"),
            {"key": key, "value": value})
        return [dict(r._mapping) for r in rows]


class TestNewOrderPrompt:
    async def test_delivered_twice_yields_one_prompt_N3(self, notify_app, notify_db):
        ev = submitted()
        env = await deliver(notify_db, ev)
        await deliver(notify_db, env)  # the same envelope again (redelivery)
        assert len(await prompts_for(notify_db, "order_id", str(ev.order_id))) == 1
        async with h.client(notify_app, h.staff()) as s:
            r = await s.get("/api/console/prompts", params={"unread": "true", "limit": 200})
        assert r.status_code == 200, r.text
        mine = [p for p in r.json() if p["data"].get("order_id") == str(ev.order_id)]
        assert len(mine) == 1
        p = mine[0]
        assert p["kind"] == "new_order" and p["window"] is True
        assert p["message"] == f"新订单 {ev.number}：上海印美，金额 801.50 元"
        assert p["message_en"] == f"New order {ev.number}: 上海印美, amount 801.50 yuan"
        assert p["data"]["total"] == "801.50" and p["read_at"] is None
        assert set(p) == {"id", "kind", "window", "message", "message_en", "data",
                          "created_at", "read_at"}
        assert p["created_at"].endswith(("Z", "+00:00"))

    async def test_same_event_id_under_another_consumer_still_one_prompt(self, notify_db):
        env = await deliver(notify_db, submitted())
        await h.deliver(notify_db.sessionmaker, "notify-replay", registry, env)
        assert len(await prompts_for(notify_db, "order_id", env.data["order_id"])) == 1


class TestPromptsList:
    async def test_newest_first_with_counts(self, notify_app, notify_db):
        first, second = submitted(), submitted()
        await deliver(notify_db, first)
        await deliver(notify_db, second)
        async with h.client(notify_app, h.staff("orders:query")) as s:
            r = await s.get("/api/console/prompts", params={"kind": "new_order", "limit": 2})
        assert r.status_code == 200
        assert [p["data"]["order_id"] for p in r.json()] == [str(second.order_id),
                                                            str(first.order_id)]
        assert int(r.headers["x-total-count"]) >= 2
        assert int(r.headers["x-unread-count"]) >= 2

    async def test_mark_one_read_then_all(self, notify_app, notify_db):
        ev = submitted()
        await deliver(notify_db, ev)
        async with h.client(notify_app, h.staff(username="wang")) as s:
            items = (await s.get("/api/console/prompts", params={"limit": 200})).json()
            pid = next(p["id"] for p in items if p["data"].get("order_id") == str(ev.order_id))
            r = await s.post(f"/api/console/prompts/{pid}/read")
            assert r.status_code == 200, r.text
            read_at = r.json()["read_at"]
            assert read_at is not None
            again = await s.post(f"/api/console/prompts/{pid}/read")
            assert again.json()["read_at"] == read_at  # the first reading stays
            unread = (await s.get("/api/console/prompts",
                                  params={"unread": "true", "limit": 200})).json()
            assert pid not in {p["id"] for p in unread}
            read = (await s.get("/api/console/prompts",
                                params={"unread": "false", "limit": 200})).json()
            assert pid in {p["id"] for p in read}
            r = await s.post("/api/console/prompts/read-all")
            assert r.status_code == 200 and r.json()["marked"] >= 0
            after = await s.get("/api/console/prompts", params={"unread": "true"})
            assert after.json() == [] and after.headers["x-unread-count"] == "0"

    async def test_unknown_prompt_is_404(self, notify_app):
        async with h.client(notify_app, h.staff()) as s:
            r = await s.post(f"/api/console/prompts/{uuid.uuid4()}/read")
        assert r.status_code == 404
        assert r.json() == {"error": "NotFound", "detail": "Prompt not found"}

    async def test_bad_input_is_a_clear_422(self, notify_app):
        async with h.client(notify_app, h.staff()) as s:
            r1 = await s.post("/api/console/prompts/not-a-uuid/read")
            r2 = await s.get("/api/console/prompts", params={"unread": "maybe"})
            r3 = await s.get("/api/console/prompts", params={"limit": 0})
            r4 = await s.get("/api/console/prompts", params={"kind": "gossip"})
            r5 = await s.get("/api/console/prompts", params={"offset": 10**20})
        for r, word in ((r1, "prompt_id"), (r2, "unread"), (r3, "limit"), (r4, "kind"),
                        (r5, "offset")):
            assert r.status_code == 422, r.text
            assert r.json()["error"] == "ValidationError" and word in r.json()["detail"]


class TestOtherPrompts:
    async def test_customer_events_prompt_staff_C2_C5(self, notify_app, notify_db):
        cid = uuid.uuid4()
        await deliver(notify_db, CustomerRegistered(
            customer_id=cid, customer_number="C0042", company_name="杭州彩印",
            contact_person="李四", mobile="13900000000", area="华东"))
        await deliver(notify_db, CustomerUpdated(
            customer_id=cid, company_name="杭州彩印", changed_fields=["address"],
            changed_by_kind="customer"))
        await deliver(notify_db, CustomerUpdated(
            customer_id=cid, company_name="杭州彩印", changed_fields=["grade"],
            changed_by_kind="staff"))
        kinds = [p["kind"] for p in await prompts_for(notify_db, "customer_id", str(cid))]
        assert sorted(kinds) == ["customer_registered", "customer_updated"]

    async def test_invoice_request_names_the_known_customer_I1(self, notify_db):
        cid = uuid.uuid4()
        await deliver(notify_db, CustomerRegistered(
            customer_id=cid, customer_number="C0043", company_name="苏州喷码",
            contact_person="王五", mobile="13700000000"))
        iid = uuid.uuid4()
        await deliver(notify_db, InvoiceRequested(
            invoice_id=iid, customer_id=cid, order_ids=[uuid.uuid4()],
            order_numbers=["DH20261123-0001"], amount=Decimal("12.5")))
        [p] = await prompts_for(notify_db, "invoice_id", str(iid))
        assert p["message"] == "开票申请：苏州喷码，订单 DH20261123-0001，金额 12.50 元"

    async def test_service_request_prompt_S1(self, notify_db):
        rid = uuid.uuid4()
        await deliver(notify_db, ServiceRequestOpened(
            request_id=rid, customer_id=uuid.uuid4(), customer_name="上海印美",
            machine="喷码机 A1", description="喷头堵塞"))
        [p] = await prompts_for(notify_db, "request_id", str(rid))
        assert p["kind"] == "service_request"
        assert p["message"] == "售后报修：上海印美，机器 喷码机 A1：喷头堵塞"


class TestCustomerMessages:
    async def test_customer_sees_only_own_messages_N5(self, notify_app, notify_db):
        mine, other = uuid.uuid4(), uuid.uuid4()
        now = datetime.now(UTC)
        await deliver(notify_db, OrderApproved(order_id=uuid.uuid4(), number="DH1",
                                               customer_id=mine, reviewed_by="a",
                                               reviewed_at=now))
        env = await deliver(notify_db, OrderRejected(
            order_id=uuid.uuid4(), number="DH2", customer_id=mine, reason="数量有误",
            reviewed_by="a", reviewed_at=now))
        await deliver(notify_db, env)  # duplicate: still one message
        await deliver(notify_db, PaymentReceived(
            order_id=uuid.uuid4(), number="DH3", customer_id=other, total=Decimal("5"),
            amount_paid=Decimal("5"), paid_on=date.today()))
        await deliver(notify_db, CustomerRejected(customer_id=other, company_name="x",
                                                  reason="资料不全", rejected_by="a"))
        async with h.client(notify_app, h.customer(mine)) as c:
            r = await c.get("/api/portal/messages")
            assert r.status_code == 200, r.text
            body = r.json()
            assert [m["kind"] for m in body] == ["order_rejected", "order_approved"]
            assert body[0]["message"] == "您的订单 DH2 未通过审核，原因：数量有误"
            assert r.headers["x-total-count"] == "2" and r.headers["x-unread-count"] == "2"
            read = await c.post(f"/api/portal/messages/{body[0]['id']}/read")
            assert read.status_code == 200 and read.json()["read_at"] is not None
            unread = await c.get("/api/portal/messages", params={"unread": "true"})
            assert [m["kind"] for m in unread.json()] == ["order_approved"]
            assert (await c.post("/api/portal/messages/read-all")).json() == {"marked": 1}
        async with h.client(notify_app, h.customer(other)) as c:
            theirs = (await c.get("/api/portal/messages")).json()
            assert sorted(m["kind"] for m in theirs) == ["payment_received",
                                                         "registration_rejected"]
            r = await c.post(f"/api/portal/messages/{body[0]['id']}/read")
            assert r.status_code == 404 and r.json()["detail"] == "Message not found"


class TestAccess:
    async def test_customer_gets_403_on_console(self, notify_app):
        async with h.client(notify_app, h.customer()) as c:
            r = await c.get("/api/console/prompts")
        assert r.status_code == 403 and r.json()["error"] == "Forbidden"

    async def test_staff_gets_403_on_portal(self, notify_app):
        async with h.client(notify_app, h.staff()) as s:
            assert (await s.get("/api/portal/messages")).status_code == 403

    async def test_missing_token_is_401(self, notify_app):
        async with h.client(notify_app) as c:
            for path in ("/api/console/prompts", "/api/portal/messages"):
                r = await c.get(path)
                assert r.status_code == 401
                assert r.json() == {"error": "Unauthorized", "detail": "Missing internal token"}
